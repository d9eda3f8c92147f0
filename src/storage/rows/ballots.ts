import type { BallotExportRecord } from '../../exports/exports.store.js';

/** A ballot as an export reads it, its choices aggregated: a JSON array's text on SQLite, a text[] on PostgreSQL. */
export interface BallotExportRow<OptionIds> {
  id: number;
  created_at: number;
  voter_hash: string;
  ip_hash: string | null;
  user_agent: string | null;
  option_ids: OptionIds;
}

/** The record, with the ballot's choices in poll order (each backend puts them in that order its own way). */
export const toBallotExport = (r: BallotExportRow<unknown>, optionIds: string[]): BallotExportRecord => ({
  id: r.id,
  at: r.created_at,
  optionIds,
  voterHash: r.voter_hash,
  ipHash: r.ip_hash,
  userAgent: r.user_agent,
});
