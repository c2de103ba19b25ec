import { fileStore } from './file.js';
import type { StateStore } from './types.js';

export interface OpenStateOptions {
  projectDir: string;
  /** Where messages go (a base URL, or `sandbox`): each target has its own ledger. */
  target?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * The state of a project for one target. `DINGCAST_STATE` (a secret, from the environment) will select a shared
 * backend; without it the `.dingcast/` files are used.
 */
export function openState(opts: OpenStateOptions): Promise<StateStore> {
  return Promise.resolve(fileStore(opts.projectDir, opts.target));
}
