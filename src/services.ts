import type { Config } from './config.js';
import type { Db } from './db/open.js';
import { auditRepo } from './audit/audit.repo.js';
import { countersService } from './counters/counters.service.js';
import { keysService } from './keys/keys.service.js';
import { pollsService } from './polls/polls.service.js';
import { sitesService } from './sites/sites.service.js';
import { createHasher, loadSalt } from './util/hash.js';

export interface ServiceDeps {
  db: Db;
  config: Config;
  /** Clock, injectable so tests can move time. */
  now?: () => number;
}

/** Builds every service once per app: statements are prepared here, not per request. */
export function createServices({ db, config, now = Date.now }: ServiceDeps) {
  const hasher = createHasher(loadSalt(db, config.HASH_SALT));
  const audit = auditRepo(db, now);
  const keys = keysService(db, now);
  const sites = sitesService(db, audit, { defaultTimezone: config.DEFAULT_TIMEZONE, now });
  const polls = pollsService(db, { audit, sites, hasher, voteLimitPerIp: config.VOTE_LIMIT_PER_IP, now });
  const counters = countersService(db, { audit, sites, hasher, now });
  return { db, config, now, hasher, audit, keys, sites, polls, counters };
}

export type Services = ReturnType<typeof createServices>;
