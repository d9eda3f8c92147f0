import { defineConfig } from 'vitest/config';
import SummaryReporter from './tests/helpers/summaryReporter.js';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // One real PostgreSQL server for the run (tests/setup/postgres.ts); every backend's contract runs on it.
    globalSetup: ['tests/setup/postgres.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    reporters: ['default', new SummaryReporter()],
  },
});
