import type { AuditRecord } from '../audit/audit.store.js';
import type { CommentRecord, CommentStatus, ModerationPlan, ModerationSnapshot } from './comments.store.js';
import { statusDelta } from './counters.js';

/**
 * The moderation rules run on a snapshot (pure, synchronous): each step sees the comments as the
 * steps before it left them, so a bulk action or an erasure counts exactly as if its steps ran one
 * by one, and `plan()` gives the store the net writes, counter deltas and audit entries.
 */
export function moderationWork(snapshot: ModerationSnapshot, at: number, by: string) {
  const rows = new Map(snapshot.comments);
  const replies = new Map<string, Set<string>>();
  for (const c of rows.values()) if (c.parentId !== null) (replies.get(c.parentId) ?? replies.set(c.parentId, new Set()).get(c.parentId)!).add(c.id);
  const statuses = new Map<string, CommentStatus>();
  const deletes: string[] = [];
  const threads = new Map<string, { siteId: string; threadKey: string; delta: number }>();
  const audit: AuditRecord[] = [];

  const repliesOf = (id: string): CommentRecord[] => [...(replies.get(id) ?? [])].map((r) => rows.get(r)!);
  function count(c: CommentRecord, to: CommentStatus | 'deleted'): void {
    const approvedReplies = c.parentId === null ? repliesOf(c.id).filter((r) => r.status === 'approved').length : 0;
    const delta = statusDelta(c, to, { approvedReplies, parent: c.parentId === null ? undefined : rows.get(c.parentId) });
    if (!delta) return;
    const key = `${c.siteId}\0${c.threadKey}`;
    const t = threads.get(key) ?? threads.set(key, { siteId: c.siteId, threadKey: c.threadKey, delta: 0 }).get(key)!;
    t.delta += delta;
  }

  return {
    /** The comment as the steps so far left it; undefined when deleted. */
    current: (id: string): CommentRecord | undefined => rows.get(id),
    repliesOf,

    /** Moderates one comment; returns it as it now is. */
    setStatus(c: CommentRecord, to: CommentStatus): CommentRecord {
      count(c, to);
      const next = { ...c, status: to, updatedAt: at, moderatedAt: at, moderatedBy: by };
      rows.set(c.id, next);
      statuses.set(c.id, to);
      return next;
    },

    /** Deletes one comment and, for a top-level one, its replies. */
    remove(c: CommentRecord): void {
      count(c, 'deleted');
      for (const r of [c, ...repliesOf(c.id)]) {
        rows.delete(r.id);
        statuses.delete(r.id);
      }
      replies.get(c.parentId ?? '')?.delete(c.id);
      deletes.push(c.id);
    },

    audit: (entry: AuditRecord) => void audit.push(entry),

    plan<T>(result: T): ModerationPlan<T> {
      return {
        statuses: [...statuses].map(([id, status]) => ({ id, status, by })),
        deletes,
        threads: [...threads.values()].filter((t) => t.delta !== 0),
        audit,
        result,
      };
    },
  };
}

export type ModerationWork = ReturnType<typeof moderationWork>;
