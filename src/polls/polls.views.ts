import type { AdminPoll, PollStatus, PublicPoll, Results } from '../api/polls.js';
import { percentages } from '../ballots/percent.js';
import { iso, resultsVisible, statusOf } from './polls.domain.js';
import type { Counters, PollDefinition } from './polls.store.js';

/** Stored polls as the API shows them. */

export function resultsOf(def: PollDefinition, c: Counters): Results {
  const votes = def.options.map((o) => c.votes.get(o.id) ?? 0);
  const pct = percentages(votes, c.total);
  return {
    pollId: def.poll.id,
    total: c.total,
    voters: c.voters,
    options: def.options.map((o, i) => ({ id: o.id, label: o.label, votes: votes[i]!, percent: pct[i]! })),
  };
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
