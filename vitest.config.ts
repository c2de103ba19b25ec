import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Timeouts are for tests that hang, not a speed check: on a loaded 2-core machine one CLI start can take 5 s, and an
    // end-to-end test starts several in a row.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker less than the cores: a single worker on the 2-core CI machine, so the files ran
    // one after another. Most of their time is spent waiting on spawned CLIs and sandboxes, so one worker per core.
    maxWorkers: Math.max(2, availableParallelism()),
    // Each worker runs its files one after another in one process, modules loaded once (issue 12): a fresh process
    // per file re-imported src and the helpers every time (32 in-process files side by side at load ~14: 69 s of CPU
    // isolated, 26 s not). No test mocks a module or changes process-wide state (spies are restored after each test),
    // and src keeps no module state a test depends on.
    isolate: false,
    // CI runners set CI, and picocolors then colours output even into a pipe; tests compare plain text, so ask for none.
    env: { NO_COLOR: '1' },
    globalSetup: ['test/globalSetup.ts', 'test/pgSetup.ts'],
  },
});
