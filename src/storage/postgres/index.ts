import { pgImportsStore } from './imports.js';
import { AppError } from '../../errors.js';
import { PG_MIGRATIONS_DIR } from '../../paths.js';
import type { Storage } from '../storage.js';
import { pgAuditStore } from './audit.js';
import { pgCaptchaStore } from './captchas.js';
import { pgCommentsStore } from './comments.js';
import { changeVersion } from './changes.js';
import { pgCountersStore } from './counters.js';
import { pgDb } from './db.js';
import { pgExportsStore } from './exports.js';
import { pgKeysStore } from './keys.js';
import { pgMailStore } from './mail.js';
import { migratePostgres, postgresMigrationsUpToDate } from './migrate.js';
import { pgPollsStore } from './polls.js';
import { pgRetentionStore } from './retention.js';
import { createPool, type Pool, type PoolOptions } from './pool.js';
import { pgSettingsStore } from './settings.js';
import { pgHitCounter } from './hits.js';
import { runJob } from './jobs.js';
import { pgSitesStore } from './sites.js';
import { pgStatsStore } from './stats.js';
import { pgOverviewStore } from './overview.js';
import { pgSurveysStore } from './surveys.js';
import { pgWebhooksStore } from './webhooks.js';
import { pgUsersStore } from './users.js';

export interface PostgresStorage extends Storage {
  readonly backend: 'postgres';
  /** The pool: for tests and the storage folder only. */
  readonly pool: Pool;
}

export interface PostgresOptions extends PoolOptions {
  migrationsDir?: string;
  onError?: (err: unknown) => void;
}

/**
 * The backend for several instances on one PostgreSQL database (DATABASE_URL). Opening migrates under an
 * advisory lock and starts listening for the other instances' commits (the change version).
 */
export async function openPostgresStorage(url: string, o: PostgresOptions): Promise<PostgresStorage> {
  const pool = createPool(url, o);
  try {
    await migratePostgres(pool, o.migrationsDir ?? PG_MIGRATIONS_DIR);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  const changes = changeVersion(pool, { onError: o.onError });
  const db = pgDb(pool, changes);
  const hits = pgHitCounter(pool);

  return {
    backend: 'postgres',
    pool,
    audit: pgAuditStore(db),
    captchas: pgCaptchaStore(db),
    comments: pgCommentsStore(db),
    counters: pgCountersStore(db),
    exports: pgExportsStore(db),
    imports: pgImportsStore(db),
    keys: pgKeysStore(db),
    mail: pgMailStore(db),
    polls: pgPollsStore(db),
    retention: pgRetentionStore(db),
    settings: pgSettingsStore(db),
    sites: pgSitesStore(db),
    surveys: pgSurveysStore(db),
    stats: pgStatsStore(db),
    overview: pgOverviewStore(db),
    webhooks: pgWebhooksStore(db),
    users: pgUsersStore(db),
    hits,
    version: changes.version,
    async ready() {
      try {
        return await postgresMigrationsUpToDate(pool, o.migrationsDir ?? PG_MIGRATIONS_DIR);
      } catch {
        return false;
      }
    },
    runJob: (job, everyMs, fn) => runJob(pool, job, everyMs, fn),
    async backup() {
      throw new AppError(
        400,
        'backup_unsupported',
        'On PostgreSQL, back up with pg_dump (e.g. pg_dump --format=custom --file=ykien-$(date +%F).dump "$DATABASE_URL"); see docs/deploy.md.',
      );
    },
    startMaintenance() {},
    async close() {
      hits.close();
      await pool.end();
    },
  };
}
