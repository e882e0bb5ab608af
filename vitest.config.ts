import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'test/e2e/**/*.e2e.ts'],
    environment: 'node',
    pool: 'forks',
    // At least two files at once: a browser test waits on Chromium much of the time, so on a 2-core
    // machine (CI) two workers finish the suite about a third sooner than the default one.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    globalSetup: ['test/global-setup.ts'],
  },
});
