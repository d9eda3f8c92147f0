/** A pending comment waiting to be put into a mail, with what the mail shows (never its e-mail or IP). */
export interface WaitingComment {
  id: string;
  siteId: string;
  threadKey: string;
  name: string;
  content: string;
  /** The comment's status now: one already moderated is left out of the mail. */
  status: string;
  createdAt: number;
  /** When it was queued for mail. */
  queuedAt: number;
}

/** Sites with comments waiting, and since when. */
export interface WaitingSite {
  siteId: string;
  waiting: number;
  oldestAt: number;
}

/** One composed mail, to be written as one outbox row per recipient. */
export interface ComposedMail {
  batch: string;
  kind: 'comment' | 'digest';
  recipients: string[];
  subject: string;
  text: string;
  html: string;
}

/** What a compose plan decided: the mails, and the waiting comments they (or a moderator) dealt with. */
export interface ComposePlan {
  mails: ComposedMail[];
  consumed: string[];
}

/** An outbox row claimed for sending. */
export interface OutboxMail {
  id: string;
  siteId: string;
  batch: string;
  kind: 'comment' | 'digest';
  recipient: string;
  subject: string;
  text: string;
  html: string;
  /** Attempts so far, this one included. */
  attempts: number;
}

export interface OutboxCounts {
  /** Pending comments not yet in a mail. */
  waiting: number;
  /** Mails (one per recipient) not sent yet. */
  queued: number;
  /** Mails given up on, still kept. */
  failed: number;
}

/** What e-mail to moderators needs from storage: a durable queue, claimed once however many instances send. */
export interface MailStore {
  /** Queues a pending comment for mail; a second call for it changes nothing. */
  enqueue(siteId: string, commentId: string, at: number): Promise<void>;
  waitingSites(): Promise<WaitingSite[]>;
  /**
   * Reads the site's waiting comments (oldest first, locked), and the number of per-comment mails composed for
   * it since `since`; `plan` decides; its mails are written to the outbox and its consumed comments leave the
   * queue, in one transaction. Comments the plan leaves wait for the next round.
   */
  compose(siteId: string, since: number, at: number, plan: (waiting: WaitingComment[], recentCommentMails: number) => ComposePlan): Promise<number>;
  /**
   * Up to `limit` mails due at `at`, each claimed for `leaseMs` (its next attempt moved past the lease, attempts
   * counted): no other sender takes it meanwhile, and one whose sender died is due again after the lease.
   */
  claim(at: number, leaseMs: number, limit: number): Promise<OutboxMail[]>;
  /** Sent: the row stays a week as a record (recipient, subject, when), without the comment's text. */
  sent(id: string, at: number): Promise<void>;
  /** A failed attempt to try again at `nextAt`. */
  retry(id: string, nextAt: number, error: string): Promise<void>;
  /** A mail given up on: kept with its last error for the operator, without the comment's text. */
  fail(id: string, at: number, error: string): Promise<void>;
  counts(): Promise<OutboxCounts>;
  /** Deletes sent and failed mails finished before `before`; the number deleted. */
  prune(before: number): Promise<number>;
}
