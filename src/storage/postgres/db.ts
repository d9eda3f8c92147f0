import type { ChangeVersion } from './changes.js';
import type pg from 'pg';
import { guard, inTransaction, isRetryable, type Client, type Pool } from './pool.js';

/**
 * `unversioned`: the write touches only rows that no cached answer is built from (the view counters, whose
 * answers are no-store), so the change version stays and every instance keeps its cached polls and threads.
 * Anything a cached answer reads must never be written with it.
 */
export interface WriteOptions {
  unversioned?: boolean;
}

/** What the PostgreSQL stores share: reads on the pool, and write transactions that move the change version. */
export interface PgDb {
  pool: Pool;
  /** One statement on any connection; an unavailable database is a 503. */
  rows<R>(sql: string, params?: unknown[]): Promise<R[]>;
  /** A write transaction (retried whole on a deadlock); once it committed, the change version moves. */
  write<T>(fn: (c: Client) => Promise<T>, opts?: WriteOptions): Promise<T>;
  /**
   * A write that is ONE statement: its own transaction, without the BEGIN and COMMIT round trips (for hot
   * writes: a counted view); retried on a deadlock like `write`; once it committed, the change version moves.
   */
  writeStatement<R extends pg.QueryResultRow>(query: pg.QueryConfig, opts?: WriteOptions): Promise<pg.QueryResult<R>>;
}

/**
 * PostgreSQL text cannot hold U+0000 (it refuses the whole statement: 22021, a 500), where SQLite's can. A
 * key with one is a key no row has — the service stores no such text — so a read by it finds nothing, as
 * on SQLite: an id typed as `%00` in a URL is a 404, not a 500.
 */
const nul = (p: unknown): boolean => (typeof p === 'string' ? p.includes('\u0000') : Array.isArray(p) && p.some(nul));
/** Lists count too: a store reading several ids at once (`= ANY($1)`) passes them as one array parameter. */
export const holdsNul = (params?: unknown[]) => params?.some(nul) ?? false;

export function pgDb(pool: Pool, changes: ChangeVersion): PgDb {
  return {
    pool,
    rows: async (sql, params) => (holdsNul(params) ? [] : guard(async () => (await pool.query(sql, params)).rows)),
    async write(fn, opts) {
      const result = await inTransaction(pool, fn);
      // Committed, hence acknowledged whatever happens next; an instance that misses this bump (the database
      // went away just now) learns of the change at the next one.
      if (!opts?.unversioned) await changes.bump().catch(() => undefined);
      return result;
    },
    async writeStatement<R extends pg.QueryResultRow>(query: pg.QueryConfig, opts?: WriteOptions) {
      const result = await guard(async () => {
        for (let attempt = 0; ; attempt++) {
          try {
            return await pool.query<R>(query);
          } catch (err) {
            // A failed statement rolled itself back: nothing of it is stored.
            if (isRetryable(err) && attempt < 3) continue;
            throw err;
          }
        }
      });
      if (!opts?.unversioned) await changes.bump().catch(() => undefined);
      return result;
    },
  };
}
