import { expect, it } from 'vitest';
import type { PollDefinition } from '../../src/polls/polls.store.js';
import type { Storage } from '../../src/storage/storage.js';
import { AppError } from '../../src/errors.js';
import { auditOf, forEachBackend, seedSite } from './backends.js';

const T0 = 1_780_000_000_000;
const OPTIONS = [
  { id: 'o1', label: 'Bình thường' },
  { id: 'o2', label: 'Đẹp, tiện lợi tra cứu' },
];

forEachBackend('polls store: starting figures', (open) => {
  async function withPoll(): Promise<Storage> {
    const s = await open();
    await seedSite(s);
    await s.polls.create({ id: 'p1', siteId: 'xa-a', question: 'Ý kiến?', maxChoices: 1, opensAt: null, closesAt: null, resultsVisibility: 'always' }, OPTIONS, T0, null);
    return s;
  }
  const setFigures = (s: Storage, figures: Record<string, number>, at = T0 + 5) =>
    s.polls.change('p1', at, (current) => ({ change: { startingVotes: new Map(Object.entries(figures)), audit: auditOf('poll.starting_figures', at) }, result: current }));

  it('keeps them apart from the ballots: definitions carry them, counters stay the ballots', async () => {
    const s = await withPoll();
    const vote = (voter: string, o: string) => s.polls.castBallot({ pollId: 'p1', optionIds: [o], voterHash: voter, ipHash: null, userAgent: null, at: T0 + 1 }, null, () => undefined);
    await vote('a', 'o1');
    await setFigures(s, { o1: 120, o2: 30 });
    await vote('b', 'o2');
    const def = (await s.polls.definition('p1')) as PollDefinition;
    expect(def.options).toEqual([
      { id: 'o1', label: 'Bình thường', startingVotes: 120 },
      { id: 'o2', label: 'Đẹp, tiện lợi tra cứu', startingVotes: 30 },
    ]);
    expect(def.poll.updatedAt).toBe(T0 + 5);
    const { counters } = await s.polls.state('p1', null);
    expect({ total: counters.total, voters: counters.voters, votes: Object.fromEntries(counters.votes) }).toEqual({ total: 2, voters: 2, votes: { o1: 1, o2: 1 } });
    const listed = (await s.polls.list(['xa-a']))[0]!;
    expect(listed.options).toEqual(def.options);
    expect(listed.counters.total).toBe(2);
    expect((await s.audit.list({ sites: null, action: 'poll.starting_figures', limit: 5 })).length).toBe(1);

    // Replaced whole: an option not named has none (and shows no figure at all).
    await setFigures(s, { o2: 4 });
    expect((await s.polls.definition('p1'))!.options).toEqual([
      { id: 'o1', label: 'Bình thường' },
      { id: 'o2', label: 'Đẹp, tiện lợi tra cứu', startingVotes: 4 },
    ]);
  });

  it('a refused plan changes nothing; a negative figure is refused by the database', async () => {
    const s = await withPoll();
    await setFigures(s, { o1: 10 });
    await expect(
      s.polls.change('p1', T0 + 9, () => {
        throw new AppError(422, 'unknown_option', 'no');
      }),
    ).rejects.toMatchObject({ code: 'unknown_option' });
    await expect(setFigures(s, { o1: -1 })).rejects.toThrow();
    expect((await s.polls.definition('p1'))!.options[0]).toEqual({ id: 'o1', label: 'Bình thường', startingVotes: 10 });
    expect((await s.audit.list({ sites: null, action: 'poll.starting_figures', limit: 5 })).length).toBe(1);
  });
});
