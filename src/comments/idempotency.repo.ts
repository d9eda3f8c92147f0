import type { Db } from '../storage/sqlite/open.js';

export interface IdempotencyRow {
  fingerprint: string;
  response: string;
}

/** The answers remembered for Idempotency-Key (migrations/005_comment_repeats.sql). */
export function idempotencyRepo(db: Db) {
  const s = {
    find: db.prepare('SELECT fingerprint, response FROM comment_idempotency WHERE site_id = ? AND key = ? AND created_at > ?'),
    purge: db.prepare('DELETE FROM comment_idempotency WHERE created_at <= ?'),
    // The primary key decides which of two requests with one key stores its comment.
    claim: db.prepare(
      `INSERT INTO comment_idempotency (site_id, key, fingerprint, comment_id, response, created_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (site_id, key) DO NOTHING`,
    ),
  };
  return {
    /** The answer stored for a key since `after`, if any. */
    find: (siteId: string, key: string, after: number) => s.find.get(siteId, key, after) as IdempotencyRow | undefined,
    /** Forgets answers stored at or before `cutoff`. */
    purge: (cutoff: number) => s.purge.run(cutoff).changes,
    /** Stores an answer; false when the key already has one. Call inside the comment's transaction. */
    claim: (siteId: string, key: string, fingerprint: string, commentId: string, response: string, at: number) =>
      s.claim.run(siteId, key, fingerprint, commentId, response, at).changes === 1,
  };
}

export type IdempotencyRepo = ReturnType<typeof idempotencyRepo>;
