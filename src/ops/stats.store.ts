import type { CommentStatus } from '../comments/comments.schema.js';

/** The stored totals the metrics gauges show, read at each scrape. */
export interface StatsStore {
  /** Comments stored, per moderation status; a status no comment has is left out. */
  commentsByStatus(): Promise<Partial<Record<CommentStatus, number>>>;
  /** Ballots stored, in every poll. */
  ballots(): Promise<number>;
}
