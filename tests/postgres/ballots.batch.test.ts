import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { NewBallot } from '../../src/polls/polls.store.js';
import type { Storage } from '../../src/storage/storage.js';
import { auditOf, postgres, seedSite } from '../storage/backends.js';

/**
 * PostgreSQL's group commit writes a batch of ballots in a few set statements (src/storage/postgres/polls.ts,
 * castAll) rather than two round trips per ballot; the contract suite holds its rules to SQLite's. Here:
 * that it really is a few statements, and that a statement failing for one ballot still refuses that one alone.
 */
const T0 = 1_780_000_000_000;
const ballot = (voter: string, over: Partial<NewBallot> = {}): NewBallot => ({
  pollId: 'p1',
  optionIds: ['o1'],
  voterHash: voter,
  ipHash: 'net-1',
  userAgent: 'UA',
  at: T0 + 1000,
  ...over,
});

async function withPoll(): Promise<Storage> {
  const s = await postgres.open();
  await seedSite(s);
  const poll = { id: 'p1', siteId: 'xa-a', question: 'Xin bạn cho ý kiến?', maxChoices: 2, opensAt: null, closesAt: null, resultsVisibility: 'always' as const };
  const options = [
    { id: 'o1', label: 'Bình thường' },
    { id: 'o2', label: 'Đẹp, tiện lợi tra cứu' },
    { id: 'o3', label: 'Khó tra cứu' },
  ];
  expect(await s.polls.create(poll, options, T0, auditOf('poll.create'))).toBe(true);
  return s;
}

/** Statements sent by every pg client while `fn` runs. */
async function statements<T>(fn: () => Promise<T>): Promise<{ result: T; sql: string[] }> {
  const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const query = proto.query;
  const sql: string[] = [];
  proto.query = function (this: unknown, ...a: unknown[]) {
    const c = a[0];
    sql.push(typeof c === 'string' ? c : String((c as { text?: unknown } | null)?.text ?? ''));
    return query.apply(this, a);
  };
  try {
    return { result: await fn(), sql };
  } finally {
    proto.query = query;
  }
}


describe('ballots on PostgreSQL: one batch, a few statements', () => {
  it('forty ballots sent together are written in a handful of statements, and counted exactly', async () => {
    const s = await withPoll();
    const { result, sql } = await statements(() =>
      Promise.all(Array.from({ length: 40 }, (_, i) => s.polls.castBallot(ballot(`v${i % 30}`, { optionIds: i % 2 ? ['o1', 'o2'] : ['o2'] }), T0, () => undefined))),
    );
    expect(result.filter((r) => r.outcome === 'ok')).toHaveLength(30);
    expect(result.filter((r) => r.outcome === 'duplicate')).toHaveLength(10);
    // BEGIN, the locks, the states, the ballots with their counters, COMMIT with the change version: five, where
    // one by one would be two per ballot.
    const ballotStatements = sql.filter((q) => /ballots/.test(q));
    expect(ballotStatements.length, sql.join('\n---\n')).toBeLessThanOrEqual(2);
    expect(sql.length, sql.join('\n---\n')).toBeLessThanOrEqual(5);
    const { counters } = await s.polls.state('p1', null);
    expect(counters.voters).toBe(30);
    expect(counters.total).toBe(45);
    const last = result.find((r) => r.outcome === 'ok');
    expect(last?.outcome === 'ok' && last.counters.voters).toBe(30);
    // The counters as the batch left them, the option nobody chose among them.
    expect(last?.outcome === 'ok' && Object.fromEntries(last.counters.votes)).toEqual({ o1: 15, o2: 30, o3: 0 });
  });

  it('without a network cap, a batch is its state, its write and the change version: no BEGIN, no COMMIT', async () => {
    const s = await withPoll();
    const { result, sql } = await statements(() => Promise.all(Array.from({ length: 20 }, (_, i) => s.polls.castBallot(ballot(`w${i % 15}`), null, () => undefined))));
    expect(result.map((r) => r.outcome).filter((o) => o === 'ok')).toHaveLength(15);
    expect(sql.length, sql.join('\n---\n')).toBe(3);
    expect(sql.some((q) => /\b(BEGIN|COMMIT)\b/.test(q)), sql.join('\n---\n')).toBe(false);
    expect(sql[2]).toMatch(/nextval\('ykien_changes'\)/);
    expect((await s.polls.state('p1', null)).counters).toMatchObject({ voters: 15, total: 15 });
  });

  it('a statement that fails for one ballot: the batch is written again one by one, and only that ballot is refused', async () => {
    const s = await withPoll();
    const settled = await Promise.allSettled([
      s.polls.castBallot(ballot('a'), null, () => undefined),
      // PostgreSQL text cannot hold U+0000: the set insert fails for the whole batch.
      s.polls.castBallot(ballot('b', { userAgent: 'UA\u0000' }), null, () => undefined),
      s.polls.castBallot(ballot('c'), null, () => undefined),
    ]);
    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ status: 400 });
    expect((await s.polls.state('p1', null)).counters).toMatchObject({ voters: 2, total: 2 });
    expect(await s.polls.hasVoted('p1', 'b')).toBe(false);
  });
});
