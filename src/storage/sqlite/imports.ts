import type { ImportBatch, ImportOutcome, ImportsStore } from '../../imports/imports.store.js';
import type { CommentRecord, NewComment } from '../../comments/comments.store.js';
import type { AuditRecord } from '../../audit/audit.store.js';
import { auditWriter } from './audit.js';
import type { Db } from './open.js';
import { parentElsewhere, parentMissing } from '../../imports/imports.errors.js';

/** What a reply needs of its parent: where it is and whether readers see it. */
interface Known {
  id: string;
  threadKey: string;
  status: CommentRecord['status'];
}

/** Imports on SQLite: one IMMEDIATE transaction per file, so nothing else writes between the look-ups and the inserts. */
export function sqliteImportsStore(db: Db): ImportsStore {
  const writeAudit = auditWriter(db);
  const s = {
    known: db.prepare(
      `SELECT i.source_id, c.id, c.thread_key, c.status FROM comment_imports i JOIN comments c ON c.id = i.comment_id
       WHERE i.site_id = ? AND i.source = ?`,
    ),
    insert: db.prepare(
      `INSERT INTO comments (id, site_id, thread_key, parent_id, name, address, email, content, status, spam_reason,
         ip_hash, user_agent, repeat_key, created_at, updated_at)
       VALUES (@id, @siteId, @threadKey, @parentId, @name, @address, @email, @content, @status, @spamReason,
         @ipHash, @userAgent, @repeatKey, @createdAt, @createdAt)`,
    ),
    source: db.prepare('INSERT INTO comment_imports (site_id, source, source_id, comment_id) VALUES (?, ?, ?, ?)'),
    bump: db.prepare(
      `INSERT INTO comment_threads (site_id, thread_key, approved) VALUES (?, ?, ?)
       ON CONFLICT (site_id, thread_key) DO UPDATE SET approved = approved + excluded.approved`,
    ),
  };

  const run = db.transaction(
    (batch: ImportBatch, count: (c: NewComment, parent: Pick<CommentRecord, 'status'> | undefined) => number, audit: (o: ImportOutcome) => AuditRecord) => {
      const known = new Map<string, Known>();
      for (const r of s.known.all(batch.siteId, batch.source) as { source_id: string; id: string; thread_key: string; status: CommentRecord['status'] }[])
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
        const row: NewComment = { ...item.comment, parentId: parent?.id ?? null };
        s.insert.run(row);
        s.source.run(batch.siteId, batch.source, item.sourceId, row.id);
        known.set(item.sourceId, { id: row.id, threadKey: row.threadKey, status: row.status });
        const delta = count(row, parent);
        if (delta) threads.set(row.threadKey, (threads.get(row.threadKey) ?? 0) + delta);
        outcome.inserted++;
      }
      // A new comment only ever adds to a count.
      for (const [thread, delta] of threads) if (delta > 0) s.bump.run(batch.siteId, thread, delta);
      writeAudit(audit(outcome));
      return outcome;
    },
  );

  return {
    async imported(siteId, source) {
      return new Set((s.known.all(siteId, source) as { source_id: string }[]).map((r) => r.source_id));
    },
    importComments: async (batch, count, audit) => run.immediate(batch, count, audit),
  };
}
