import type { RetentionErased, RetentionStore } from '../../ops/retention.store.js';
import type { Db } from './open.js';

/** Rows are updated in rowid ranges of this size, one short transaction each, so votes never wait long. */
const BATCH = 20_000;

/** The tables holding IP hashes and user agents (both columns, and created_at, in each: migrations/sqlite). */
const TABLES = [
  ['ballots', 'ballots'],
  ['comments', 'comments'],
  ['surveyResponses', 'survey_responses'],
] as const satisfies readonly (readonly [keyof RetentionErased, string])[];

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export function sqliteRetentionStore(db: Db): RetentionStore {
  const tables = TABLES.map(([kind, table]) => ({
    kind,
    maxRowid: db.prepare(`SELECT COALESCE(MAX(rowid), 0) FROM ${table}`).pluck(),
    erase: db.prepare(
      `UPDATE ${table} SET ip_hash = NULL, user_agent = NULL
       WHERE rowid > ? AND rowid <= ? AND created_at < ? AND (ip_hash IS NOT NULL OR user_agent IS NOT NULL)`,
    ),
  }));
  return {
    async eraseBefore(cutoff, opts = {}) {
      const erased: RetentionErased = { ballots: 0, comments: 0, surveyResponses: 0 };
      for (const t of tables) {
        const max = t.maxRowid.get() as number;
        for (let lo = 0; lo < max; lo += BATCH) {
          opts.signal?.throwIfAborted();
          erased[t.kind] += t.erase.run(lo, lo + BATCH, cutoff).changes;
          // Between batches the event loop serves requests (the group commit's votes among them).
          await nextTurn();
        }
      }
      return erased;
    },
  };
}
