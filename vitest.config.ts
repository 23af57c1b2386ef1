import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Finds the MongoDB-compatible server once for every file (and says once if there is none).
    globalSetup: ['src/test-support/global-setup.ts'],
    // Generous bounds for a busy machine: tests assert order and outcome, never speed.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Tests start real servers and processes; two cores do best with few workers.
    maxWorkers: 2,
  },
});
