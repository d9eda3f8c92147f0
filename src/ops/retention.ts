import type { Events } from '../events.js';
import type { Logger } from '../logger.js';
import type { Db } from '../storage/sqlite/open.js';

const DAY_MS = 86_400_000;
/** Rows are updated in id ranges of this size, one short transaction each, so votes never wait long. */
const BATCH = 20_000;

/** Tables holding personal data that is only needed for a while (abuse checks), and the columns erased. */
const TARGETS = [
  { table: 'ballots', columns: ['ip_hash', 'user_agent'] },
  { table: 'comments', columns: ['ip_hash', 'user_agent'] },
] as const;

export interface RetentionResult {
  cutoff: string;
  erased: Record<string, number>;
}

/**
 * Erases salted IP hashes and user agents older than RETENTION_DAYS. Ballots and comments
 * themselves are kept (results and discussions must stay as they were); only what could
 * link them to a network or a device goes. Tables or columns that do not exist are skipped.
 */
export function retentionJob(db: Db, opts: { days: number; now?: () => number; events?: Events; logger?: Logger | undefined }) {
  const now = opts.now ?? Date.now;
  let timer: NodeJS.Timeout | undefined;
  let first: NodeJS.Timeout | undefined;

  function columnsOf(table: string): Set<string> {
    return new Set((db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name));
  }

  function runRetention(at: number = now()): RetentionResult {
    const cutoff = at - opts.days * DAY_MS;
    const erased: Record<string, number> = {};
    for (const t of TARGETS) {
      const have = columnsOf(t.table);
      const cols = t.columns.filter((c) => have.has(c));
      if (!cols.length || !have.has('created_at')) continue;
      const maxId = (db.prepare(`SELECT COALESCE(MAX(rowid), 0) FROM ${t.table}`).pluck().get() as number) ?? 0;
      const update = db.prepare(
        `UPDATE ${t.table} SET ${cols.map((c) => `${c} = NULL`).join(', ')}
         WHERE rowid > ? AND rowid <= ? AND created_at < ? AND (${cols.map((c) => `${c} IS NOT NULL`).join(' OR ')})`,
      );
      let n = 0;
      for (let lo = 0; lo < maxId; lo += BATCH) n += update.run(lo, lo + BATCH, cutoff).changes;
      erased[t.table] = n;
    }
    opts.events?.emit({ type: 'retention.ran', erased, at });
    opts.logger?.info({ cutoff: new Date(cutoff).toISOString(), erased }, 'retention: erased old IP hashes and user agents');
    return { cutoff: new Date(cutoff).toISOString(), erased };
  }

  return {
    runRetention,
    /** Runs now (in the background) and then every day; the timer never keeps the process alive. */
    start(): void {
      if (timer) return;
      const tick = () => {
        try {
          if (db.open) runRetention();
        } catch (err) {
          opts.logger?.error({ err }, 'retention job failed');
        }
      };
      first = setTimeout(tick, 1_000);
      first.unref();
      timer = setInterval(tick, DAY_MS);
      timer.unref();
    },
    stop(): void {
      clearTimeout(first);
      clearInterval(timer);
      first = timer = undefined;
    },
  };
}

export type RetentionJob = ReturnType<typeof retentionJob>;
