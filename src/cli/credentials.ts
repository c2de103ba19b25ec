import type { ProjectConfig } from '../core/project.js';
import { agentIdOf, agentIdProblem } from '../core/agentId.js';
import { UserError } from '../errors.js';
import { baseUrlFromEnv } from '../io/dingtalk/baseUrl.js';
import type { IsvCredentials } from '../io/dingtalk/isv.js';

export interface Credentials {
  baseUrl: string;
  /** An internal app's key and secret; for an ISV app the suite key and '' (its secrets are in `isv`). */
  appKey: string;
  appSecret: string;
  /** `app.kind: isv`: the corp token comes from get_corp_token with these. */
  isv?: IsvCredentials;
  agentId: number;
}

const ISV_ENV = ['DINGTALK_SUITE_KEY', 'DINGTALK_SUITE_SECRET', 'DINGTALK_SUITE_TICKET', 'DINGTALK_CORP_ID'] as const;

/**
 * `DINGCAST_HTTP_TIMEOUT` (seconds, default 10): how long a call waits for DingTalk's answer before it counts as
 * lost and is tried again with the same bytes. Raise it on a slow link; tests that hold a call raise it so a busy
 * machine cannot turn a held call into a lost one.
 */
export function httpTimeoutMs(env: NodeJS.ProcessEnv): number {
  const raw = env.DINGCAST_HTTP_TIMEOUT;
  if (raw === undefined || raw === '') return 10_000;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UserError(`DINGCAST_HTTP_TIMEOUT \`${raw}\` is not a number of seconds`, 'e.g. DINGCAST_HTTP_TIMEOUT=30 (the default is 10).');
  return seconds * 1000;
}

/** An app's credentials without its agent: what the contacts APIs and media/upload need. */
export type AppCredentials = Omit<Credentials, 'agentId'>;

/** Credentials come only from the environment (never YAML, never printed). */
export function credentialsFromEnv(env: NodeJS.ProcessEnv, config: ProjectConfig): Credentials {
  return { ...appCredentialsFromEnv(env, config.appKind), agentId: resolveAgentId(config.agentId, env) };
}

/**
 * The app's key and secret, or for `app.kind: isv` the suite's four variables (get_corp_token): every command that
 * calls DingTalk authenticates the same way as `send`. `doing` ends the message when one is missing (", nothing was uploaded").
 */
export function appCredentialsFromEnv(env: NodeJS.ProcessEnv, appKind: ProjectConfig['appKind'], doing = ''): AppCredentials {
  const baseUrl = baseUrlFromEnv(env);
  if (appKind === 'isv') {
    const missing = ISV_ENV.filter((name) => !env[name]);
    if (missing.length > 0) {
      throw new UserError(
        `app.kind is isv, and ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set${doing}`,
        'An ISV (third-party) app authenticates with its suite: set DINGTALK_SUITE_KEY, DINGTALK_SUITE_SECRET, DINGTALK_SUITE_TICKET (the latest ticket DingTalk pushed) and DINGTALK_CORP_ID (the customer\'s corp id).',
      );
    }
    const isv: IsvCredentials = { suiteKey: env.DINGTALK_SUITE_KEY!, suiteSecret: env.DINGTALK_SUITE_SECRET!, suiteTicket: env.DINGTALK_SUITE_TICKET!, corpId: env.DINGTALK_CORP_ID! };
    return { baseUrl, appKey: isv.suiteKey, appSecret: '', isv };
  }
  const appKey = env.DINGTALK_APP_KEY;
  const appSecret = env.DINGTALK_APP_SECRET;
  if (!appKey || !appSecret) {
    throw new UserError(`DINGTALK_APP_KEY and DINGTALK_APP_SECRET are not set${doing}`, 'Export them from your secret store, or try the flow locally with --sandbox (or `dingcast sandbox` and DINGTALK_BASE_URL). An ISV (third-party) app sets app.kind: isv in notifications.yaml and uses DINGTALK_SUITE_*.');
  }
  return { baseUrl, appKey, appSecret };
}

/** What to check when DingTalk refuses the credentials. */
export function credentialsHint(creds: Pick<Credentials, 'isv'>): string {
  return creds.isv
    ? 'Check DINGTALK_SUITE_KEY and DINGTALK_SUITE_SECRET (the suite\'s key and secret), DINGTALK_SUITE_TICKET (the latest ticket DingTalk pushed to the suite) and DINGTALK_CORP_ID (the customer corp that authorised it).'
    : 'Check DINGTALK_APP_KEY and DINGTALK_APP_SECRET (the app\'s Client ID and Client Secret).';
}

/** The sandbox's default apps (src/sandbox/config.ts DEFAULT_APP, DEFAULT_ISV_APP): their credentials are public. */
export function sandboxCredentials(baseUrl: string, appKind: ProjectConfig['appKind']): Credentials {
  if (appKind === 'isv') {
    const isv = { suiteKey: 'sandbox-suite-key', suiteSecret: 'sandbox-suite-secret', suiteTicket: 'sandbox-suite-ticket', corpId: 'dingsandboxcorp' };
    return { baseUrl, appKey: isv.suiteKey, appSecret: '', isv, agentId: 100000002 };
  }
  return { baseUrl, appKey: 'sandbox-app-key', appSecret: 'sandbox-app-secret', agentId: 100000001 };
}

export function resolveAgentId(value: number | string | undefined, env: NodeJS.ProcessEnv): number {
  let raw: string | number | undefined = value;
  const ref = typeof value === 'string' ? /^\$\{([A-Z_][A-Z0-9_]*)\}$/.exec(value) : null;
  if (ref?.[1]) raw = env[ref[1]];
  raw ??= env.DINGTALK_AGENT_ID;
  // The rule validate applies to the value written in notifications.yaml (core/agentId.ts).
  const id = agentIdOf(raw);
  if (id === undefined) {
    const name = ref?.[1] ?? (value === undefined ? 'DINGTALK_AGENT_ID' : undefined);
    const why = raw === undefined || raw === '' ? (name ? `\${${name}} is not set` : 'it is empty') : `${name ? `\${${name}} ` : ''}${agentIdProblem(raw) ?? ''}`;
    throw new UserError(`no usable agent_id (${why})`, 'Set app.agent_id in notifications.yaml to the app\'s AgentId (a number), or DINGTALK_AGENT_ID in the environment.');
  }
  return id;
}
