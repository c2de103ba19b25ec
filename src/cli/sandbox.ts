import { resolve } from 'node:path';
import { UserError } from '../errors.js';
import { log, out } from './output.js';

/**
 * `dingcast sandbox`: serves until SIGINT/SIGTERM. Once listening it prints its URL alone on stdout (the
 * banner goes to stderr), so scripts and tests can start it with `--port 0` and read the bound port.
 * Started by a parent with an IPC channel (node's `fork`/`spawn` with 'ipc'), it also stops when that
 * parent goes away, so a crashed test run leaves no server behind.
 */
export async function runSandbox(_projectDir: string, opts: { port: string; config?: string; directory?: string }): Promise<number> {
  const port = Number(opts.port);
  if (!/^\d+$/.test(opts.port.trim()) || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UserError(`--port \`${opts.port}\` is not a port number`, 'use 0..65535; 0 picks a free port');
  }
  const { runSandboxCommand } = await import('../sandbox/index.js');
  const sandbox = await runSandboxCommand({
    port,
    log,
    ...(opts.config !== undefined ? { config: opts.config } : {}),
    ...(opts.directory !== undefined ? { directory: resolve(opts.directory) } : {}),
  });
  out(sandbox.url);
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
