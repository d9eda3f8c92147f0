import type { ChangeFeed } from './changes.js';
import { CHANNEL } from './changes.js';
import { guard, inTransaction, type Client, type Pool } from './pool.js';

/** What the PostgreSQL stores share: reads on the pool, and write transactions that tell the other instances. */
export interface PgDb {
  pool: Pool;
  /** One statement on any connection; an unavailable database is a 503. */
  rows<R>(sql: string, params?: unknown[]): Promise<R[]>;
  /**
   * A write transaction (retried whole on a deadlock); on commit every instance's change version moves
   * (pg_notify is delivered only if the transaction commits), this one's at once.
   */
  write<T>(fn: (c: Client) => Promise<T>): Promise<T>;
}

export function pgDb(pool: Pool, feed: ChangeFeed): PgDb {
  return {
    pool,
    rows: (sql, params) => guard(async () => (await pool.query(sql, params)).rows),
    async write(fn) {
      const result = await inTransaction(pool, async (c) => {
        const r = await fn(c);
        await c.query('SELECT pg_notify($1, $2)', [CHANNEL, '']);
        return r;
      });
      feed.bump();
      return result;
    },
  };
}
