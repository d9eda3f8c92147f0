import type { CommentStatus } from '../comments/comments.schema.js';

/** One ballot as an export lists it. Times are epoch ms. */
export interface BallotExportRecord {
  id: number;
  at: number;
  /** The options chosen, in the poll's option order. */
  optionIds: string[];
  voterHash: string;
  /** null once the retention job erased it. */
  ipHash: string | null;
  userAgent: string | null;
}

/** Which comments an export lists: all of these that are set (null sites: every site; `to` is exclusive). */
export interface CommentExportFilter {
  sites: readonly string[] | null;
  status?: CommentStatus | undefined;
  from?: number | undefined;
  to?: number | undefined;
}

/** A comment with its private fields, as a moderator's export lists it. Times are epoch ms. */
export interface CommentExportRecord {
  id: string;
  siteId: string;
  thread: string;
  parentId: string | null;
  status: CommentStatus;
  spamReason: string | null;
  name: string;
  address: string | null;
  email: string | null;
  content: string;
  ipHash: string | null;
  userAgent: string | null;
  createdAt: number;
  updatedAt: number;
  moderatedAt: number | null;
  moderatedBy: string | null;
}

/** Ballots cast in one 15-minute slot of UTC time, [start, start + 15 min). */
export interface BallotSlot {
  start: number;
  ballots: number;
}

/** A slot's length: each lies inside one local hour in every time zone (offsets are whole quarter hours). */
export const SLOT_MS = 15 * 60_000;

/**
 * What exports need from storage. The streams read one consistent snapshot, taken when iteration
 * starts, that does not hold up writers (votes keep landing meanwhile, and are not in the stream), and
 * yield rows as they are read: memory stays flat however many there are, and a consumer that stops
 * early (`break`, a closed socket) releases the snapshot.
 */
export interface ExportsStore {
  /** Every ballot of the poll, oldest first (time, then id), each once, with its choices in option order. */
  ballots(pollId: string): AsyncIterable<BallotExportRecord>;
  /** Every comment the filter lets through, oldest first (time, then id). */
  comments(filter: CommentExportFilter): AsyncIterable<CommentExportRecord>;
  /** The poll's ballots cast in [from, to), counted per 15-minute UTC slot: slots with ballots only, in time order. */
  ballotSlots(pollId: string, from: number, to: number): Promise<BallotSlot[]>;
}
