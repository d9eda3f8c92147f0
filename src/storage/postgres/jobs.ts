import { guard, type Pool } from './pool.js';

/**
 * A background job, once per period across instances: a session advisory lock keeps two instances from
 * running it together, and the `jobs` row tells the next tick (here or elsewhere) that it ran.
 */
export function runJob<T>(pool: Pool, job: string, everyMs: number, fn: () => Promise<T>): Promise<T | undefined> {
  return guard(async () => {
    const c = await pool.connect();
    const lock = `ykien-job:${job}`;
    try {
      const { rows } = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [lock]);
      if (!rows[0]!.ok) return undefined;
      try {
        const t = Date.now();
        const last = (await c.query<{ last_run: number }>('SELECT last_run FROM jobs WHERE name = $1', [job])).rows[0]?.last_run;
        // A little early is still "this period": ticks of different instances drift.
        if (last !== undefined && last > t - everyMs * 0.9) return undefined;
        const result = await fn();
        await c.query('INSERT INTO jobs (name, last_run) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET last_run = excluded.last_run', [job, t]);
        return result;
      } finally {
        await c.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lock]);
      }
    } finally {
      c.release();
    }
  });
}
