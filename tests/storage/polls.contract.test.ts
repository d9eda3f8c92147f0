import { expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import type { BallotState, NewBallot } from '../../src/polls/polls.store.js';
import type { Storage } from '../../src/storage/storage.js';
import { auditOf, forEachBackend, seedSite } from './backends.js';

const T0 = 1_780_000_000_000;
const OPTIONS = [
  { id: 'o1', label: 'Bình thường' },
  { id: 'o2', label: 'Đẹp, tiện lợi tra cứu' },
  { id: 'o3', label: 'Cần chỉnh sửa thêm' },
];

async function withPoll(open: () => Promise<Storage>, opts: { maxChoices?: number } = {}) {
  const s = await open();
  await seedSite(s);
  const poll = { id: 'p1', siteId: 'xa-a', question: 'Xin bạn cho ý kiến?', maxChoices: opts.maxChoices ?? 2, opensAt: null, closesAt: null, resultsVisibility: 'always' as const };
  expect(await s.polls.create(poll, OPTIONS, T0, auditOf('poll.create'))).toBe(true);
  return s;
}

const ballot = (voter: string, optionIds: string[] = ['o1'], over: Partial<NewBallot> = {}): NewBallot => ({
  pollId: 'p1',
  optionIds,
  voterHash: voter,
  ipHash: 'net-1',
  userAgent: 'UA',
  at: T0 + 1000,
  ...over,
});
const admitAll = () => {};

forEachBackend('polls store', (open) => {
  it('creates a poll with its options in order, refuses a taken id, and records the audit entry', async () => {
    const s = await withPoll(open);
    const def = await s.polls.definition('p1');
    expect(def?.poll).toMatchObject({ id: 'p1', siteId: 'xa-a', maxChoices: 2, totalVoters: 0, totalChoices: 0, closedAt: null, createdAt: T0, updatedAt: T0 });
    expect(def?.options).toEqual(OPTIONS);
    expect(await s.polls.create({ ...def!.poll }, OPTIONS, T0, null)).toBe(false);
    expect(await s.polls.definition('nope')).toBeUndefined();
    expect((await s.audit.list({ sites: null, limit: 10 })).map((a) => a.action)).toEqual(['poll.create']);
  });

  it('casts each voter exactly once, however many of their ballots race, and counters equal the ballots', async () => {
    const s = await withPoll(open);
    const voters = Array.from({ length: 40 }, (_, i) => `v${i}`);
    // Every voter sends three ballots at once (a double click, a retry, another tab).
    const results = await Promise.all(voters.flatMap((v, i) => [0, 1, 2].map(() => s.polls.castBallot(ballot(v, i % 2 ? ['o1', 'o2'] : ['o3']), null, admitAll))));
    expect(results.filter((r) => r.outcome === 'ok')).toHaveLength(40);
    expect(results.filter((r) => r.outcome === 'duplicate')).toHaveLength(80);
    const { counters, voted } = await s.polls.state('p1', 'v7');
    expect(voted).toBe(true);
    expect(counters.voters).toBe(40);
    expect(counters.total).toBe(60);
    expect(Object.fromEntries(counters.votes)).toEqual({ o1: 20, o2: 20, o3: 20 });
    expect((await s.polls.definition('p1'))!.poll).toMatchObject({ totalVoters: 40, totalChoices: 60 });
    expect(await s.polls.hasVoted('p1', 'v39')).toBe(true);
    expect(await s.polls.hasVoted('p1', 'nobody')).toBe(false);
    expect(await s.polls.anyBallots()).toBe(true);
  });

  it('answers each ballot with the counters it produced, and the poll it read', async () => {
    const s = await withPoll(open);
    const first = await s.polls.castBallot(ballot('a', ['o2']), null, admitAll);
    expect(first.outcome === 'ok' && first.counters.voters).toBe(1);
    expect(first.outcome === 'ok' && first.counters.votes.get('o2')).toBe(1);
    expect(first.outcome === 'ok' && first.poll.id).toBe('p1');
  });

  it('lets the rules see the poll, the voter and the network in the ballot transaction, and a refusal writes nothing', async () => {
    const s = await withPoll(open);
    const seen: BallotState[] = [];
    await s.polls.castBallot(ballot('a', ['o1'], { ipHash: 'net-1', at: T0 + 10 }), T0, (st) => void seen.push(st));
    await s.polls.castBallot(ballot('b', ['o1'], { ipHash: 'net-1', at: T0 + 20 }), T0, (st) => void seen.push(st));
    await s.polls.castBallot(ballot('c', ['o1'], { ipHash: 'net-2', at: T0 + 30 }), T0, (st) => void seen.push(st));
    // Only ballots after ipSince count towards the cap.
    await s.polls.castBallot(ballot('d', ['o1'], { ipHash: 'net-1', at: T0 + 40 }), T0 + 15, (st) => void seen.push(st));
    expect(seen.map((st) => st.votesFromIp)).toEqual([0, 1, 0, 1]);
    expect(seen.every((st) => st.poll?.id === 'p1' && !st.alreadyVoted)).toBe(true);
    // No cap asked: nothing counted.
    await s.polls.castBallot(ballot('e'), null, (st) => void seen.push(st));
    expect(seen.at(-1)!.votesFromIp).toBeNull();
    // A voter who voted is seen as such by the rules.
    await s.polls.castBallot(ballot('a'), null, (st) => void seen.push(st)).catch(() => undefined);
    expect(seen.at(-1)!.alreadyVoted).toBe(true);

    const refuse = () => {
      throw new AppError(429, 'ip_vote_limit', 'no');
    };
    await expect(s.polls.castBallot(ballot('f', ['o1', 'o2']), T0, refuse)).rejects.toMatchObject({ code: 'ip_vote_limit' });
    const { counters } = await s.polls.state('p1', 'f');
    expect(counters.voters).toBe(5);
    expect(await s.polls.hasVoted('p1', 'f')).toBe(false);
    // An unknown poll: the rules see no poll.
    await s.polls.castBallot(ballot('g', ['o1'], { pollId: 'nope' }), null, (st) => {
      expect(st.poll).toBeUndefined();
      throw new AppError(404, 'not_found', 'no');
    }).catch(() => undefined);
  });

  it('in one batch, each ballot\'s rules see the ballots before it: the network\'s count, a voter already cast', async () => {
    const s = await withPoll(open);
    const seen: BallotState[] = [];
    const cap = 3;
    const capped = (st: BallotState) => {
      seen.push(st);
      if (st.alreadyVoted) throw new AppError(409, 'already_voted', 'no');
      if (st.votesFromIp !== null && st.votesFromIp >= cap) throw new AppError(429, 'ip_vote_limit', 'no');
    };
    // Sent together, so they share one group commit: five voters of one network, one of them twice, and one elsewhere.
    const settled = await Promise.allSettled([
      ...['a', 'b', 'a', 'c', 'd', 'e'].map((v) => s.polls.castBallot(ballot(v, ['o1'], { ipHash: 'net-1' }), T0, capped)),
      s.polls.castBallot(ballot('f', ['o2'], { ipHash: 'net-2' }), T0, capped),
    ]);
    const codes = settled.map((r) => (r.status === 'fulfilled' ? r.value.outcome : (r.reason as AppError).code));
    expect(codes).toEqual(['ok', 'ok', 'already_voted', 'ok', 'ip_vote_limit', 'ip_vote_limit', 'ok']);
    const net1 = seen.filter((_, i) => i < 6);
    expect(net1.map((st) => st.votesFromIp)).toEqual([0, 1, 2, 2, 3, 3]);
    expect(net1.map((st) => st.alreadyVoted)).toEqual([false, false, true, false, false, false]);
    const { counters } = await s.polls.state('p1', null);
    expect(counters).toMatchObject({ voters: 4, total: 4 });
    expect(Object.fromEntries(counters.votes)).toEqual({ o1: 3, o2: 1, o3: 0 });
  });

  it('a refused ballot in a batch rolls back alone; the others of the same batch land', async () => {
    const s = await withPoll(open);
    const refuseB = (st: BallotState) => {
      if (st.poll && seenB++ === 0) throw new AppError(422, 'too_many_choices', 'no');
    };
    let seenB = 0;
    const settled = await Promise.allSettled([
      s.polls.castBallot(ballot('a'), null, admitAll),
      s.polls.castBallot(ballot('b', ['o1', 'o2', 'o3']), null, refuseB),
      s.polls.castBallot(ballot('c'), null, admitAll),
    ]);
    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await s.polls.state('p1', null)).counters).toMatchObject({ voters: 2, total: 2 });
  });

  it('applies a planned change (fields, relabelled, reordered, added and removed options) with its audit entry', async () => {
    const s = await withPoll(open);
    const result = await s.polls.change('p1', T0 + 5, (current) => {
      expect(current?.options.map((o) => o.id)).toEqual(['o1', 'o2', 'o3']);
      return {
        change: {
          fields: { question: 'Câu hỏi mới?', maxChoices: 1, closesAt: T0 + 10_000 },
          options: [
            { id: 'o3', label: 'Cần sửa', isNew: false },
            { id: 'o4', label: 'Mới', isNew: true },
            { id: 'o1', label: 'Bình thường', isNew: false },
          ],
          audit: auditOf('poll.update', T0 + 5),
        },
        result: 'done',
      };
    });
    expect(result).toBe('done');
    const def = (await s.polls.definition('p1'))!;
    expect(def.poll).toMatchObject({ question: 'Câu hỏi mới?', maxChoices: 1, closesAt: T0 + 10_000, updatedAt: T0 + 5 });
    expect(def.options).toEqual([
      { id: 'o3', label: 'Cần sửa' },
      { id: 'o4', label: 'Mới' },
      { id: 'o1', label: 'Bình thường' },
    ]);
    expect((await s.audit.list({ sites: ['xa-a'], limit: 1 }))[0]?.action).toBe('poll.update');
  });

  it('a plan that throws changes nothing, not even the audit log; an unknown poll reaches the plan as undefined', async () => {
    const s = await withPoll(open);
    await expect(
      s.polls.change('p1', T0 + 5, () => {
        throw new AppError(409, 'poll_has_votes', 'no');
      }),
    ).rejects.toMatchObject({ code: 'poll_has_votes' });
    expect((await s.polls.definition('p1'))!.poll.updatedAt).toBe(T0);
    expect(await s.polls.change('nope', T0, (current) => ({ change: {}, result: current }))).toBeUndefined();
    expect((await s.audit.list({ sites: null, limit: 10 })).map((a) => a.action)).toEqual(['poll.create']);
  });

  it('removes a poll with its options and ballots', async () => {
    const s = await withPoll(open);
    await s.polls.castBallot(ballot('a'), null, admitAll);
    await s.polls.change('p1', T0, () => ({ change: { remove: true, audit: auditOf('poll.delete') }, result: undefined }));
    expect(await s.polls.definition('p1')).toBeUndefined();
    expect(await s.polls.hasVoted('p1', 'a')).toBe(false);
    expect(await s.polls.anyBallots()).toBe(false);
  });

  it('lists polls of the sites asked for, newest first, with options and counters, in one call', async () => {
    const s = await withPoll(open);
    await seedSite(s, 'xa-b');
    await s.polls.create({ id: 'p2', siteId: 'xa-b', question: 'Hai?', maxChoices: 1, opensAt: null, closesAt: null, resultsVisibility: 'after_vote' }, [{ id: 'x1', label: 'Có' }], T0 + 1, null);
    await s.polls.castBallot(ballot('a', ['o1', 'o3']), null, admitAll);
    const all = await s.polls.list(null);
    expect(all.map((p) => p.poll.id)).toEqual(['p2', 'p1']);
    const p1 = all.find((p) => p.poll.id === 'p1')!;
    expect(p1.options).toEqual(OPTIONS);
    expect(p1.counters).toMatchObject({ voters: 1, total: 2 });
    expect(Object.fromEntries(p1.counters.votes)).toEqual({ o1: 1, o2: 0, o3: 1 });
    expect((await s.polls.list(['xa-b'])).map((p) => p.poll.id)).toEqual(['p2']);
    expect(await s.polls.list([])).toEqual([]);
  });
});
