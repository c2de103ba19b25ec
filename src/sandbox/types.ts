/** Shapes shared by the sandbox modules. */

export type AppKind = 'internal' | 'isv';

export interface SandboxApp {
  appkey: string;
  appsecret: string;
  agent_id: number;
  kind: AppKind;
  name: string;
  /**
   * ISV apps authenticate with get_corp_token: `appkey` is the suite key, `appsecret` the suite secret, and
   * these the suite ticket DingTalk pushes and the one customer corp the suite is authorised in.
   */
  suite_ticket?: string;
  corp_id?: string;
}

/** A message template reviewed in DingTalk's console (sendbytemplate, ISV apps). `text` shows `${field}` values in the inbox. */
export interface SandboxTemplate {
  template_id: string;
  name: string;
  text: string;
}

/** Department ids are exact decimal strings (64-bit at DingTalk; see core/deptId.ts), written as JSON numbers on the wire. */
export interface SandboxUser {
  userid: string;
  name: string;
  dept_ids: string[];
  /** Answered by the contacts APIs and found by `getbymobile`. */
  mobile?: string;
  title?: string;
}

export interface SandboxDepartment {
  id: string;
  name: string;
  parent_id?: string;
}

export interface SandboxDirectory {
  users: SandboxUser[];
  departments: SandboxDepartment[];
}

/** Every knob of the emulator. Defaults follow the seed page where it is explicit (see DEFAULT_TUNABLES). */
export interface SandboxTunables {
  /** Lifetime of an access_token, seconds. */
  tokenLifetimeSec: number;
  /** Max entries in `userid_list` per call (today's docs: 100; the seed's old figure: 20) → 40032. */
  useridsPerCall: number;
  /** Max entries in `dept_id_list` per call → 40032. */
  deptIdsPerCall: number;
  /** Calls per second per app per API before 90018; 0 turns the cap off. */
  qpsPerApi: number;
  /** Messages one user may receive from one internal app per day → 143105. */
  dailyCapInternal: number;
  /** Same for ISV apps (current docs: 100; RESULT's error table and the seed: 50). */
  dailyCapIsv: number;
  /** People an app's messages reach per minute; beyond it deliveries are forbidden with 143103. 0 = off. */
  recipientsPerMinute: number;
  /** `to_all_user` sends per app per day before 41045. */
  toAllUserPerDay: number;
  /** getsendresult lists as JSON arrays (current docs) or comma strings (seed page). */
  resultListsAs: 'array' | 'string';
  /** getsendresult refuses tasks with more recipients than this. */
  resultMaxRecipients: number;
  /** getsendprogress / getsendresult / recall only see tasks younger than this. */
  taskWindowHours: number;
  /** status_bar/update works on messages up to this old. */
  statusBarWindowDays: number;
  /** A task sits at status 0 this long before processing starts. */
  taskQueueMs: number;
  /** Processing time of a task: taskBaseMs + taskPerRecipientMs × recipients. */
  taskBaseMs: number;
  taskPerRecipientMs: number;
  /** Each delivered user reads the message this long after delivery; null = only when marked read. */
  readAfterMs: number | null;
  /** Time zone of the calendar day used by the daily limits. */
  timezone: string;
  /** DingTalk documents the lists as comma strings; accept JSON arrays too (off = answer 40035). */
  acceptListArrays: boolean;
  /** Users whose delivery always fails (→ failed_user_id_list). */
  failingUsers: string[];
  /** Metered calls the organisation may make per calendar month before 90020 (standard edition: 5000). 0 = off. */
  monthlyCallQuota: number;
}

export interface SandboxConfig {
  apps: SandboxApp[];
  templates: SandboxTemplate[];
  directory: SandboxDirectory;
  tunables: SandboxTunables;
  faults: FaultSpec[];
}

export type Endpoint = 'gettoken' | 'get_corp_token' | 'asyncsend_v2' | 'sendbytemplate' | 'getsendprogress' | 'getsendresult' | 'recall' | 'status_bar/update' | 'media/upload';

export const ENDPOINTS: readonly Endpoint[] = [
  'gettoken',
  'get_corp_token',
  'asyncsend_v2',
  'sendbytemplate',
  'getsendprogress',
  'getsendresult',
  'recall',
  'status_bar/update',
  'media/upload',
];

/**
 * A fault to inject. `endpoint` limits it to one API; `count` is how many calls (or, for `user`, deliveries)
 * it hits (latency: all when absent).
 * - `drop`: the connection is destroyed before the call is processed (nothing happened);
 * - `drop-answer`: the call is processed (a send delivers), then the connection is destroyed: a lost answer;
 * - `ip-ban`: DingTalk's per-IP ban answer, `{"status":1111,...}` (`style: json`) or an HTML page;
 * - `user`: the next `count` deliveries to `userid` fail (`failed_user_id_list`) or are forbidden with `code`
 *   (default 143103, the app's recipients-per-minute cap), as if DingTalk had filtered them;
 * - `hold`: the call waits in flight (before it is processed, or after, with its answer held back) until a
 *   test releases the latch `name` (`POST /__admin/release`); `GET /__admin/holds` shows what is held.
 */
export type FaultSpec =
  | { kind: 'latency'; ms: number; endpoint?: Endpoint; count?: number }
  | { kind: 'http'; status: number; count: number; endpoint?: Endpoint }
  | { kind: 'drop'; count: number; endpoint?: Endpoint }
  | { kind: 'drop-answer'; count: number; endpoint?: Endpoint }
  | { kind: 'errcode'; errcode: number; errmsg?: string; count: number; endpoint?: Endpoint }
  | { kind: 'ip-ban'; style?: 'json' | 'html'; count: number; endpoint?: Endpoint }
  | { kind: 'user'; userid: string; outcome: 'failed' | 'forbidden'; code?: string; count: number }
  | { kind: 'hold'; name: string; phase?: 'before' | 'after'; count: number; endpoint?: Endpoint };

/** A DingTalk-style refusal: what the endpoint answers instead of its success body. */
// A type alias (not an interface) so that it is assignable to Answer's index signature.
export type ApiError = { errcode: number; errmsg: string };

export type Answer = { errcode: number; errmsg: string } & Record<string, unknown>;
