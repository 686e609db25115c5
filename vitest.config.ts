import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // One database server per test run (DESIGN.md §6); each test file gets its own database on it.
    globalSetup: ['src/test-support/global-database.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
