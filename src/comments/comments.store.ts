import type { AuditRecord } from '../audit/audit.store.js';

export type CommentStatus = 'pending' | 'approved' | 'rejected' | 'spam';

/** A comment as stored. Times are epoch ms; e-mail, IP hash, user agent and repeat key are private. */
export interface CommentRecord {
  id: string;
  siteId: string;
  threadKey: string;
  /** Replies are one level deep: a reply's parent is a top-level comment. */
  parentId: string | null;
  name: string;
  address: string | null;
  /** Lower case. */
  email: string | null;
  content: string;
  status: CommentStatus;
  /** Why the service filed it under spam or pending ("links:3", "words:1"). */
  spamReason: string | null;
  ipHash: string | null;
  userAgent: string | null;
  /** See duplicates.ts; never shown. */
  repeatKey: string | null;
  createdAt: number;
  updatedAt: number;
  moderatedAt: number | null;
  /** Name of the last moderator's key. */
  moderatedBy: string | null;
}

export type NewComment = Omit<CommentRecord, 'updatedAt' | 'moderatedAt' | 'moderatedBy'>;

/** The fields anyone may see. */
export type PublicCommentRecord = Pick<CommentRecord, 'id' | 'parentId' | 'name' | 'address' | 'content' | 'createdAt'>;

/** Keyset position: the (createdAt, id) of the last comment of the previous page. */
export interface CommentCursor {
  at: number;
  id: string;
}

/** A post's Idempotency-Key, stored with its comment: the key is a constraint, never a look-up then a write. */
export interface AnswerClaim {
  key: string;
  /** What the post carried (idempotency.ts): a key reused for another comment is refused. */
  fingerprint: string;
  /** The JSON answer the post got, given back to every repeat. */
  response: string;
  /** Answers stored at or before this have expired: their keys are free again. */
  forgetBefore: number;
}

/** What the first post with a key stored, if it is younger than the asked window. */
export interface StoredAnswer {
  fingerprint: string;
  response: string;
}

export interface ThreadPageRecords {
  /** Visible comments of the thread (the counter kept with every change, not a count). */
  visible: number;
  /** Approved top-level comments after the cursor, oldest first. */
  comments: PublicCommentRecord[];
  /** Approved replies of those comments, oldest first. */
  replies: PublicCommentRecord[];
}

export interface QueueQuery {
  /** null: every site. */
  sites: readonly string[] | null;
  status?: CommentStatus | undefined;
  thread?: string | undefined;
  /** Posted at or after this instant (epoch ms). */
  from?: number | undefined;
  /** Posted before this instant (epoch ms). */
  to?: number | undefined;
  /** Folded by foldForSearch (util/fold.ts): comments whose name or content, folded the same way, contains it. */
  text?: string | undefined;
  /** Comments older than this position (newest first). */
  before?: CommentCursor | undefined;
  limit: number;
}

/** The queue's filters without status or position: what the tabs' counts are counted over. */
export type CountQuery = Omit<QueueQuery, 'status' | 'before' | 'limit'>;

/** Which comments a moderation reads: by id, or every comment of one e-mail on these sites (erasure). */
export type ModerationTarget = { ids: readonly string[] } | { email: string; sites: readonly string[] | null };

/**
 * What a moderation reads, in its transaction: the target comments (in `ids` order, or oldest first
 * for an e-mail) and every comment whose visibility they change or depend on.
 */
export interface ModerationSnapshot {
  /** The requested ids that exist, or the e-mail's comments. */
  targets: CommentRecord[];
  /** The targets, their parents and their replies, by id. */
  comments: ReadonlyMap<string, CommentRecord>;
}

/** What the moderation rules (moderation.plan.ts) decided; the store applies it as it is. */
export interface ModerationPlan<T> {
  statuses: { id: string; status: CommentStatus; by: string }[];
  /**
   * Each deleted comment takes its replies and its stored Idempotency-Key answer with it, and the words
   * audit entries quote of them (QUOTED_COMMENT_TEXT in audit/redact.ts; the entries stay).
   */
  deletes: string[];
  /** Changes of each thread's visible count. */
  threads: { siteId: string; threadKey: string; delta: number }[];
  audit: AuditRecord[];
  result: T;
}

/** What the comments feature needs from storage. */
export interface CommentsStore {
  get(id: string): Promise<CommentRecord | undefined>;
  /**
   * Stores a new comment in one transaction: `admit` sees its parent as it is now (undefined for a
   * top-level comment or a parent that is gone), throws to refuse, and returns how much the thread's
   * visible count grows (counters.ts). With a claim, the key is taken in the same transaction:
   * 'key_taken' (and nothing stored) when another post holds it. With an audit entry (an editors'
   * reply), the entry is written in the same transaction too: one that fails stores no comment.
   */
  insert(comment: NewComment, admit: (parent: CommentRecord | undefined) => number, claim?: AnswerClaim, audit?: AuditRecord): Promise<'stored' | 'key_taken'>;
  /** The answer stored under a site's key after `since`. */
  answer(siteId: string, key: string, since: number): Promise<StoredAnswer | undefined>;
  /** Whether a comment of the thread with this repeat key was written after `since`. */
  repeatSince(siteId: string, thread: string, repeatKey: string, since: number): Promise<boolean>;
  /** One page of a thread as readers see it, read from one snapshot. */
  page(siteId: string, thread: string, after: CommentCursor | undefined, limit: number): Promise<ThreadPageRecords>;
  /** Visible comments of each thread (the kept counters, one read); threads with none are absent. */
  visibleCounts(siteId: string, threads: readonly string[]): Promise<Map<string, number>>;
  /** The moderation queue, newest first. */
  queue(q: QueueQuery): Promise<CommentRecord[]>;
  /** How many comments of each status match the filters (one grouped count). */
  counts(q: CountQuery): Promise<Record<CommentStatus, number>>;
  /**
   * A moderator's edit of a comment's text, in one transaction: `change` sees the comment as it is (it may
   * throw to refuse) and gives the new content and the audit entry. Undefined when there is no such comment.
   */
  edit(id: string, at: number, change: (c: CommentRecord) => { content: string; audit: AuditRecord }): Promise<CommentRecord | undefined>;
  /**
   * Reads the target comments with what their visibility depends on, lets `plan` decide (it may throw to
   * refuse: nothing is written), then applies its status changes, deletions, counter deltas and audit
   * entries, in one transaction.
   */
  moderate<T>(target: ModerationTarget, at: number, plan: (snapshot: ModerationSnapshot) => ModerationPlan<T>): Promise<T>;
}
