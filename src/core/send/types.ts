import type { CallRecipients } from '../chunk.js';
import type { PlannedMedia } from '../media/plan.js';
import type { Recipients } from '../project.js';
import type { RenderedAt } from './records.js';

/** A send plan: a pure function of the project, the variables, the ledger and the time. Saved plans carry a format version. */
export interface Plan {
  format: 'dingcast.plan/v1';
  created_at: string;
  run_id: string;
  /** The day (YYYY-MM-DD in the project's time zone) that DingTalk's once-a-day rule counts in. */
  day: string;
  timezone: string;
  agent_id: number | string | undefined;
  app_kind: 'internal' | 'isv';
  force: boolean;
  /** sha256 over the project's files and the ledger, so `--plan F` can refuse a stale plan. */
  fingerprint: string;
  notifications: PlannedNotification[];
  warnings: string[];
  /** API calls the run will make: sends plus follow-up (progress and result per task), plus media uploads when there are any. */
  api_calls: { send: number; follow_up: number; upload?: number; total: number };
  /**
   * `send --due --dry-run --save-plan F`: the reminders due (or owed) then, under the fingerprint; `send --plan F`
   * sends those and no other (asking getsendresult as it sends: who is unread is not known when the plan is saved).
   */
  reminders?: import('./remind.js').ReminderPreview[];
}

export interface PlannedNotification {
  id: string;
  template: string; // id@version
  msg: Record<string, unknown>;
  sha256: string;
  bytes: number;
  /** What the user declared (see identity.ts) and the occurrence it is sent for: the slot, else the day. */
  identity: string;
  occurrence: string;
  /** An earlier run sent this notification for this occurrence under another definition. */
  changed_since?: { run: string; at: string };
  recipients: Recipients;
  calls: PlannedCall[];
  /** Recipients left out because the ledger says they already got this exact content today. */
  skipped: { userid: string; reason: string }[];
  /** Recipients sent again because an earlier run died before DingTalk answered; a 143106 for them means it had arrived. */
  resent_unknown?: string[];
  /** How many recipients are sent again because DingTalk failed them or stopped them at a per-minute cap. */
  resent_failed?: number;
  /** Set by `send --due`: the schedule slot this send fires for. */
  slot?: string;
  /** The local file the msg names (`media_id: ./assets/x.png`); the run uploads it or reuses its media_id from the state. */
  media?: PlannedMedia;
  /** `each:`: one message per row. `msg` is then a sample (sensitive values masked); each call carries its own msg. */
  each?: PlannedEach;
  /** `mobile:` recipients (and `each: { key: mobile }` rows) and the userid each was resolved to: the directory's, or getbymobile's. */
  mobiles?: { mobile: string; userid: string }[];
  /** An unread reminder (`remind:`): of which notification and run, and to how many of those unread. */
  reminder?: ReminderOf;
  /** People each department (`dept:ID`) and `all` reach, from the pulled directory: the pacing counts them (core/send/reach.ts). */
  sizes?: Record<string, number>;
}

export interface ReminderOf {
  notification: string;
  run: string;
  /** The people getsendresult listed unread when the reminder came due (the audience), and read. */
  unread: number;
  read: number;
}

/** On the reminded run's report (after `report --refresh`): a reminder another run sent to its unread. */
export interface ReminderSent {
  run: string;
  at: string;
  template: string;
  unread: string[];
  read: string[];
}

export interface PlannedEach {
  file: string;
  /** Rows in the file (people it is for). */
  rows: number;
  /** Distinct messages this run sends (rows with identical content share a call). */
  messages: number;
  /** The largest row's msg, in bytes. */
  max_bytes: number;
  /** Variables masked everywhere (`sensitive: true` in the template). */
  sensitive: string[];
  /** Rows sent now under a new definition, by the run that sent their earlier version (latest first). */
  changed?: PlannedEachChange[];
}

/** Rows of an `each:` file that changed since a run sent them: how many, and the first people. */
export interface PlannedEachChange {
  run: string;
  at: string;
  rows: number;
  /** The first 10 of them. */
  users: string[];
}

