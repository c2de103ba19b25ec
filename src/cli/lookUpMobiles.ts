import { mobilesOf } from '../core/recipients/mobiles.js';
import { DingTalkError, TransportError, UserError } from '../errors.js';
import { lookUpMobiles, saveMobiles } from '../io/directory.js';
import type { Workspace } from '../io/readProject.js';
import { appCredentialsFromEnv, credentialsHint, httpTimeoutMs, sandboxCredentials, type AppCredentials } from './credentials.js';
import { plural } from './output.js';

/**
 * `mobile:` recipients that .dingcast/directory.json does not map are looked up with DingTalk's getbymobile before
 * the run plans (design.md §8; a contacts API, not metered against the monthly quota), and the answers are kept in
 * that file, so the next run asks nothing. A mobile nobody has is not an answer kept: the checks report it where it
 * was written. `--sandbox` asks an in-process sandbox (the sample company), as `send --sandbox` sends to one.
 */
export async function withLookedUpMobiles(ws: Workspace, sandboxRun: boolean, env: NodeJS.ProcessEnv, sandboxLimits: () => { useridsPerCall: number; deptIdsPerCall: number }): Promise<Workspace> {
  const wanted = ws.project ? mobilesOf(ws.project).filter((m) => !Object.hasOwn(ws.mobiles, m)) : [];
  if (!ws.project || wanted.length === 0) return ws;
  const kind = ws.project.config.appKind;
  const sandbox = sandboxRun ? await (await import('../sandbox/index.js')).startSandbox(sandboxLimits()) : undefined;
  try {
    const what = `${plural(wanted.length, 'mobile recipient')} not in .dingcast/directory.json`;
    const creds: AppCredentials = sandbox ? sandboxCredentials(sandbox.url, kind) : appCredentialsFromEnv(env, kind, `, so the ${what} cannot be looked up (getbymobile); nothing was sent`);
    const { createDingTalkClient } = await import('../io/dingtalk/index.js');
    // The contacts APIs take no agent_id; the client wants one, so any valid number does.
    const client = createDingTalkClient({ ...creds, agentId: 1, timeoutMs: httpTimeoutMs(env) });
    try {
      const { found } = await lookUpMobiles((path, body) => client.callContacts(path, body), wanted);
      return Object.keys(found).length === 0 ? ws : { ...ws, mobiles: await saveMobiles(ws.dir, found) };
    } catch (e) {
      throw refused(e, creds, what);
    } finally {
      await client.close();
    }
  } finally {
    await sandbox?.close();
  }
}

function refused(e: unknown, creds: AppCredentials, what: string): unknown {
  if (e instanceof DingTalkError) {
    return new UserError(
      `DingTalk refused ${e.endpoint.includes('getbymobile') ? 'getbymobile' : e.endpoint} (errcode ${e.errcode} ${e.errmsg}) while looking up the ${what}; nothing was sent`,
      `${credentialsHint(creds)} Looking people up by mobile needs the app's permission to read members by mobile (qyapi_get_member_by_mobile); or write userids, or run \`dingcast directory pull\`.`,
    );
  }
  if (e instanceof TransportError) return new UserError(`cannot reach ${creds.baseUrl} to look up the ${what}: ${e.message}; nothing was sent`, 'Check the network and DINGTALK_BASE_URL.');
  return e;
}
