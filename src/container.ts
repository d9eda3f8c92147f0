import type { Config } from './config.js';
import { createEvents, type Events } from './events.js';
import type { Logger } from './logger.js';
import { auditService } from './audit/audit.service.js';
import { createComments } from './comments/index.js';
import { countersService } from './counters/counters.service.js';
import { exportsService } from './exports/exports.service.js';
import { importsService } from './imports/comments.import.js';
import { keysService } from './keys/keys.service.js';
import { createMetrics } from './ops/metrics.js';
import { retentionJob } from './ops/retention.js';
import { pollsService } from './polls/polls.service.js';
import { sitesService } from './sites/sites.service.js';
import { surveyExports } from './surveys/surveys.export.js';
import { surveysService } from './surveys/surveys.service.js';
import { sessionsService } from './users/sessions.service.js';
import { usersService } from './users/users.service.js';
import type { Storage } from './storage/storage.js';
import { loadHasher, noHashKeys } from './util/hash.js';

export interface ContainerDeps {
  storage: Storage;
  config: Config;
  /** Clock, injectable so tests can move time. */
  now?: () => number;
  /** For background work (comment webhooks, jobs) that has no request to report to. */
  logger?: Logger | undefined;
  events?: Events;
  /**
   * Whether to load (and on a fresh database, create) the hash keys. The CLI's commands hash nothing,
   * and a dry run must write nothing, so it builds its services without them.
   */
  hashKeys?: boolean;
}

/** Builds every service once, from storage and config: what the HTTP app, the CLI and the jobs share. */
export async function createContainer(deps: ContainerDeps) {
  const { storage, config, logger } = deps;
  const now = deps.now ?? Date.now;
  const events = deps.events ?? createEvents();
  const hasher =
    deps.hashKeys === false
      ? noHashKeys
      : await loadHasher(storage.settings, {
          hashSalt: config.HASH_SALT,
          ipv6PrefixLength: config.IPV6_PREFIX_LENGTH,
          hasBallots: () => storage.polls.anyBallots(),
        });
  // Per-app registry; process metrics (GC, event loop) only outside tests, which build many apps.
  const metrics = createMetrics({ stats: storage.stats, defaultMetrics: config.NODE_ENV !== 'test' });
  events.on(metrics.record);
  const audit = auditService(storage.audit, now);
  const keys = keysService(storage.keys, now);
  const sites = sitesService(storage.sites, { audit, defaultTimezone: config.DEFAULT_TIMEZONE, now, version: storage.version });
  const polls = pollsService(storage.polls, { audit, sites, hasher, events, voteLimitPerIp: config.VOTE_LIMIT_PER_IP, now, version: storage.version });
  // Surveys share polls' per-network cap (VOTE_LIMIT_PER_IP responses per survey and network per day).
  const surveys = surveysService(storage.surveys, { audit, sites, hasher, events, responseLimitPerIp: config.VOTE_LIMIT_PER_IP, now, version: storage.version });
  const surveyFiles = surveyExports({ surveys, sites, audit, defaultTimezone: config.DEFAULT_TIMEZONE, now });
  const comments = createComments(storage, { config, audit, sites, hasher, now, logger, events });
  const counters = countersService(storage.counters, { audit, sites, hasher, now, newPagesPerDay: config.COUNTER_NEW_PAGES_PER_DAY, runJob: storage.runJob.bind(storage) });
  const exportsSvc = exportsService(storage.exports, { polls, sites, audit, defaultTimezone: config.DEFAULT_TIMEZONE, now });
  const imports = importsService(storage.imports, { sites, audit, now });
  const retention = retentionJob(storage.retention, { days: config.RETENTION_DAYS, now, events, logger, runJob: storage.runJob.bind(storage) });
  const users = usersService(storage.users, { audit, now, passwordLog2N: config.PASSWORD_SCRYPT_LOG2N });
  const sessions = sessionsService(storage.users, {
    audit,
    now,
    logger,
    runJob: storage.runJob.bind(storage),
    settings: {
      idleMs: config.SESSION_IDLE_MINUTES * 60_000,
      maxMs: config.SESSION_MAX_HOURS * 3_600_000,
      requireTotpForAdmins: config.REQUIRE_TOTP_FOR_ADMINS,
      maxFailuresPerUser: config.LOGIN_MAX_FAILURES_PER_USER,
      maxFailuresPerIp: config.LOGIN_MAX_FAILURES_PER_IP,
      throttleMs: config.LOGIN_THROTTLE_MINUTES * 60_000,
      passwordLog2N: config.PASSWORD_SCRYPT_LOG2N,
    },
  });
  return { storage, config, now, events, hasher, metrics, audit, keys, sites, polls, surveys, surveyFiles, comments, counters, exports: exportsSvc, imports, retention, users, sessions };
}

export type Container = Awaited<ReturnType<typeof createContainer>>;
