import { defineConfig } from 'vitest/config';
import SummaryReporter from './tests/helpers/summaryReporter.js';

/**
 * The API suites that look at the service only through its API (or only SQL both backends speak, through t.sql): they run a second
 * time with the app on PostgreSQL, so every feature is proven on both backends. The store contracts in
 * tests/storage/ run every store on both backends in the first project already.
 */
const ON_BOTH_BACKENDS = [
  'tests/audit.actor.test.ts',
  'tests/captcha.test.ts',
  'tests/clientKey.test.ts',
  'tests/comments.access.test.ts',
  'tests/comments.bidi.test.ts',
  'tests/comments.content.test.ts',
  'tests/comments.counter.test.ts',
  'tests/comments.links.test.ts',
  'tests/comments.moderation.test.ts',
  'tests/comments.repeats.test.ts',
  'tests/comments.spam.test.ts',
  'tests/comments.webhook.targets.test.ts',
  'tests/comments.webhook.test.ts',
  'tests/comments.words.test.ts',
  'tests/counters.abuse.test.ts',
  'tests/counters.rules.test.ts',
  'tests/counters.test.ts',
  'tests/dates.test.ts',
  'tests/exports.test.ts',
  'tests/exports.timeline.test.ts',
  'tests/hashes.test.ts',
  'tests/imports.polls.test.ts',
  'tests/imports.test.ts',
  'tests/ops.metrics.test.ts',
  'tests/ops.test.ts',
  'tests/pages.forgery.test.ts',
  'tests/pages.survey.test.ts',
  'tests/pages.test.ts',
  'tests/polls.admin.test.ts',
  'tests/polls.public.test.ts',
  'tests/responseCache.test.ts',
  'tests/security/captcha-attack.test.ts',
  'tests/security/fuzz.test.ts',
  'tests/security/hostile.test.ts',
  'tests/seed.test.ts',
  'tests/sites.delete.test.ts',
  'tests/sites.origins.test.ts',
  'tests/sites.test.ts',
  'tests/textKeys.test.ts',
  'tests/widget/serve.test.ts',
  'tests/responseCache.views.test.ts',
  'tests/surveys.public.test.ts',
  'tests/surveys.admin.test.ts',
  'tests/security/surveys.hostile.test.ts',
  'tests/accounts.session.test.ts',
  'tests/accounts.throttle.test.ts',
  'tests/accounts.totp.test.ts',
  'tests/accounts.users.test.ts',
  'tests/console/moderation.api.test.ts',
];

export default defineConfig({
  test: {
    environment: 'node',
    pool: 'forks',
    // One real PostgreSQL server per project (tests/setup/postgres.ts).
    globalSetup: ['tests/setup/postgres.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    reporters: ['default', new SummaryReporter()],
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['tests/**/*.test.ts'] } },
      { extends: true, test: { name: 'postgres', include: ON_BOTH_BACKENDS, env: { YKIEN_TEST_BACKEND: 'postgres' } } },
    ],
  },
});