export interface PlannedCall {
  /** Stable idempotency key: notification, content hash, day and the call's recipients. */
  key: string;
  index: number;
  recipients: CallRecipients;
  /** The exact msg JSON of an earlier attempt whose answer was lost, or of one person's message (`each:`); without it the notification's `msg` is sent. */
  msg?: string;
  /** An `each:` call's identity (its rows' declared fields); without it the notification's. */
  identity?: string;
  /** The msg holds sensitive values: the ledger keeps `rendered` (and hashes), never the msg itself. */
  sensitive?: true;
  /** For a sensitive call: the clock and run its msg was rendered with, recorded in the intent. */
  rendered?: RenderedAt;
  /** `each:`: the local file this call's msg names; the run puts its media_id into `msg` (uploaded once per distinct content). */
  media?: PlannedMedia;
  /** What the ledger records as the call's content hash when it is not sha256(msg): a local file counts by its sha256, not its path. */
  sha256?: string;
  /** People a call to departments or everyone reaches (their sizes in the directory); the client paces the 5000-a-minute cap by it. Absent when unknown. */
  reach?: number;
}

export type RecipientStatus = 'read' | 'unread' | 'failed' | 'forbidden' | 'invalid' | 'skipped' | 'unknown';

export interface CallError {
  kind: 'dingtalk' | 'transport' | 'internal';
  errcode?: number;
  errmsg: string;
  attempts: number;
}

export interface SendResultLists {
  invalid_user_id_list: string[];
  forbidden_user_id_list: string[];
  failed_user_id_list: string[];
  read_user_id_list: string[];
  unread_user_id_list: string[];
  invalid_dept_id_list: string[];
  forbidden_list: { code: string; count: number; userid: string }[];
}

export interface CallReport {
  key: string;
  index: number;
  recipients: CallRecipients;
  task_id?: number;
  progress?: { percent: number; status: 0 | 1 | 2 };
  result?: SendResultLists;
  error?: CallError;
  /** `sent` = DingTalk accepted it; `failed` = it did not; `unknown` = a run died between intent and answer. */
  state: 'sent' | 'failed' | 'unknown';
  attempts: number;
  recalled_at?: string;
  status_bar?: { status_value: string; status_bg?: string; updated_at: string };
}

export interface NotificationReport {
  id: string;
  template: string;
  sha256: string;
  bytes: number;
  calls: CallReport[];
  skipped: { userid: string; reason: string }[];
  recipients: Record<string, RecipientStatus>;
  forbidden_reasons: Record<string, string>;
  slot?: string;
  /** The rendered msg that was sent, for report.html's card (reports written before it lack it). */
  msg?: Record<string, unknown>;
  /** This is an unread reminder of another run's notification. */
  reminder?: ReminderOf;
  /** Reminders later runs sent to this notification's unread (filled in by `report --refresh`). */
  reminders?: ReminderSent[];
}

export interface ReadPoint {
  at: string;
  read: number;
  unread: number;
}

export interface Totals {
  calls: number;
  recipients: number;
  read: number;
  unread: number;
  failed: number;
  forbidden: number;
  invalid: number;
  skipped: number;
  unknown: number;
}

/** A notification left out of a run for its errors, with them (as `dingcast validate` shows them). */
export interface BrokenNotification {
  id: string;
  diagnostics: BrokenDiagnostic[];
}

/** A diagnostic as a report keeps it: where, which code, what and how to fix it (no source line: reports are shared). */
export interface BrokenDiagnostic {
  file: string;
  line: number;
  column: number;
  code: string;
  message: string;
  hint?: string;
}

export interface Report {
  format: 'dingcast.report/v1';
  run_id: string;
  started_at: string;
  finished_at: string;
  /** The project's time zone: report.md shows the times people read in it (reports written before it: UTC). */
  timezone?: string;
  endpoint: string;
  agent_id: number | string | undefined;
  dry_run: boolean;
  force: boolean;
  sandbox: boolean;
  /** False when `send --no-wait` left the follow-up for later (`report --refresh`). */
  followed_up?: boolean;
  /** Why the run stopped before finishing its plan (SIGTERM, a ledger that could not record); exit code 2. */
  stopped?: string;
  /** Read and unread counts when the run finished and at each `report --refresh`: report.html's reads-over-time chart. */
  read_history?: ReadPoint[];
  /**
   * Notifications this run would have sent (`send --all`/`--due`) but left out for errors of their own (issue 16
   * item 3): they failed, so the run exits 1, and their diagnostics say why.
   */
  broken?: BrokenNotification[];
  notifications: NotificationReport[];
  totals: Totals;
  api_calls: number;
}
