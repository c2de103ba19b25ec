import { resolve } from 'node:path';
import { UserError } from '../errors.js';
import { startSandbox, type Sandbox } from '../sandbox/index.js';
import { log, out } from './output.js';

/**
 * `dingcast sandbox`: serves until SIGINT/SIGTERM. Once listening it prints its URL alone on stdout (the
 * banner goes to stderr), so scripts and tests can start it with `--port 0` and read the bound port.
 * Started by a parent with an IPC channel (node's `fork`/`spawn` with 'ipc'), it also stops when that
 * parent goes away, so a crashed test run leaves no server behind.
 */
export async function runSandbox(_projectDir: string, opts: { port: string; config?: string; directory?: string; json?: boolean }): Promise<number> {
  const port = Number(opts.port);
  if (!/^\d+$/.test(opts.port.trim()) || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UserError(`--port \`${opts.port}\` is not a port number`, 'use 0..65535; 0 picks a free port');
  }
  const sandbox = await runSandboxCommand({
    port,
    log,
    ...(opts.config !== undefined ? { config: opts.config } : {}),
    ...(opts.directory !== undefined ? { directory: resolve(opts.directory) } : {}),
  });
  // --json: one line of JSON (the URL, the apps and the variables that point dingcast at it), still printed once listening.
  out(opts.json ? JSON.stringify(sandboxInfo(sandbox)) : sandbox.url);
  // Serve until interrupted; close cleanly so the port is released.
  await new Promise<void>((done) => {
    const stop = (): void => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (process.channel) process.once('disconnect', stop);
  });
  await sandbox.close();
  if (process.channel) process.disconnect();
  return 0;
}

/** What `dingcast sandbox --json` prints: the sandbox's credentials are public (design.md §5). */
function sandboxInfo(sandbox: Sandbox): Record<string, unknown> {
  const app = sandbox.config.apps[0]!;
  return {
    format: 'dingcast.sandbox/v1',
    url: sandbox.url,
    inbox: `${sandbox.url}/`,
    apps: sandbox.config.apps.map((a) => ({ name: a.name, kind: a.kind, appkey: a.appkey, appsecret: a.appsecret, agent_id: a.agent_id, ...(a.corp_id ? { corp_id: a.corp_id } : {}) })),
    env: { DINGTALK_BASE_URL: sandbox.url, DINGTALK_APP_KEY: app.appkey, DINGTALK_APP_SECRET: app.appsecret, DINGTALK_AGENT_ID: String(app.agent_id) },
  };
}

export interface SandboxCommandOptions {
  port: number;
  config?: string;
  /** A directory file (`--directory`); default: the sample company. */
  directory?: string;
  log: (line: string) => void;
}

/** `dingcast sandbox [--port 8787] [--config FILE]`: starts the emulator and says how to point dingcast at it. */
export async function runSandboxCommand(opts: SandboxCommandOptions): Promise<Sandbox> {
  const sandbox = await startSandbox({
    port: opts.port,
    ...(opts.directory === undefined ? {} : { directoryFile: opts.directory }),
    ...(opts.config === undefined ? {} : { configFile: opts.config }),
  });
  const t = sandbox.config.tunables;
  opts.log(`dingcast sandbox listening on ${sandbox.url}  (inbox: ${sandbox.url}/)`);
  for (const app of sandbox.config.apps) {
    opts.log(`  app "${app.name}" (${app.kind}): appkey=${app.appkey} appsecret=${app.appsecret} agent_id=${app.agent_id}`);
  }
  const users = sandbox.state.users();
  const org = opts.directory ?? 'the sample company (示例科技有限公司; try zhangsan, lisi, wangwu, zhaoliu)';
  opts.log(`  directory: ${users.length} users, ${sandbox.state.departments().length} departments from ${org}; other ids are invalid`);
  opts.log(
    `  limits: ${t.useridsPerCall} userids / ${t.deptIdsPerCall} depts per call, ${t.qpsPerApi || 'no'} QPS cap, ` +
      `token ${t.tokenLifetimeSec}s, daily cap ${t.dailyCapInternal} (isv ${t.dailyCapIsv})`,
  );
  const app = sandbox.config.apps[0]!;
  opts.log('Point dingcast at it with:');
  opts.log(`  DINGTALK_BASE_URL=${sandbox.url}`);
  opts.log(`  DINGTALK_APP_KEY=${app.appkey} DINGTALK_APP_SECRET=${app.appsecret} DINGTALK_AGENT_ID=${app.agent_id}`);
  const isv = sandbox.config.apps.find((a) => a.kind === 'isv' && a.suite_ticket && a.corp_id);
  if (isv) {
    opts.log(`or, for a project with app.kind: isv (get_corp_token; sendbytemplate ids: ${sandbox.config.templates.map((x) => x.template_id).join(', ') || 'none'}):`);
    opts.log(`  DINGTALK_SUITE_KEY=${isv.appkey} DINGTALK_SUITE_SECRET=${isv.appsecret} DINGTALK_SUITE_TICKET=${isv.suite_ticket} DINGTALK_CORP_ID=${isv.corp_id} DINGTALK_AGENT_ID=${isv.agent_id}`);
  }
  return sandbox;
}
