import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Vitest's default is one worker less than the cores: a single worker on the 2-core CI machine, so the files ran
    // one after another. Most of their time is spent waiting on spawned CLIs and sandboxes, so one worker per core.
    maxWorkers: Math.max(2, availableParallelism()),
    globalSetup: ['test/globalSetup.ts'],
  },
});
