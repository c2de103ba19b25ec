import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * A sandbox in its own process, as DingTalk is, with a given organisation file. (Until the shared
 * test/helpers/sandboxProcess.ts lands: it starts dist/sandbox directly, since `sandbox --directory` comes with the CLI.)
 */
export interface ChildSandbox {
  url: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

const sandboxModule = fileURLToPath(new URL('../../dist/sandbox/index.js', import.meta.url));

export function startChildSandbox(directoryFile?: string): Promise<ChildSandbox> {
  const script = `
    const { startSandbox } = await import(${JSON.stringify(sandboxModule)});
    const sb = await startSandbox({ port: 0, qpsPerApi: 0${directoryFile ? `, directoryFile: ${JSON.stringify(directoryFile)}` : ''} });
    process.stdout.write(sb.url + '\\n');
    process.on('SIGTERM', () => sb.close().then(() => process.exit(0)));
  `;
  const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
    child.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString();
      const url = /^(http:\/\/\S+)\n/.exec(buffered)?.[1];
      if (!url) return;
      child.removeAllListeners('exit');
      resolve({
        url,
        env: { DINGTALK_BASE_URL: url, DINGTALK_APP_KEY: 'sandbox-app-key', DINGTALK_APP_SECRET: 'sandbox-app-secret', DINGTALK_AGENT_ID: '100000001' },
        stop: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
