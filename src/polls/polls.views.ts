import type { AdminPoll, PollStatus, PublicPoll, Results } from '../api/polls.js';
import { percentages } from '../ballots/percent.js';
import { iso, resultsVisible, statusOf } from './polls.domain.js';
import type { Counters, PollDefinition } from './polls.store.js';

/** Stored polls as the API shows them. */

/** Counted ballots plus the starting figures (votes from an old system), percentages of the sum. */
export function resultsOf(def: PollDefinition, c: Counters): Results {
  const starting = def.options.map((o) => o.startingVotes ?? 0);
  const startingTotal = starting.reduce((a, b) => a + b, 0);
  const votes = def.options.map((o, i) => (c.votes.get(o.id) ?? 0) + starting[i]!);
  const total = c.total + startingTotal;
  const pct = percentages(votes, total);
  const results: Results = {
    pollId: def.poll.id,
    total,
    voters: c.voters,
    options: def.options.map((o, i) => ({ id: o.id, label: o.label, votes: votes[i]!, percent: pct[i]!, ...(startingTotal ? { startingVotes: starting[i]! } : {}) })),
  };
  if (startingTotal) results.startingTotal = startingTotal;
  return results;
}

const base = (def: PollDefinition, status: PollStatus) => {
  const p = def.poll;
  return {
    id: p.id,
    site: p.siteId,
    question: p.question,
    options: def.options.map((o) => ({ id: o.id, label: o.label })),
    maxChoices: p.maxChoices,
    status,
    opensAt: iso(p.opensAt),
    closesAt: iso(p.closesAt ?? p.closedAt),
    resultsVisibility: p.resultsVisibility,
  };
};

/** What a reader sees: results only when the poll's visibility allows it for this reader. */
export function publicPoll(def: PollDefinition, status: PollStatus, voted: boolean, counters: Counters): PublicPoll {
  const visible = resultsVisible(def.poll, status, voted);
  return { ...base(def, status), voted, resultsVisible: visible, results: visible ? resultsOf(def, counters) : null };
}

export function adminPoll(def: PollDefinition, counters: Counters, now: number): AdminPoll {
  const p = def.poll;
  return {
    ...base(def, statusOf(p, now)),
    closedAt: iso(p.closedAt),
    createdAt: iso(p.createdAt)!,
    updatedAt: iso(p.updatedAt)!,
    results: resultsOf(def, counters),
  };
}
