import type { CommentRecord, PublicCommentRecord } from './comments.store.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

import type { AdminComment, PublicComment } from '../api/comments.js';

export type { AdminComment, PublicComment, PublicThreadComment } from '../api/comments.js';

export const toPublic = (r: PublicCommentRecord): PublicComment => ({
  id: r.id,
  name: r.name,
  address: r.address,
  content: r.content,
  createdAt: iso(r.createdAt)!,
});

/** What a moderator sees, private fields included; exports pass a formatter for the site's time zone. */
export const toAdmin = (r: CommentRecord, time: (ms: number | null) => string | null = iso): AdminComment => ({
  id: r.id,
  site: r.siteId,
  thread: r.threadKey,
  parentId: r.parentId,
  status: r.status,
  spamReason: r.spamReason,
  name: r.name,
  address: r.address,
  email: r.email,
  content: r.content,
  ipHash: r.ipHash,
  userAgent: r.userAgent,
  createdAt: time(r.createdAt)!,
  updatedAt: time(r.updatedAt)!,
  moderatedAt: time(r.moderatedAt),
  moderatedBy: r.moderatedBy,
});

/** Payload of the moderation webhook: what a moderator needs, no e-mail or IP hash. */
export const webhookComment = (c: Pick<CommentRecord, 'id' | 'threadKey' | 'parentId' | 'name' | 'address' | 'content' | 'status' | 'createdAt'>) => ({
  thread: c.threadKey,
  comment: {
    id: c.id,
    parentId: c.parentId,
    status: c.status,
    name: c.name,
    address: c.address,
    content: c.content,
    createdAt: new Date(c.createdAt).toISOString(),
  },
});
