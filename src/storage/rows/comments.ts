import type { CommentRecord } from '../../comments/comments.store.js';
import type { CommentExportRecord } from '../../exports/exports.store.js';

/** A comments row, the same on both backends (the comments store and the exports read it). */
export interface CommentRow {
  id: string;
  site_id: string;
  thread_key: string;
  parent_id: string | null;
  name: string;
  address: string | null;
  email: string | null;
  content: string;
  status: CommentRecord['status'];
  spam_reason: string | null;
  ip_hash: string | null;
  user_agent: string | null;
  repeat_key: string | null;
  created_at: number;
  updated_at: number;
  moderated_at: number | null;
  moderated_by: string | null;
}

export const toCommentRecord = (r: CommentRow): CommentRecord => ({
  id: r.id,
  siteId: r.site_id,
  threadKey: r.thread_key,
  parentId: r.parent_id,
  name: r.name,
  address: r.address,
  email: r.email,
  content: r.content,
  status: r.status,
  spamReason: r.spam_reason,
  ipHash: r.ip_hash,
  userAgent: r.user_agent,
  repeatKey: r.repeat_key,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  moderatedAt: r.moderated_at,
  moderatedBy: r.moderated_by,
});

/** What a comments export reads of a row: all but the repeat key. */
export type CommentExportRow = Omit<CommentRow, 'repeat_key'>;

export const toCommentExport = (r: CommentExportRow): CommentExportRecord => ({
  id: r.id,
  siteId: r.site_id,
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
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  moderatedAt: r.moderated_at,
  moderatedBy: r.moderated_by,
});
