import type { Hasher } from '../util/hash.js';

/** How far back the per-network cap counts. */
export const IP_WINDOW_MS = 86_400_000;

export interface BallotClient {
  ip: string | undefined;
  userAgent: string | undefined;
}

/** Who cast a ballot, as stored: salted hashes only (src/util/hash.ts), a user agent cut to size. */
export interface Respondent {
  voterHash: string;
  ipHash: string | null;
  userAgent: string | null;
  at: number;
}

/** The voter (respondent) id of a read, hashed; null when the reader gave none. */
export const voterHashOf = (hasher: Hasher, voterId: string | undefined) => (voterId ? hasher.voter(voterId) : null);

export function respondentOf(hasher: Hasher, voterId: string, client: BallotClient, at: number): Respondent {
  return { voterHash: hasher.voter(voterId), ipHash: hasher.ballotIp(client.ip), userAgent: client.userAgent?.slice(0, 300) ?? null, at };
}

/** Since when the per-network cap counts ballots, or null when there is no cap. */
export const ipSinceFor = (cap: number, at: number) => (cap > 0 ? at - IP_WINDOW_MS : null);
