import type { HitCounter } from '../storage.js';
import { guard, type Pool } from './pool.js';

interface Entry {
  windowEnd: number;
  /** What the database said the last time this instance asked. */
  global: number;
  /** Hits here since then, not yet added there. */
  pending: number;
  syncedAt: number;
}

const UPSERT = `INSERT INTO rate_limits (key, window_end, hits)
  SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[])
  ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN rate_limits.window_end <= $4 THEN excluded.hits ELSE rate_limits.hits + excluded.hits END,
    window_end = CASE WHEN rate_limits.window_end <= $4 THEN excluded.window_end ELSE rate_limits.window_end END
  RETURNING key, hits, window_end`;

/**
 * Request counts per client and window shared by every instance (the rate limits), without a database
 * write per request: a hit is counted here and added to the shared row in a batch every `syncMs`. A
 * client's first hit of a window, every hit once it is near its limit (`near` of it), and any hit that
 * would leave more than a tenth of the remaining quota uncounted there, is added at once (with what this
 * instance still held) and answered with the shared count. So a reader gets one quota whichever instance
 * answers: exact near the limit, and far from it at most `syncMs` of other instances' hits behind.
 */
export function pgHitCounter(pool: Pool, opts: { syncMs?: number; near?: number; now?: () => number } = {}): HitCounter {
  const syncMs = opts.syncMs ?? 500;
  const near = opts.near ?? 0.8;
  const now = opts.now ?? Date.now;
  const entries = new Map<string, Entry>();
  let lastPrune = 0;

  async function sync(keys: string[], add: number[], windowMs: number[]): Promise<void> {
    const t = now();
    const { rows } = await guard(() => pool.query<{ key: string; hits: number; window_end: number }>(UPSERT, [keys, windowMs.map((w) => t + w), add, t]));
    for (const r of rows) {
      const e = entries.get(r.key);
      if (e) Object.assign(e, { windowEnd: r.window_end, global: r.hits, syncedAt: t });
      else entries.set(r.key, { windowEnd: r.window_end, global: r.hits, pending: 0, syncedAt: t });
    }
  }

  const windows = new Map<string, number>();
  const timer = setInterval(() => {
    const t = now();
    const keys: string[] = [];
    const add: number[] = [];
    const win: number[] = [];
    for (const [key, e] of entries) {
      if (e.windowEnd <= t - syncMs) {
        entries.delete(key);
        continue;
      }
      if (e.pending > 0) {
        keys.push(key);
        add.push(e.pending);
        win.push(windows.get(key) ?? 60_000);
        e.pending = 0;
      }
    }
    if (keys.length) sync(keys, add, win).catch(() => undefined);
    if (t - lastPrune > 60_000) {
      lastPrune = t;
      pool.query('DELETE FROM rate_limits WHERE window_end < $1', [t - 60_000]).catch(() => undefined);
    }
  }, syncMs);
  timer.unref();

  return {
    async hit(key, windowMs, limit) {
      const t = now();
      windows.set(key, windowMs);
      const e = entries.get(key);
      const held = e ? e.pending + 1 : 1;
      // No floor of 1 on the tenth: with fewer than ten hits left (every small limit: 3 votes a minute) each hit
      // is added at once, or a reader alternating instances would get one more per instance than the limit.
      if (!e || e.windowEnd <= t || e.global + held >= limit * near || held > (limit - e.global) / 10) {
        const add = (e && e.windowEnd > t ? e.pending : 0) + 1;
        if (e) e.pending = 0;
        await sync([key], [add], [windowMs]);
      } else {
        e.pending++;
      }
      const now2 = entries.get(key)!;
      return { hits: now2.global + now2.pending, resetAt: now2.windowEnd };
    },
    async undo(key) {
      const e = entries.get(key);
      if (e && e.pending > 0) e.pending--;
      else await guard(() => pool.query('UPDATE rate_limits SET hits = GREATEST(hits - 1, 0) WHERE key = $1', [key]));
    },
    async reset(key) {
      entries.delete(key);
      await guard(() => pool.query('DELETE FROM rate_limits WHERE key = $1', [key]));
    },
    close: () => clearInterval(timer),
  };
}
