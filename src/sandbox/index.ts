import type { AddressInfo } from 'node:net';
import { UserError } from '../errors.js';
import { readTextFile } from '../io/readText.js';
import { createAdmin, type SandboxAdmin } from './admin.js';
import { createClock, type ClockSource, type SandboxClock } from './clock.js';
import { checkTunables, loadSandboxConfig, resolveConfig, type SandboxConfigInput } from './config.js';
import type { Emulator } from './context.js';
import { DirectoryIndex } from './directory.js';
import { FaultQueue } from './faults.js';
import { Latches } from './latches.js';
import { parseOrgFile, sampleDirectory } from './org/load.js';
import { createSandboxServer } from './server.js';
import { SandboxState } from './state.js';
import type { FaultSpec, SandboxConfig, SandboxTunables } from './types.js';
import { createStateView, type SandboxStateView } from './views.js';

export { loadSandboxConfig, DEFAULT_APP, DEFAULT_TUNABLES, type SandboxConfigInput } from './config.js';
export { defaultDirectoryFor } from './directory.js';
export type { SandboxClock } from './clock.js';
export type { SandboxAdmin } from './admin.js';
export type { LatchStatus } from './latches.js';
export type { SandboxStateView, TaskView, InboxItem, UserView } from './views.js';
export type * from './types.js';

export interface SandboxOptions extends Partial<SandboxTunables> {
  /** A parsed config (as from `loadSandboxConfig`); its entries win over `configFile`. */
  config?: SandboxConfigInput;
  /** A sandbox YAML config file (users, departments, apps, tunables, faults). */
  configFile?: string;
  /**
   * The organisation: a directory file (YAML/JSON, departments with members, or a pulled .dingcast/directory.json).
   * Default: the sample company shipped with dingcast. A config's `directory` wins over both.
   */
  directoryFile?: string;
  /** Default 0: an ephemeral port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** A Date freezes the clock there (tests move it); a function is the time source. Default: real time. */
  now?: ClockSource;
  /** Faults injected from the start, after the config's. */
  faults?: FaultSpec[];
}

export interface Sandbox {
  url: string;
  port: number;
  state: SandboxStateView;
  clock: SandboxClock;
  admin: SandboxAdmin;
  config: SandboxConfig;
  close(): Promise<void>;
}

const OPTION_KEYS = new Set(['config', 'configFile', 'directoryFile', 'port', 'host', 'now', 'faults']);

/** Starts a DingTalk emulator on a real loopback socket. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const fileConfig = options.configFile ? loadSandboxConfig(readConfigText(options.configFile), options.configFile) : undefined;
  const tunables = Object.fromEntries(Object.entries(options).filter(([k]) => !OPTION_KEYS.has(k)));
  const config = resolveConfig(organisation(options.directoryFile), fileConfig, options.config, {
    tunables: checkTunables(tunables),
    ...(options.faults ? { faults: options.faults } : {}),
  });
  const emu: Emulator = {
    config,
    directory: new DirectoryIndex(config.directory),
    state: new SandboxState(),
    clock: createClock(options.now),
    faults: new FaultQueue(),
    latches: new Latches(),
    address: { host: options.host ?? '127.0.0.1', port: 0 },
  };
  emu.faults.add(...config.faults);

  const server = createSandboxServer(emu);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  emu.address.port = port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    state: createStateView(emu),
    clock: emu.clock,
    admin: createAdmin(emu),
    config,
    close: () =>
      new Promise<void>((resolve, reject) => {
        emu.latches.releaseAll();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function readConfigText(file: string): string {
  const r = readTextFile(file);
  if (!r.ok) throw new UserError(`cannot read the sandbox config ${file}${r.line > 0 ? `:${r.line}:${r.column}` : ''}: ${r.message}`, r.hint);
  return r.text;
}

/** Ids not in the directory are invalid, as at DingTalk: a typo must not get an inbox of its own. */
function organisation(file: string | undefined): SandboxConfig['directory'] {
  if (file === undefined) return sampleDirectory();
  const r = readTextFile(file);
  if (!r.ok) throw new UserError(`cannot read the directory file ${file}${r.line > 0 ? `:${r.line}:${r.column}` : ''}: ${r.message}`, r.hint);
  return parseOrgFile(r.text, file);
}
