import { AppError, conflict } from '../errors.js';
import { iso, statusOf, type Schedule } from './status.js';

/** The refusals of one kind of ballot (a poll's vote, a survey's response), with its own codes and words. */
export interface Refusals {
  closed: () => AppError;
  notOpen: (opensAt: string | null) => AppError;
  already: () => AppError;
  ipLimit: () => AppError;
}

export const refusals = (r: { closed: [string, string]; notOpen: [string, string]; already: [string, string]; ipLimit: [string, string] }): Refusals => ({
  closed: () => conflict(...r.closed),
  notOpen: (opensAt) => conflict(r.notOpen[0], r.notOpen[1], { opensAt }),
  already: () => conflict(...r.already),
  ipLimit: () => new AppError(429, ...r.ipLimit),
});

/** What the admission rules look at, read in the ballot's own transaction. */
export interface Turnout {
  /** This voter (respondent) has already cast one. */
  alreadyCast: boolean;
  /** Ballots from the same network since the cap's window began; null when no cap applies (no window, or no IP). */
  fromIp: number | null;
}

/** The window: open at `at`, else refused (closed, or not open yet). */
export function admitWindow(p: Schedule, at: number, no: Refusals): void {
  const status = statusOf(p, at);
  if (status === 'closed') throw no.closed();
  if (status === 'scheduled') throw no.notOpen(iso(p.opensAt));
}

/** The voter: not cast yet, and the network under its cap (0: no cap). */
export function admitVoter(t: Turnout, ipCap: number, no: Refusals): void {
  if (t.alreadyCast) throw no.already();
  if (ipCap > 0 && t.fromIp !== null && t.fromIp >= ipCap) throw no.ipLimit();
}
