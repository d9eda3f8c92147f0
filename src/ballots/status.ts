import type { PollStatus, ResultsVisibility } from '../api/polls.js';

/**
 * What a poll and a survey share as "something people answer once": when it takes answers, and who
 * sees its results. Times are epoch ms.
 */
export interface Schedule {
  opensAt: number | null;
  closesAt: number | null;
  /** Set by "close"; wins over closesAt. */
  closedAt: number | null;
}

export const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function statusOf(p: Schedule, now: number): PollStatus {
  if (p.closedAt !== null || (p.closesAt !== null && p.closesAt <= now)) return 'closed';
  if (p.opensAt !== null && p.opensAt > now) return 'scheduled';
  return 'open';
}

/** Results are shown always, after the person's own answer, or once it is closed (closing shows them to everyone). */
export function resultsVisible(p: { resultsVisibility: ResultsVisibility }, status: PollStatus, answered: boolean): boolean {
  if (p.resultsVisibility === 'always' || status === 'closed') return true;
  return p.resultsVisibility === 'after_vote' && answered;
}
