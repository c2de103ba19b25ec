export { CALENDAR_FORMAT, coveredYears, dayRule, parseCalendar, type DayRule } from './calendar.js';
export { DEFAULT_WINDOW_MS, dueSlots, MAX_COUNTED, nextFireTimes, parseDuration, type DueInput, type DueResult, type DueSlot } from './due.js';
export { lastFiredSlots, type SlotRecord } from './ledgerSlots.js';
export type { CalendarData, CalendarSet, CalendarYear, ScheduledNotification, ScheduleNote, ScheduleNoteCode } from './types.js';
export { formatSlot } from './zoned.js';
