/**
 * The polls API's answers, as the server sends them and the widget reads them (imported as types
 * by both; nothing here runs).
 */
export type PollStatus = 'scheduled' | 'open' | 'closed';
export type ResultsVisibility = 'always' | 'after_vote' | 'after_close';

export interface Results {
  pollId: string;
  /**
   * Choices cast: equals voters for single-choice polls. Percentages are of this. Includes the starting
   * figures, when the poll has some.
   */
  total: number;
  /** Ballots (people) cast here: starting figures are votes, not people, and are not in it. */
  voters: number;
  /** `votes` includes the option's starting figure; `startingVotes` (only on a poll that has some) says how many of them. */
  options: { id: string; label: string; votes: number; percent: number; startingVotes?: number }[];
  /** Votes brought from an old system (ykien import poll-results), in `total`; only on a poll that has some. */
  startingTotal?: number;
}

export interface PublicPoll {
  id: string;
  site: string;
  question: string;
  options: { id: string; label: string }[];
  maxChoices: number;
  status: PollStatus;
  opensAt: string | null;
  closesAt: string | null;
  resultsVisibility: ResultsVisibility;
  voted: boolean;
  resultsVisible: boolean;
  results: Results | null;
}

export interface AdminPoll extends Omit<PublicPoll, 'voted' | 'resultsVisible' | 'results'> {
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
  results: Results;
}

/** POST /v1/polls/:id/votes → 201 */
export interface VoteAnswer {
  pollId: string;
  voted: true;
  resultsVisible: boolean;
  results: Results | null;
  poll: PublicPoll;
}

/** GET /v1/admin/polls */
export interface AdminPollList {
  polls: AdminPoll[];
}

/** GET /v1/admin/polls/:id/timeline: ballots per local hour or day of the site's zone, zero-filled. */
export interface PollTimeline {
  pollId: string;
  bucket: 'hour' | 'day';
  /** The site's IANA zone; each `start` is an ISO time with its offset. */
  timezone: string;
  total: number;
  buckets: { start: string; votes: number }[];
}
