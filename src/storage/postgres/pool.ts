import fs from 'node:fs';
import pg from 'pg';
import { unavailable } from '../../errors.js';

export type Pool = pg.Pool;
export type Client = pg.PoolClient;

export interface PoolOptions {
  /** Connections this instance keeps (PG_POOL_SIZE). */
  size: number;
  /** A statement, or a wait for a free connection, longer than this is cut off (PG_STATEMENT_TIMEOUT_MS). */
  statementTimeoutMs: number;
  ssl: 'off' | 'require' | 'verify';
  caFile?: string | undefined;
}

// BIGINT (epoch ms, counters) comes back as a string by default; every value we store fits a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export function sslOptions(o: Pick<PoolOptions, 'ssl' | 'caFile'>): pg.PoolConfig['ssl'] {
  if (o.ssl === 'off') return false;
  if (o.ssl === 'require') return { rejectUnauthorized: false };
  return { rejectUnauthorized: true, ...(o.caFile ? { ca: fs.readFileSync(o.caFile, 'utf8') } : {}) };
}

/** The pool every store shares. A connection that breaks is replaced by the pool on the next use. */
export function createPool(url: string, o: PoolOptions): Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: o.size,
    ssl: sslOptions(o),
    application_name: 'ykien',
    connectionTimeoutMillis: o.statementTimeoutMs,
    // The server cuts a statement off (and rolls its transaction back); the client stops waiting a little later.
    statement_timeout: o.statementTimeoutMs,
    query_timeout: o.statementTimeoutMs + 1_000,
    idle_in_transaction_session_timeout: o.statementTimeoutMs * 2,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection that the server closes (a restart, a failover) must not crash the process.
  pool.on('error', () => undefined);
  return pool;
}

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '57014', '53300', '08000', '08003', '08006', '08001', '08004']);

/**
 * True for a failure of the database itself (down, restarting, unreachable, too slow), as opposed to
 * a refusal of the statement (a constraint): the caller answers 503 and nothing was acknowledged.
 */
export function isUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (e?.code && UNAVAILABLE_CODES.has(e.code)) return true;
  const m = e?.message ?? '';
  return /timeout exceeded when trying to connect|Connection terminated|Query read timeout|connection is closed|Client has encountered a connection error/i.test(m);
}

/** Runs `fn`, turning an unavailable database into the one 503 problem every route answers with. */
export async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isUnavailable(err)) throw unavailable();
    throw err;
  }
}

export const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === '23505';
export const isForeignKeyViolation = (err: unknown) => (err as { code?: string }).code === '23503';
/** Deadlocks and serialization failures: the transaction can simply be run again. */
export const isRetryable = (err: unknown) => ['40P01', '40001'].includes((err as { code?: string }).code ?? '');

/** Runs one statement (its own transaction) again when it deadlocked with another instance's: a failed statement stored nothing. */
export async function retrying<T>(run: () => Promise<T>, retries = 3): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (isRetryable(err) && attempt < retries) continue;
      throw err;
    }
  }
}

/**
 * Runs `fn` in a transaction on one connection; retries the whole of it on a deadlock or a
 * serialization failure (two instances writing the same rows), up to `retries` times. `commit` is the text
 * that ends it: COMMIT, or COMMIT followed by a statement that must run only once the commit is durable.
 */
export async function inTransaction<T>(pool: Pool, fn: (c: Client) => Promise<T>, retries = 3, commit = 'COMMIT'): Promise<T> {
  return guard(async () => {
    for (let attempt = 0; ; attempt++) {
      const c = await pool.connect();
      let broken = false;
      try {
        await c.query('BEGIN');
        const result = await fn(c);
        await c.query(commit);
        return result;
      } catch (err) {
        try {
          await c.query('ROLLBACK');
        } catch {
          broken = true;
        }
        if (isRetryable(err) && attempt < retries) continue;
        if (isUnavailable(err)) broken = true;
        throw err;
      } finally {
        c.release(broken);
      }
    }
  });
}
