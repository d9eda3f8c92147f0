/**
 * The polls API's answers, as the server sends them and the widget reads them (imported as types
 * by both; nothing here runs).
 */
export type PollStatus = 'scheduled' | 'open' | 'closed';
export type ResultsVisibility = 'always' | 'after_vote' | 'after_close';

export interface Results {
  pollId: string;
  /** Choices cast: equals voters for single-choice polls. Percentages are of this. */
  total: number;
  /** Ballots (people). */
  voters: number;
  options: { id: string; label: string; votes: number; percent: number }[];
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
