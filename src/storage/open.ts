import type { Config } from '../config.js';
import { openSqliteStorage } from './sqlite/index.js';
import type { Storage } from './storage.js';

/**
 * The backend the configuration names: PostgreSQL when DATABASE_URL is set (several instances on one
 * database), else SQLite at DATABASE_PATH (one process, the embedded default).
 */
export function openStorage(config: Config, opts: { onError?: (err: unknown) => void } = {}): Promise<Storage> {
  // The PostgreSQL backend (pg, pg-cursor: ~17 MB of RSS) loads only when it is the one configured.
  const url = config.DATABASE_URL;
  if (url)
    return import('./postgres/index.js').then(({ openPostgresStorage }) =>
      openPostgresStorage(url, {
        size: config.PG_POOL_SIZE,
        statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS,
        ssl: config.PG_SSL,
        caFile: config.PG_SSL_CA_FILE,
        onError: opts.onError,
      }),
    );
  return Promise.resolve(openSqliteStorage(config.DATABASE_PATH));
}
