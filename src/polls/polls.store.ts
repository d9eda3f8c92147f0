import type { AuditRecord } from '../audit/audit.store.js';
import type { ResultsVisibility } from '../api/polls.js';

/** A poll as stored. Times are epoch ms. */
export interface PollRecord {
  id: string;
  siteId: string;
  question: string;
  maxChoices: number;
  opensAt: number | null;
  closesAt: number | null;
  /** Set by "close"; wins over closesAt. */
  closedAt: number | null;
  resultsVisibility: ResultsVisibility;
  /** Choices cast, kept with every ballot. */
  totalChoices: number;
  /** Ballots, kept with every ballot. */
  totalVoters: number;
  createdAt: number;
  updatedAt: number;
}

export interface OptionRecord {
  id: string;
  label: string;
  /** Votes brought from an old system (ykien import poll-results): shown added to the ballots, never ballots. Absent when 0. */
  startingVotes?: number;
}

/** What a poll is (not how it is voted): options in their order. */
export interface PollDefinition {
  poll: PollRecord;
  options: OptionRecord[];
}

export interface Counters {
  /** Choices cast. */
  total: number;
  /** Ballots. */
  voters: number;
  /** Votes per option id. */
  votes: ReadonlyMap<string, number>;
}

export type NewPoll = Pick<PollRecord, 'id' | 'siteId' | 'question' | 'maxChoices' | 'opensAt' | 'closesAt' | 'resultsVisibility'>;

/** A change decided by the polls service's rules; the store applies it as it is. */
export interface PollChange {
  fields?: Partial<Pick<PollRecord, 'question' | 'maxChoices' | 'opensAt' | 'closesAt' | 'closedAt' | 'resultsVisibility'>>;
  /** The options after the change, in order: kept ones by id (label may change), new ones with new ids. */
  options?: { id: string; label: string; isNew: boolean }[];
  /** The starting figures of every option after the change, by option id (an option not named has none). */
  startingVotes?: ReadonlyMap<string, number>;
  /** Deletes the poll with its options and ballots. */
  remove?: boolean;
  audit?: AuditRecord;
}

export interface NewBallot {
  pollId: string;
  optionIds: readonly string[];
  voterHash: string;
  ipHash: string | null;
  userAgent: string | null;
  at: number;
}

/** What the vote rules look at, read in the ballot's own transaction. */
export interface BallotState {
  poll: PollRecord | undefined;
  alreadyVoted: boolean;
  /** Ballots from the same network since `ipSince`; null when no cap applies (no ipSince, or no IP). */
  votesFromIp: number | null;
}

export type CastResult = { outcome: 'ok'; poll: PollRecord; counters: Counters } | { outcome: 'duplicate' };

/** What the polls feature needs from storage. */
export interface PollsStore {
  definition(id: string): Promise<PollDefinition | undefined>;
  /** Every poll of these sites (null: all) with its counters, newest first, in a fixed number of queries. */
  list(sites: readonly string[] | null): Promise<(PollDefinition & { counters: Counters })[]>;
  /** Live counters, and whether this voter has voted (null: nobody asks), read together. */
  state(pollId: string, voterHash: string | null): Promise<{ counters: Counters; voted: boolean }>;
  hasVoted(pollId: string, voterHash: string): Promise<boolean>;
  /** Whether any ballot exists at all (asked once, when a database's hash scheme is fixed). */
  anyBallots(): Promise<boolean>;
  /** Creates the poll and its options; false when the id is taken. */
  create(poll: NewPoll, options: readonly OptionRecord[], at: number, audit: AuditRecord | null): Promise<boolean>;
  /**
   * Reads the poll, lets `plan` decide (it may throw to refuse; undefined = no such poll), then applies the
   * change and its audit entry, in one transaction.
   */
  change<T>(id: string, at: number, plan: (current: PollDefinition | undefined) => { change: PollChange; result: T }): Promise<T>;
  /**
   * Stores one ballot, its choices and the counters, exactly once per (poll, voter): `admit` sees the poll
   * and the voter's state in the ballot's transaction and throws to refuse. 'duplicate' when the voter
   * had already voted (by the unique constraint, whatever admit saw). The counters are those this ballot produced.
   */
  castBallot(ballot: NewBallot, ipSince: number | null, admit: (state: BallotState) => void): Promise<CastResult>;
}
