import type { CommentRecord, CommentStatus, NewComment } from './comments.store.js';

/**
 * The per-thread counter holds the comments a reader can see: approved top-level comments
 * and approved replies of approved comments. These say how much it changes, from the rows as
 * they are before the change; the store applies the delta in the change's transaction.
 */
export function statusDelta(
  c: Pick<CommentRecord, 'status' | 'parentId'>,
  to: CommentStatus | 'deleted',
  around: { approvedReplies: number; parent: Pick<CommentRecord, 'status'> | undefined },
): number {
  const was = c.status === 'approved' ? 1 : 0;
  const will = to === 'approved' ? 1 : 0;
  if (was === will) return 0;
  if (c.parentId === null) return (will - was) * (1 + around.approvedReplies);
  return around.parent?.status === 'approved' ? will - was : 0;
}

/** What a new comment adds: a new comment has no replies, and was nothing before. */
export const insertDelta = (c: Pick<NewComment, 'status' | 'parentId'>, parent: Pick<CommentRecord, 'status'> | undefined): number =>
  statusDelta({ status: 'pending', parentId: c.parentId }, c.status, { approvedReplies: 0, parent });
