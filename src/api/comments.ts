/**
 * The comments API's answers, as the server sends them and the widget reads them (imported as types
 * by both; nothing here runs).
 */

/** What anyone may see of a comment: never e-mail, IP hash or user agent. */
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

/** GET /v1/sites/:site/threads/:thread/comments */
export interface ThreadPage {
  total: number;
  comments: PublicThreadComment[];
  nextCursor: string | null;
}

/** GET /v1/sites/:site/comment-counts?thread=K1&thread=K2: each asked key (NFC, trimmed) → its visible comments (0 if none). */
export interface CommentCounts {
  counts: Record<string, number>;
}

/** POST /v1/sites/:site/threads/:thread/comments → 201 approved, 202 pending (a spammer is told "pending" too). */
export type PostResult = { id: string; status: 'pending' } | { id: string; status: 'approved'; comment: PublicComment | PublicThreadComment };

/** An ALTCHA (v1) proof-of-work challenge: find n ≤ maxnumber with SHA-256(salt + n) = challenge. */
export interface PowChallenge {
  algorithm: string;
  challenge: string;
  maxnumber?: number;
  salt: string;
  signature: string;
}

/** GET /v1/sites/:site/captcha[?mode=accessible] */
export type CaptchaChallenge =
  | { id: string; mode: 'image'; image: string; width: number; height: number; length: number; pow?: PowChallenge; expiresAt: string }
  | { id: string; mode: 'accessible'; pow: PowChallenge; expiresAt: string }
  | { required: false; pow?: PowChallenge; expiresAt?: string };

// The moderation API's answers (/v1/admin/comments, /v1/admin/commenters, a site's webhook).

export type CommentStatus = 'pending' | 'approved' | 'rejected' | 'spam';

/** What a moderator sees of a comment, private fields included. */
export interface AdminComment {
  id: string;
  site: string;
  thread: string;
  parentId: string | null;
  status: CommentStatus;
  /** Why the service filed it under spam or pending ("links:3", "words:1"). */
  spamReason: string | null;
  name: string;
  address: string | null;
  email: string | null;
  content: string;
  ipHash: string | null;
  userAgent: string | null;
  createdAt: string;
  updatedAt: string;
  moderatedAt: string | null;
  /** Name of the last moderator's key. */
  moderatedBy: string | null;
}

/** GET /v1/admin/comments: newest first. */
export interface AdminCommentPage {
  comments: AdminComment[];
  nextCursor: string | null;
}

/** GET /v1/admin/comments/counts */
export interface CommentStatusCounts {
  counts: Record<CommentStatus, number>;
}

/** POST /v1/admin/comments/moderate: each asked comment's status afterwards. */
export interface BulkModeration {
  action: 'approve' | 'reject' | 'spam' | 'delete';
  results: { id: string; status: CommentStatus | 'deleted' }[];
}

/** DELETE /v1/admin/commenters: a data-deletion request carried out. */
export interface CommenterErasure {
  erased: number;
  repliesRemoved: number;
}

/** A site's moderation webhook as the admin API shows it: never its secret. */
export interface WebhookInfo {
  url: string;
  createdAt: string;
  updatedAt: string;
}

/** GET and PUT /v1/admin/sites/:site/webhook */
export interface SiteWebhook extends WebhookInfo {
  site: string;
}
