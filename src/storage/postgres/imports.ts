import type { CommentRecord, NewComment } from '../../comments/comments.store.js';
import type { ImportOutcome, ImportsStore } from '../../imports/imports.store.js';
import { parentElsewhere, parentMissing } from '../../imports/imports.errors.js';
import { writeAudit } from './audit.js';
import type { PgDb } from './db.js';

interface Known {
  id: string;
  threadKey: string;
  status: CommentRecord['status'];
}

const KNOWN = `SELECT i.source_id, c.id, c.thread_key, c.status FROM comment_imports i JOIN comments c ON c.id = i.comment_id
  WHERE i.site_id = $1 AND i.source = $2`;

/**
 * Imports on PostgreSQL: one transaction per file. Two imports of one site and source at once are taken one
 * after the other (a transaction lock on the pair, taken before the look-up), and the primary key of
 * comment_imports holds whatever happens: a source id is stored once.
 */
export function pgImportsStore(db: PgDb): ImportsStore {
  return {
    async imported(siteId, source) {
      return new Set((await db.rows<{ source_id: string }>(KNOWN, [siteId, source])).map((r) => r.source_id));
    },
    importComments: (batch, count, audit) =>
      db.write(async (c) => {
        await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`comment_imports:${batch.siteId}:${batch.source}`]);
        const known = new Map<string, Known>();
        for (const r of (await c.query<{ source_id: string; id: string; thread_key: string; status: CommentRecord['status'] }>(KNOWN, [batch.siteId, batch.source])).rows)
          known.set(r.source_id, { id: r.id, threadKey: r.thread_key, status: r.status });
        const outcome: ImportOutcome = { inserted: 0, existing: 0 };
        const threads = new Map<string, number>();
        for (const item of batch.comments) {
          if (known.has(item.sourceId)) {
            outcome.existing++;
            continue;
          }
          let parent: Known | undefined;
          if (item.parentSourceId !== null) {
            parent = known.get(item.parentSourceId);
            if (!parent) throw parentMissing(item.sourceId, item.parentSourceId);
            if (parent.threadKey !== item.comment.threadKey) throw parentElsewhere(item.sourceId);
          }
          const r: NewComment = { ...item.comment, parentId: parent?.id ?? null };
          // One statement: the comment and where it came from (the source row's FK is checked at the statement's end).
          await c.query(
            `WITH c AS (
               INSERT INTO comments (id, site_id, thread_key, parent_id, name, address, email, content, status, spam_reason,
                 ip_hash, user_agent, repeat_key, created_at, updated_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id)
             INSERT INTO comment_imports (site_id, source, source_id, comment_id) SELECT $2, $15, $16, id FROM c`,
            [r.id, r.siteId, r.threadKey, r.parentId, r.name, r.address, r.email, r.content, r.status, r.spamReason, r.ipHash, r.userAgent, r.repeatKey, r.createdAt, batch.source, item.sourceId],
          );
          known.set(item.sourceId, { id: r.id, threadKey: r.threadKey, status: r.status });
          const delta = count(r, parent);
          if (delta) threads.set(r.threadKey, (threads.get(r.threadKey) ?? 0) + delta);
          outcome.inserted++;
        }
        for (const [thread, delta] of threads) {
          if (delta > 0)
            await c.query(
              `INSERT INTO comment_threads (site_id, thread_key, approved) VALUES ($1, $2, $3)
               ON CONFLICT (site_id, thread_key) DO UPDATE SET approved = comment_threads.approved + excluded.approved`,
              [batch.siteId, thread, delta],
            );
        }
        await writeAudit(c, audit(outcome));
        return outcome;
      }),
  };
}
