import type { CompileMemo } from './compileMemo.js';
import type { Diagnostic } from './diagnostics.js';
import type { YamlSource } from './load/yamlSource.js';
import type { MediaFiles } from './media/file.js';

/** A file's text as read by the I/O edge; the core never reads files itself. */
export interface FileText {
  /** Relative to the project root, forward slashes. */
  file: string;
  text: string;
  /**
   * The YAML parse of `text`, when whoever read the file already needed it (the reader parses notifications.yaml
   * to learn which other files to read): the loader reuses it instead of parsing a large file twice. Kept with the
   * text it belongs to, so a copy with edited text is parsed afresh.
   */
  parsed?: { text: string; result: { source: YamlSource; diagnostics: Diagnostic[] } };
}

export interface ProjectFiles {
  notifications: FileText | undefined;
  templates: FileText[];
  /** vars_file contents by the path written in notifications.yaml; `undefined` text = could not be read. */
  varsFiles: Map<string, { file: string; text: string | undefined; error?: string; hint?: string }>;
  /** Files the edge found but could not read (a folder named `x.yaml`, a symlink loop, not UTF-8, outside the project). */
  problems?: Diagnostic[];
  /** Recipient and per-person data files (`to.users_file`, `each.file`) as bytes: they are parsed as data, not YAML. */
  dataFiles?: Map<string, { file: string; bytes: Uint8Array | undefined; error?: string }>;
}

export type Vars = Record<string, unknown>;

export interface TemplateDef {
  id: string;
  source: YamlSource;
  version: number;
  description: string;
  variables: Record<string, unknown>;
  examples: Record<string, Vars>;
  /**
   * `msg`: a DingTalk msg, sent with asyncsend_v2. `sendbytemplate`: the file has `sendbytemplate: {template_id, data}`
   * in place of `msg` (ISV apps), and `msg` holds it as `{msgtype: 'sendbytemplate', sendbytemplate: {…}}` (see
   * core/msg/templateSend.ts), so rendering, identity, the ledger and previews treat both kinds alike.
   */
  kind: 'msg' | 'sendbytemplate';
  msg: Record<string, unknown>;
  /** The project's compile cache, shared by all its templates (loadProject makes one per project). */
  memo: CompileMemo;
}

export interface Recipients {
  users: string[];
  departments: (string | number)[];
  all: boolean;
}

export interface NotificationDef {
  id: string;
  /** The reference as written, e.g. `release-note@3`. */
  templateRef: string;
  templateId: string;
  pin: number | undefined;
  to: Recipients;
  /** Named recipient lists (`to.groups`) and a `to.users_file`, already expanded into `to.users`. */
  groups?: string[];
  userFile?: import('./recipients/expand.js').UserFileSource;
  /** `each:` (in place of `to`): one message per row of a data file; `to.users` holds the rows' userids. */
  each?: import('./recipients/each.js').EachSource;
  vars: Vars;
  varsFile: string | undefined;
  schedule: string | undefined;
  timezone: string | undefined;
  calendar: string | undefined;
  enabled: boolean;
  description: string | undefined;
  /** `remind:`: a second message, after a while, to those who have not read the first (design.md §9). */
  remind?: ReminderDef;
}

export interface ReminderDef {
  /** As written (`4h`); `afterMs` is undefined when it is not a duration (validate says so). */
  after: string;
  afterMs: number | undefined;
  templateRef: string;
  templateId: string;
  pin: number | undefined;
}

export interface ProjectConfig {
  agentId: number | string | undefined;
  appKind: 'internal' | 'isv';
  timezone: string;
  limits: { useridsPerCall: number; deptIdsPerCall: number };
  /** `app.monthly_call_quota`: metered calls a month (core/send/quota.ts); absent = counted, never refused. */
  monthlyCallQuota?: number;
  /** `state.backend`: `postgres` makes DINGCAST_STATE required (design.md §7); `file` (default) lets it choose. */
  stateBackend: 'file' | 'postgres';
}

export interface Project {
  notificationsSource: YamlSource | undefined;
  config: ProjectConfig;
  notifications: NotificationDef[];
  templates: Map<string, TemplateDef>;
  /** Template ids whose file exists but did not load (its own errors say why). */
  brokenTemplates: Set<string>;
  /** Every file that parsed as YAML, whether or not it passed its schema. */
  sources: YamlSource[];
  /** Problems found while loading (YAML syntax, schema); validation adds the rest. */
  diagnostics: Diagnostic[];
  /** Local media files the messages name (`media_id: ./assets/x.png`), read by the edge before validation. */
  media?: MediaFiles;
}

export const DEFAULT_TIMEZONE = 'Asia/Shanghai';
/** Today's documented caps per asyncsend_v2 call: 100 userids and 20 dept ids (dingtalk-api.md, top; the seed's 20 userids is the old figure). */
export const DEFAULT_LIMITS = { useridsPerCall: 100, deptIdsPerCall: 20 } as const;
