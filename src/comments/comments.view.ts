import type { CommentRow, PublicRow } from './comments.repo.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** What anyone may see: never e-mail, IP hash or user agent. */
export interface PublicComment {
  id: string;
  name: string;
  address: string | null;
  content: string;
  createdAt: string;
}
export interface PublicThreadComment extends PublicComment {
  replies: PublicComment[];
}

export const toPublic = (r: PublicRow): PublicComment => ({
  id: r.id,
  name: r.name,
  address: r.address,
  content: r.content,
  createdAt: iso(r.created_at)!,
});

/** What a moderator sees, private fields included; exports pass a formatter for the site's time zone. */
export const toAdmin = (r: CommentRow, time: (ms: number | null) => string | null = iso) => ({
  id: r.id,
  site: r.site_id,
  thread: r.thread_key,
  parentId: r.parent_id,
  status: r.status,
  spamReason: r.spam_reason,
  name: r.name,
  address: r.address,
  email: r.email,
  content: r.content,
  ipHash: r.ip_hash,
  userAgent: r.user_agent,
  createdAt: time(r.created_at)!,
  updatedAt: time(r.updated_at)!,
  moderatedAt: time(r.moderated_at),
  moderatedBy: r.moderated_by,
});
export type AdminComment = ReturnType<typeof toAdmin>;
