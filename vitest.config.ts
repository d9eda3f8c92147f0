import { defineConfig } from 'vitest/config';
import SummaryReporter from './tests/helpers/summaryReporter.js';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    reporters: ['default', new SummaryReporter()],
  },
});
