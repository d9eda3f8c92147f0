import type { CommentStatus } from './comments.schema.js';
import type { CommentRow, CommentsRepo } from './comments.repo.js';

/**
 * The per-thread counter holds the comments a reader can see: approved top-level comments
 * and approved replies of approved comments. These return how much it changes; call them
 * inside the transaction that makes the change, before making it.
 */
export function statusDelta(repo: CommentsRepo, c: CommentRow, to: CommentStatus | 'deleted'): number {
  const was = c.status === 'approved' ? 1 : 0;
  const will = to === 'approved' ? 1 : 0;
  if (was === will) return 0;
  if (c.parent_id === null) return (will - was) * (1 + repo.approvedReplies(c.id));
  const parent = repo.get(c.parent_id);
  return parent?.status === 'approved' ? will - was : 0;
}
