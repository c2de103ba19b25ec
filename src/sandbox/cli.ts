import { startSandbox, type Sandbox } from './index.js';

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
