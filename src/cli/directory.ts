import { relative, resolve } from 'node:path';
import { findInDirectory, indexDirectory } from '../core/recipients/directory.js';
import { UserError } from '../errors.js';
import { createDingTalkClient } from '../io/dingtalk/index.js';
import { pullDirectory, readDirectory, writeDirectory, type PullProgress } from '../io/directory.js';
import { DEFAULT_BASE_URL } from './credentials.js';
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
    const creds = sandbox
      ? { baseUrl: sandbox.url, appKey: 'sandbox-app-key', appSecret: 'sandbox-app-secret' }
      : { baseUrl: (env.DINGTALK_BASE_URL ?? DEFAULT_BASE_URL).replace(/\/+$/, ''), appKey: env.DINGTALK_APP_KEY, appSecret: env.DINGTALK_APP_SECRET };
    if (!creds.appKey || !creds.appSecret) {
      throw new UserError('DINGTALK_APP_KEY and DINGTALK_APP_SECRET are not set', 'Export them (the app needs the contacts read permission), or try it with --sandbox.');
    }
    // The contacts APIs take no agent_id; the client wants one, so any valid number does.
    const agentId = Number(env.DINGTALK_AGENT_ID) > 0 ? Number(env.DINGTALK_AGENT_ID) : 1;
    const client = createDingTalkClient({ baseUrl: creds.baseUrl, appKey: creds.appKey, appSecret: creds.appSecret, agentId });
    try {
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
