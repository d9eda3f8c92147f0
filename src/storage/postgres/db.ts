import { ValidationError } from '../../errors.js';
import type { ChangeVersion } from './changes.js';
import type pg from 'pg';
import { guard, inTransaction, isUnavailable, retrying, type Client, type Pool } from './pool.js';

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
  /** Several reads on one connection (no transaction), e.g. a definition and its parts. */
  read<T>(fn: (c: Client) => Promise<T>): Promise<T>;
  /** A write transaction (retried whole on a deadlock); once it committed, the change version moves. */
  write<T>(fn: (c: Client) => Promise<T>, opts?: WriteOptions): Promise<T>;
  /**
   * Reads and single-statement writes on one connection, without BEGIN and COMMIT: each statement is its own
   * transaction (a write of several statements that must stand or fall together belongs in `write`), so a
   * statement that fails stored nothing of itself; once `fn` is done, the change version moves.
   */
  statements<T>(fn: (c: Client) => Promise<T>): Promise<T>;
  /**
   * A write that is ONE statement: its own transaction, without the BEGIN and COMMIT round trips (for hot
   * writes: a counted view); retried on a deadlock like `write`; once it committed, the change version moves.
   */
  writeStatement<R extends pg.QueryResultRow>(query: pg.QueryConfig, opts?: WriteOptions): Promise<pg.QueryResult<R>>;
}

/**
 * PostgreSQL text cannot hold U+0000 (it refuses the whole statement: 22021, a 500), where SQLite's can. A
 * key with one is a key no row has — the service stores no such text — so a read by it finds nothing, as
 * on SQLite: an id typed as `%00` in a URL is a 404, not a 500. Lists count too: a store reading several
 * ids at once (`= ANY($1)`) passes them as one array parameter.
 */
const nul = (p: unknown): boolean => (typeof p === 'string' ? p.includes('\u0000') : Array.isArray(p) && p.some(nul));
export const holdsNul = (params?: readonly unknown[]) => params?.some(nul) ?? false;

/** A statement that only reads: a SELECT (locking rows or not), or a WITH that changes nothing. */
const isRead = (sql: string) =>
  /^\s*(SELECT|WITH)\b/i.test(sql) && !/\b(INSERT|UPDATE|DELETE|MERGE)\b/i.test(sql.replace(/\bFOR\s+(NO\s+KEY\s+)?UPDATE\b/gi, ''));

const NOTHING = { rows: [], rowCount: 0, command: 'SELECT', oid: 0, fields: [] } as unknown as pg.QueryResult;

/**
 * How a statement with U+0000 in a parameter runs. A read by such a key matches nothing: no rows, or, for a
 * list (`= ANY($1)`), the list without it. A write is the 400 `validation_failed` problem (the edge lets no
 * such text through: this is the backstop). Undefined: no U+0000, run it as it is.
 */
function nulOutcome(sql: string | undefined, params: readonly unknown[] | undefined, run: (params: unknown[]) => Promise<pg.QueryResult>): Promise<pg.QueryResult> | undefined {
  if (sql === undefined || !params || !holdsNul(params)) return undefined;
  if (!isRead(sql))
    return Promise.reject(new ValidationError([{ field: 'text', message: 'must not contain the character U+0000', code: 'nul_character' }], 'Text may not contain the character U+0000.'));
  if (params.some((p) => !Array.isArray(p) && nul(p))) return Promise.resolve({ ...NOTHING, rows: [] });
  return run(params.map((p) => (Array.isArray(p) ? p.filter((x) => !nul(x)) : p)));
}

/** A store's client (a transaction's, a read's) with every query through nulOutcome (a cursor, or any other submittable, runs as it is). */
function nulSafe(c: Client): Client {
  const query = c.query.bind(c) as (...args: unknown[]) => unknown;
  const guarded = (config: unknown, values?: unknown, callback?: unknown) => {
    const sql = typeof config === 'string' ? config : (config as { text?: unknown } | null)?.text;
    const params = Array.isArray(values) ? values : (config as { values?: unknown[] } | null)?.values;
    const text = typeof sql === 'string' ? sql : undefined;
    return nulOutcome(text, params, (safe) => (typeof config === 'string' ? query(config, safe) : query({ ...(config as object), values: safe })) as Promise<pg.QueryResult>) ?? query(config, values, callback);
  };
  return new Proxy(c, { get: (target, prop) => (prop === 'query' ? guarded : Reflect.get(target, prop, target)) });
}

export function pgDb(pool: Pool, changes: ChangeVersion): PgDb {
  return {
    pool,
    rows: async (sql, params) => {
      const run = (p: unknown[] | undefined) => guard(() => pool.query(sql, p));
      return (await (nulOutcome(sql, params, run) ?? run(params))).rows;
    },
    read: (fn) =>
      guard(async () => {
        const c = await pool.connect();
        try {
          return await fn(nulSafe(c));
        } finally {
          c.release();
        }
      }),
    statements: (fn) =>
      guard(async () => {
        const c = await pool.connect();
        let broken = false;
        try {
          const result = await fn(nulSafe(c));
          // On the same connection, without waiting for another from the pool. Its failure is not the write's:
          // an instance that misses this bump learns of the change at the next one.
          await c.query(changes.bumpStatement).catch((err: unknown) => (broken = isUnavailable(err)));
          return result;
        } catch (err) {
          broken = isUnavailable(err);
          throw err;
        } finally {
          c.release(broken);
        }
      }),
    write: (fn, opts) =>
      // The version moves in the COMMIT's own round trip: the server runs the bump once the commit is durable,
      // before it answers. Only a database lost between the two (a connection cut in the microseconds between
      // them, as it may be cut between a COMMIT and its answer) makes a stored write look failed.
      inTransaction(pool, (c) => fn(nulSafe(c)), 3, opts?.unversioned ? 'COMMIT' : `COMMIT; ${changes.bumpStatement}`),
    async writeStatement<R extends pg.QueryResultRow>(query: pg.QueryConfig, opts?: WriteOptions) {
      const result = await guard(() =>
        retrying(() => {
          const run = (values: unknown[] | undefined) => pool.query<R>({ ...query, values });
          return (nulOutcome(query.text, query.values, run) as Promise<pg.QueryResult<R>> | undefined) ?? run(query.values);
        }),
      );
      if (!opts?.unversioned) await changes.bump().catch(() => undefined);
      return result;
    },
  };
}
