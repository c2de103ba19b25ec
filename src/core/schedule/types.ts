/** One year of a workday calendar, as announced (for China: the State Council's notice of the year before). */
export interface CalendarYear {
  /** Where the dates come from (a URL to the announcement). */
  source: string;
  /** Days off, YYYY-MM-DD, including the weekend days folded into a holiday block. */
  holidays: string[];
  /** Make-up workdays (调休上班): weekend days that are working days. */
  workdays: string[];
}

/** A workday calendar file (`calendars/<name>.json`), parsed. Dates are read in the notification's time zone. */
export interface CalendarData {
  name: string;
  description: string;
  years: ReadonlyMap<number, CalendarYear>;
}

/** Calendars by name: the shipped ones, overridden or extended by the project's own `calendars/`. */
export type CalendarSet = ReadonlyMap<string, CalendarData>;

/** What a schedule decision needs from a notification (a subset of NotificationDef). */
export interface ScheduledNotification {
  id: string;
  schedule: string | undefined;
  /** The notification's own zone; the project's when undefined. */
  timezone: string | undefined;
  calendar: string | undefined;
  enabled: boolean;
}

export type ScheduleNoteCode = 'schedule/calendar-fallback' | 'schedule/calendar-missing' | 'schedule/bad-last-slot' | 'schedule/unusable';

/** Something the user should hear about a schedule decision (printed on stderr, never fatal). */
export interface ScheduleNote {
  id: string;
  /** A ScheduleNoteCode, or a validation code such as `schedule/calendar-not-covered`. */
  code: ScheduleNoteCode | (string & {});
  message: string;
}
