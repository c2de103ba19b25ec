/**
 * The ledger's record types: what a run writes before and after each call. Storage (a JSONL file, PostgreSQL)
 * lives in `src/io/`; these types and the pure view over them (`ledgerView.ts`) are the send pipeline's.
 */

/** Written (and made durable) before a call goes out. It carries the exact bytes, so a retry never re-renders. */
export interface IntentEntry {
  type: 'intent';
  run: string;
  key: string;
  notification: string;
  sha256: string;
  day: string;
  /** `user:<id>`, `dept:<id>` or `all`. */
  recipients: string[];
  /** sha256 of what the user declared (template id@version and source, vars, recipients); see `identity.ts`. */
  identity?: string;
  /** The schedule slot of `send --due`, otherwise the day: together with `identity`, what "the same send" means. */
  occurrence?: string;
  /** The msg JSON exactly as sent (JSON.stringify of the rendered msg). Absent when it holds sensitive values. */
  msg?: string;
  /**
   * In place of `msg` for a message with sensitive values (design.md §8): the clock and run id it was rendered
   * with. A lost answer is resent by rendering the row again with them, and only if that gives the same sha256.
   */
  rendered?: RenderedAt;
}

/** What a rendering depended on besides the declared definition: `@now`, `@today` and `@run_id`. */
export interface RenderedAt {
  at: string;
  run: string;
}

export interface SentEntry {
  type: 'sent';
  run: string;
  key: string;
  task_id: number;
}

export interface RefusedEntry {
  type: 'refused';
  run: string;
  key: string;
  errcode?: number;
  errmsg: string;
}

/** Per-recipient outcome of a users-only call, from getsendresult. */
export interface OutcomeEntry {
  type: 'outcome';
  run: string;
  key: string;
  task_id: number;
  /** Read or unread, and 143106 "same content today" (DingTalk already has it for them). */
  delivered: string[];
  failed: string[];
  invalid: string[];
  /** Everyone else DingTalk's flow control stopped, with its forbidden_list code (143103, 143105, …). */
  forbidden: { userid: string; code: string }[];
}

export interface SlotEntry {
  type: 'slot';
  run: string;
  notification: string;
  slot: string;
}

/**
 * A local media file uploaded to this target (`media_id: ./assets/x.png`): its id is reused while the file's
 * content is the same, by every runner that shares the state. `key` is `type:sha256` of the file.
 */
export interface MediaEntry {
  type: 'media';
  run: string;
  key: string;
  media_id: string;
  /** Relative to the project root, for people reading the state. */
  file: string;
}

/**
 * An unread reminder decided (core/send/remind.ts): when it came due, getsendresult listed these people of run `of`'s
 * notification as unread and read. Written before the reminder's first intent: the reminder is sent once, to them.
 */
export interface RemindEntry {
  type: 'remind';
  /** The run that sends the reminder. */
  run: string;
  /** The run whose message it reminds of. */
  of: string;
  notification: string;
  /** The reminder's template, id@version. */
  template: string;
  /** The reminder run's day: the shared store reads records by day. */
  day: string;
  unread: string[];
  read: string[];
}

/**
 * Metered API calls a run (or a recall, a refresh…) made, for the monthly quota (core/send/quota.ts): written once
 * its calls are made. `app` is the agent id; `month` is YYYY-MM in China time. `exhausted`: DingTalk answered 90020.
 */
export interface CallsEntry {
  type: 'calls';
  run: string;
  app: string;
  month: string;
  count: number;
  exhausted?: true;
  /** What made the calls, when not the run's own sending: a recall of `run`, its status bar, a refresh of its report… */
  by?: CallsBy;
}

/** The commands besides a send that make metered calls: each records its own `calls` (`remind`: getsendresult of the reminded run's tasks). */
export type CallsBy = 'remind' | 'recall' | 'status-bar' | 'refresh' | 'media-upload';

export type LedgerEntry = IntentEntry | SentEntry | RefusedEntry | OutcomeEntry | SlotEntry | MediaEntry | RemindEntry | CallsEntry;

/** As stored: every entry gets a format version and the time it was written. */
export type LedgerRecord = LedgerEntry & { v: 1; ts: string };

/** forbidden_list codes that mean "too many recipients this minute": DingTalk's FAQ says send again later. */
export const RETRY_LATER_CODES: ReadonlySet<string> = new Set(['143103', '143104', '143203', '143204']);
/** "Same content already sent today": the recipient has it. */
export const SAME_CONTENT_CODES: ReadonlySet<string> = new Set(['143106', '143206']);
/** The per-user daily cap: tomorrow. */
export const DAILY_CAP_CODES: ReadonlySet<string> = new Set(['143105', '143205']);
