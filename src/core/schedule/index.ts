export { coveredYears, dayRule, parseCalendar } from './calendar.js';
export { dueSlots, MAX_COUNTED, nextFireTimes, parseDuration, type DueSlot } from './due.js';
export { lastFiredSlots, type SlotRecord } from './ledgerSlots.js';
export type { CalendarData, CalendarSet, ScheduleNote } from './types.js';
