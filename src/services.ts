import type { Config } from './config.js';
import type { Db } from './db/open.js';
import type { Logger } from './logger.js';
import { auditRepo } from './audit/audit.repo.js';
import { createComments } from './comments/index.js';
import { countersService } from './counters/counters.service.js';
import { exportsService } from './exports/exports.service.js';
import { keysService } from './keys/keys.service.js';
import { createMetrics } from './ops/metrics.js';
import { retentionJob } from './ops/retention.js';
import { pollsService } from './polls/polls.service.js';
import { sitesService } from './sites/sites.service.js';
import { ballotsExist } from './polls/polls.repo.js';
import { loadHasher } from './util/hash.js';
import { settingsRepo } from './util/settings.repo.js';

export interface ServiceDeps {
  db: Db;
  config: Config;
  /** Clock, injectable so tests can move time. */
  now?: () => number;
  /** For background work (comment webhooks) that has no request to report to. */
  logger?: Logger;
}

/** Builds every service once per app: statements are prepared here, not per request. */
export function createServices({ db, config, now = Date.now, logger }: ServiceDeps) {
  const hasher = loadHasher(settingsRepo(db), {
    hashSalt: config.HASH_SALT,
    ipv6PrefixLength: config.IPV6_PREFIX_LENGTH,
    hasBallots: () => ballotsExist(db),
  });
  // Per-app registry; process metrics (GC, event loop) only outside tests, which build many apps.
  const metrics = createMetrics({ db, defaultMetrics: config.NODE_ENV !== 'test' });
  const audit = auditRepo(db, now);
  const keys = keysService(db, now);
  const sites = sitesService(db, audit, { defaultTimezone: config.DEFAULT_TIMEZONE, now });
  const polls = pollsService(db, { audit, sites, hasher, voteLimitPerIp: config.VOTE_LIMIT_PER_IP, now, onVote: metrics.voteCast });
  const comments = createComments(db, { config, audit, sites, hasher, now, logger, onPosted: metrics.commentPosted });
  const counters = countersService(db, { audit, sites, hasher, now, newPagesPerDay: config.COUNTER_NEW_PAGES_PER_DAY });
  const exportsSvc = exportsService(db, { polls, sites, audit, defaultTimezone: config.DEFAULT_TIMEZONE, now });
  const retention = retentionJob(db, { days: config.RETENTION_DAYS, now, metrics, logger });
  return { db, config, now, hasher, metrics, audit, keys, sites, polls, comments, counters, exports: exportsSvc, retention };
}

export type Services = ReturnType<typeof createServices>;
