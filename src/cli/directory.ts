import { relative, resolve } from 'node:path';
import { findInDirectory, indexDirectory } from '../core/recipients/directory.js';
import { DingTalkError, TransportError, UserError } from '../errors.js';
import { createDingTalkClient, type DingTalkClient } from '../io/dingtalk/index.js';
import { pullDirectory, readDirectory, writeDirectory, type PullProgress } from '../io/directory.js';
import { readAppKind } from './appKind.js';
import { appCredentialsFromEnv, credentialsHint, httpTimeoutMs, sandboxCredentials, type AppCredentials } from './credentials.js';
import { log, out, plural } from './output.js';

export interface DirectoryPullOptions {
  sandbox?: boolean;
  json?: boolean;
}

/**
 * `dingcast directory pull`: departments and users through DingTalk's contacts APIs (not metered against the
 * monthly quota) into .dingcast/directory.json, which holds names and mobiles and is git-ignored.
 */
export async function runDirectoryPull(projectDir: string, opts: DirectoryPullOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const sandbox = opts.sandbox ? await (await import('../sandbox/index.js')).startSandbox({}) : undefined;
  try {
    // The same credentials as send: an ISV project (app.kind: isv) reads the customer's contacts with its corp token
    // (get_corp_token); --sandbox uses the sandbox's app of that kind.
    const kind = await readAppKind(projectDir);
    const creds: AppCredentials = sandbox ? sandboxCredentials(sandbox.url, kind) : appCredentialsFromEnv(env, kind);
    // The contacts APIs take no agent_id; the client wants one, so any valid number does.
    const agentId = Number(env.DINGTALK_AGENT_ID) > 0 ? Number(env.DINGTALK_AGENT_ID) : 1;
    const client = createDingTalkClient({ ...creds, agentId, timeoutMs: httpTimeoutMs(env) });
    try {
      await checkCredentials(client, creds);
      const report = progressLines();
      const directory = await pullDirectory((path, body) => client.callContacts(path, body), sandbox ? 'sandbox' : creds.baseUrl, new Date(), report);
      const file = await writeDirectory(projectDir, directory);
      const where = relative(process.cwd(), file) || file;
      const mobiles = directory.users.filter((u) => u.mobile).length;
      const summary = { file: where, departments: directory.departments.length, users: directory.users.length, with_mobile: mobiles };
      if (opts.json) out(JSON.stringify(summary, null, 2));
      else
        log(
          `pulled ${plural(directory.departments.length, 'department')} and ${plural(directory.users.length, 'user')} (${mobiles} with a mobile) into ${where}` +
            `\n  it holds names and mobiles: keep it out of git (dingcast init ignores .dingcast/)`,
        );
      return 0;
    } finally {
      await client.close();
    }
  } finally {
    await sandbox?.close();
  }
}

/** A wrong key, secret or ticket is a pull that could not start (exit 2), with what to check; nothing is written. */
async function checkCredentials(client: DingTalkClient, creds: AppCredentials): Promise<void> {
  try {
    await client.checkCredentials();
  } catch (e) {
    if (e instanceof DingTalkError) throw new UserError(`DingTalk refused the app credentials (errcode ${e.errcode} ${e.errmsg}); nothing was pulled`, `${credentialsHint(creds)} The app needs the contacts read permission.`);
    if (e instanceof TransportError) throw new UserError(`cannot reach ${creds.baseUrl}: ${e.message}; nothing was pulled`, 'Check the network and DINGTALK_BASE_URL.');
    throw e;
  }
}

/** A line per department read on a terminal would flood CI logs: one line every 2 s, and at the end. */
function progressLines(): (p: PullProgress) => void {
  let last = 0;
  return (p) => {
    if (Date.now() - last < 2000) return;
    last = Date.now();
    log(`reading departments: ${p.departments} read, ${p.users} users so far (${p.current})`);
  };
}

/** `dingcast directory find TEXT`: people and departments by name, mobile or id, from the pulled directory. */
export async function runDirectoryFind(projectDir: string, text: string, opts: { json?: boolean }): Promise<number> {
  const directory = await readDirectory(resolve(projectDir));
  if (!directory) throw new UserError('no directory yet: .dingcast/directory.json does not exist', 'Run `dingcast directory pull` first (or `dingcast directory pull --sandbox` to try it).');
  const found = findInDirectory(indexDirectory(directory), text);
  if (opts.json) {
    out(JSON.stringify(found, null, 2));
    return found.length > 0 ? 0 : 1;
  }
  if (found.length === 0) {
    log(`nobody and no department matches "${text}" in the directory pulled ${directory.pulled_at}`);
    return 1;
  }
  const width = Math.max(...found.map((f) => f.id.length));
  for (const f of found.slice(0, 50)) out(`${f.kind === 'user' ? 'user' : 'dept'}  ${f.id.padEnd(width)}  ${f.label}`);
  if (found.length > 50) log(`… and ${found.length - 50} more; narrow the search`);
  return 0;
}
