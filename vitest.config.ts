import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Brokers are real and shared: the global set-up starts what the suite needs and
    // stops what it started, even when tests fail.
    globalSetup: ['test/global-setup.ts'],
    // Timing-sensitive tests and real brokers on a 2-core machine: one file at a time.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 600_000,
    teardownTimeout: 120_000,
  },
});
