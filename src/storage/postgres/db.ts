import type { ChangeVersion } from './changes.js';
import { guard, inTransaction, type Client, type Pool } from './pool.js';

/** What the PostgreSQL stores share: reads on the pool, and write transactions that move the change version. */
export interface PgDb {
  pool: Pool;
  /** One statement on any connection; an unavailable database is a 503. */
  rows<R>(sql: string, params?: unknown[]): Promise<R[]>;
  /** A write transaction (retried whole on a deadlock); once it committed, the change version moves. */
  write<T>(fn: (c: Client) => Promise<T>): Promise<T>;
}

export function pgDb(pool: Pool, changes: ChangeVersion): PgDb {
  return {
    pool,
    rows: (sql, params) => guard(async () => (await pool.query(sql, params)).rows),
    async write(fn) {
      const result = await inTransaction(pool, fn);
      // Committed, hence acknowledged whatever happens next; an instance that misses this bump (the database
      // went away just now) learns of the change at the next one.
      await changes.bump().catch(() => undefined);
      return result;
    },
  };
}
