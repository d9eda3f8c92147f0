import type { RetentionErased, RetentionStore } from '../../ops/retention.store.js';
import type { PgDb } from './db.js';

/** Rows one batch updates, in a short transaction of its own, so votes never wait long behind it. */
const BATCH = 5_000;

const STILL_SET = '(ip_hash IS NOT NULL OR user_agent IS NOT NULL)';

/** Ballots and survey responses have a BIGSERIAL id: ranges of it, up to the largest when the pass starts. */
const BY_ID = [
  ['ballots', 'ballots'],
  ['surveyResponses', 'survey_responses'],
] as const;
const maxId = (table: string) => `SELECT COALESCE(MAX(id), 0) AS max FROM ${table}`;
const eraseById = (table: string) => `
  UPDATE ${table} SET ip_hash = NULL, user_agent = NULL
  WHERE id > $1 AND id <= $2 AND created_at < $3 AND ${STILL_SET}`;

/** Comments have a TEXT id and no rowid: batches of those still set, until a batch changes nothing. */
const ERASE_COMMENTS = `
  UPDATE comments SET ip_hash = NULL, user_agent = NULL
  WHERE id IN (SELECT id FROM comments WHERE created_at < $1 AND ${STILL_SET} LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)`;

export function pgRetentionStore(db: PgDb): RetentionStore {
  return {
    async eraseBefore(cutoff, opts = {}) {
      const erased: RetentionErased = { ballots: 0, comments: 0, surveyResponses: 0 };
      for (const [kind, table] of BY_ID) {
        const [{ max } = { max: 0 }] = await db.rows<{ max: number }>(maxId(table));
        for (let lo = 0; lo < max; lo += BATCH) {
          opts.signal?.throwIfAborted();
          erased[kind] += await db.write(async (c) => (await c.query(eraseById(table), [lo, lo + BATCH, cutoff])).rowCount ?? 0);
        }
      }
      for (;;) {
        opts.signal?.throwIfAborted();
        const n = await db.write(async (c) => (await c.query(ERASE_COMMENTS, [cutoff])).rowCount ?? 0);
        erased.comments += n;
        if (n === 0) break;
      }
      return erased;
    },
  };
}
