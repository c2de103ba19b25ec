import { resolve } from 'node:path';
import { UserError } from '../errors.js';
import { log } from './output.js';

export async function runSandbox(projectDir: string, opts: { port: string; config?: string }): Promise<number> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--port \`${opts.port}\` is not a port number`);
  const { runSandboxCommand } = await import('../sandbox/index.js');
  const sandbox = await runSandboxCommand({ port, projectDir: resolve(projectDir), log, ...(opts.config !== undefined ? { config: opts.config } : {}) });
  // Serve until interrupted; close cleanly so the port is released.
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await sandbox.close();
  return 0;
}
