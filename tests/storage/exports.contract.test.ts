import { expect, it } from 'vitest';
import type { CommentStatus } from '../../src/comments/comments.schema.js';
import type { BallotExportRecord, CommentExportRecord } from '../../src/exports/exports.store.js';
import type { NewBallot } from '../../src/polls/polls.store.js';
import type { Storage } from '../../src/storage/storage.js';
import { forEachBackend, seedSite } from './backends.js';

const T0 = 1_780_000_000_000;
const MIN = 60_000;
// Option ids sort differently from the options' order (o1, o2, o3), so "in option order" is seen.
const OPTION_IDS: Record<string, string> = { o1: 'tot', o2: 'dep', o3: 'can' };
const OPTIONS = [
  { id: 'tot', label: 'Bình thường' },
  { id: 'dep', label: 'Đẹp, tiện lợi tra cứu' },
  { id: 'can', label: 'Cần chỉnh sửa thêm' },
];

async function withPolls(open: () => Promise<Storage>) {
  const s = await open();
  await seedSite(s, 'xa-a');
  await seedSite(s, 'xa-b');
  for (const [id, siteId] of [['p1', 'xa-a'], ['p2', 'xa-b']] as const)
    await s.polls.create({ id, siteId, question: 'Xin bạn cho ý kiến?', maxChoices: 3, opensAt: null, closesAt: null, resultsVisibility: 'always' }, OPTIONS.map((o) => ({ ...o, id: `${id}-${o.id}` })), T0, null);
  return s;
}

const ballot = (pollId: string, voter: string, at: number, choices: string[] = ['o1'], over: Partial<NewBallot> = {}): NewBallot => ({
  pollId,
  optionIds: choices.map((c) => `${pollId}-${OPTION_IDS[c]}`),
  voterHash: voter,
  ipHash: `net-${voter}`,
  userAgent: `UA ${voter}`,
  at,
  ...over,
});

async function cast(s: Storage, b: NewBallot): Promise<void> {
  expect((await s.polls.castBallot(b, null, () => {})).outcome).toBe('ok');
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

interface SeedComment {
  id: string;
  siteId?: string;
  at: number;
  status?: CommentStatus;
  moderated?: { at: number; by: string };
  parentId?: string;
}

/** Comments written through the comments store, then moderated where asked (exports only read them). */
async function seedComments(s: Storage, comments: SeedComment[]): Promise<void> {
  for (const c of comments) {
    const status = c.status ?? 'pending';
    await s.comments.insert(
      {
        id: c.id,
        siteId: c.siteId ?? 'xa-a',
        threadKey: 'ke-hoach-206',
        parentId: c.parentId ?? null,
        name: 'Nguyễn Văn An',
        address: 'Thôn 3, xã Tiên Ngọc',
        email: 'an.nguyen@example.vn',
        content: `Ý kiến ${c.id}`,
        status: c.moderated ? 'pending' : status,
        spamReason: status === 'spam' ? 'links' : null,
        ipHash: `net-${c.id}`,
        userAgent: 'CocCoc/128',
        repeatKey: null,
        createdAt: c.at,
      },
      () => 0,
    );
    if (c.moderated) {
      const by = c.moderated.by;
      await s.comments.moderate({ ids: [c.id] }, c.moderated.at, () => ({ statuses: [{ id: c.id, status, by }], deletes: [], threads: [], audit: [], result: undefined }));
    }
  }
}

forEachBackend('exports store: ballots', (open) => {
  it('streams every ballot of the poll once, oldest first (ties by id), with its choices in option order', async () => {
    const s = await withPolls(open);
    // Cast out of time order, with choices given out of option order.
    await cast(s, ballot('p1', 'v-late', T0 + 30 * MIN, ['o3', 'o1']));
    await cast(s, ballot('p1', 'v-early', T0 + 10 * MIN, ['o2']));
    await cast(s, ballot('p1', 'v-tie-1', T0 + 20 * MIN, ['o3', 'o2', 'o1']));
    await cast(s, ballot('p1', 'v-tie-2', T0 + 20 * MIN, ['o1']));
    await cast(s, ballot('p2', 'v-other-poll', T0 + 15 * MIN, ['o1']));

    const rows = await all(s.exports.ballots('p1'));
    expect(rows.map((b) => b.voterHash)).toEqual(['v-early', 'v-tie-1', 'v-tie-2', 'v-late']);
    expect(rows.map((b) => b.optionIds)).toEqual([['p1-dep'], ['p1-tot', 'p1-dep', 'p1-can'], ['p1-tot'], ['p1-tot', 'p1-can']]);
    expect(rows[0]).toEqual({ id: rows[0]!.id, at: T0 + 10 * MIN, optionIds: ['p1-dep'], voterHash: 'v-early', ipHash: 'net-v-early', userAgent: 'UA v-early' } satisfies BallotExportRecord);
    // Ties in time keep the order the ballots were stored in.
    expect(rows[1]!.id).toBeLessThan(rows[2]!.id);
    expect(new Set(rows.map((b) => b.id)).size).toBe(4);
    expect((await all(s.exports.ballots('p2'))).map((b) => b.voterHash)).toEqual(['v-other-poll']);
  });

  it('keeps a ballot without an IP hash or user agent as it is', async () => {
    const s = await withPolls(open);
    await cast(s, ballot('p1', 'v1', T0, ['o1'], { ipHash: null, userAgent: null }));
    expect(await all(s.exports.ballots('p1'))).toMatchObject([{ voterHash: 'v1', ipHash: null, userAgent: null }]);
  });

  it('yields nothing for a poll without ballots or without a row', async () => {
    const s = await withPolls(open);
    expect(await all(s.exports.ballots('p1'))).toEqual([]);
    expect(await all(s.exports.ballots('khong-co'))).toEqual([]);
  });

  it('reads one snapshot taken when iteration starts, while votes keep landing', async () => {
    const s = await withPolls(open);
    const N = 3_000;
    for (let i = 0; i < N; i += 500)
      await Promise.all(Array.from({ length: 500 }, (_, j) => cast(s, ballot('p1', `v${i + j}`, T0 + (i + j) * 1000, (i + j) % 2 ? ['o1', 'o2'] : ['o3']))));

    const seen: BallotExportRecord[] = [];
    let written = 0;
    for await (const b of s.exports.ballots('p1')) {
      seen.push(b);
      // New ballots, later than every other, are written (and acknowledged) while the stream is open.
      if (seen.length === 1 || seen.length === N / 2)
        for (let k = 0; k < 25; k++, written++) await cast(s, ballot('p1', `new-${written}`, T0 + 10 * N * 1000 + written, ['o2']));
    }
    expect(written).toBe(50);
    expect(seen).toHaveLength(N);
    expect(new Set(seen.map((b) => b.id)).size).toBe(N);
    expect(seen.map((b) => b.voterHash)).toEqual(Array.from({ length: N }, (_, i) => `v${i}`));
    expect(seen.filter((b) => b.optionIds.length === 2)).toHaveLength(N / 2);
    // The next stream sees them all.
    const after = await all(s.exports.ballots('p1'));
    expect(after).toHaveLength(N + 50);
    expect(after.at(-1)!.voterHash).toBe('new-49');
    expect((await s.polls.state('p1', null)).counters.voters).toBe(N + 50);
  });

  it('a consumer that stops early releases the stream: writes and later streams go on', async () => {
    const s = await withPolls(open);
    for (let i = 0; i < 10; i++) await cast(s, ballot('p1', `v${i}`, T0 + i));
    for await (const b of s.exports.ballots('p1')) {
      expect(b.voterHash).toBe('v0');
      break;
    }
    await cast(s, ballot('p1', 'after', T0 + 100));
    expect(await all(s.exports.ballots('p1'))).toHaveLength(11);
  });
});

forEachBackend('exports store: comments', (open) => {
  async function withComments() {
    const s = await withPolls(open);
    await seedComments(s, [
      { id: 'c-a1', at: T0 + 1 * MIN, status: 'approved', moderated: { at: T0 + 90 * MIN, by: 'Điều hành viên xã A' } },
      { id: 'c-a2', at: T0 + 2 * MIN, status: 'pending' },
      { id: 'c-b1', siteId: 'xa-b', at: T0 + 3 * MIN, status: 'pending' },
      { id: 'c-a4', at: T0 + 4 * MIN, status: 'spam' },
      // Two at the same instant: ordered by id.
      { id: 'c-a6', at: T0 + 5 * MIN, status: 'pending', parentId: 'c-a1' },
      { id: 'c-a5', at: T0 + 5 * MIN, status: 'rejected', moderated: { at: T0 + 91 * MIN, by: 'Điều hành viên xã A' } },
    ]);
    return s;
  }
  const ids = async (s: Storage, f: Parameters<Storage['exports']['comments']>[0]) => (await all(s.exports.comments(f))).map((c) => c.id);

  it('streams every comment, oldest first (ties by id), with its private fields', async () => {
    const s = await withComments();
    const rows = await all(s.exports.comments({ sites: null }));
    expect(rows.map((c) => c.id)).toEqual(['c-a1', 'c-a2', 'c-b1', 'c-a4', 'c-a5', 'c-a6']);
    expect(rows[0]).toEqual({
      id: 'c-a1',
      siteId: 'xa-a',
      thread: 'ke-hoach-206',
      parentId: null,
      status: 'approved',
      spamReason: null,
      name: 'Nguyễn Văn An',
      address: 'Thôn 3, xã Tiên Ngọc',
      email: 'an.nguyen@example.vn',
      content: 'Ý kiến c-a1',
      ipHash: 'net-c-a1',
      userAgent: 'CocCoc/128',
      createdAt: T0 + MIN,
      updatedAt: T0 + 90 * MIN,
      moderatedAt: T0 + 90 * MIN,
      moderatedBy: 'Điều hành viên xã A',
    } satisfies CommentExportRecord);
    expect(rows.find((c) => c.id === 'c-a2')).toMatchObject({ updatedAt: T0 + 2 * MIN, moderatedAt: null, moderatedBy: null });
    expect(rows.find((c) => c.id === 'c-a6')).toMatchObject({ parentId: 'c-a1' });
    expect(rows.find((c) => c.id === 'c-a4')).toMatchObject({ status: 'spam', spamReason: 'links' });
  });

  it('filters by sites, status and [from, to)', async () => {
    const s = await withComments();
    expect(await ids(s, { sites: ['xa-a'] })).toEqual(['c-a1', 'c-a2', 'c-a4', 'c-a5', 'c-a6']);
    expect(await ids(s, { sites: ['xa-b'] })).toEqual(['c-b1']);
    expect(await ids(s, { sites: ['xa-a', 'xa-b'] })).toHaveLength(6);
    expect(await ids(s, { sites: [] })).toEqual([]);
    expect(await ids(s, { sites: ['khong-co'] })).toEqual([]);
    expect(await ids(s, { sites: null, status: 'pending' })).toEqual(['c-a2', 'c-b1', 'c-a6']);
    expect(await ids(s, { sites: ['xa-a'], status: 'pending' })).toEqual(['c-a2', 'c-a6']);
    // `from` is inclusive, `to` exclusive.
    expect(await ids(s, { sites: null, from: T0 + 2 * MIN, to: T0 + 4 * MIN })).toEqual(['c-a2', 'c-b1']);
    expect(await ids(s, { sites: null, from: T0 + 5 * MIN })).toEqual(['c-a5', 'c-a6']);
    expect(await ids(s, { sites: null, to: T0 + MIN })).toEqual([]);
    expect(await ids(s, { sites: ['xa-a'], status: 'pending', from: T0 + 3 * MIN, to: T0 + 6 * MIN })).toEqual(['c-a6']);
  });
});

forEachBackend('exports store: ballot slots', (open) => {
  it('counts ballots per 15-minute UTC slot over [from, to), slots with ballots only, in time order', async () => {
    const s = await withPolls(open);
    const slot = Math.floor(T0 / (15 * MIN)) * 15 * MIN;
    const at = [slot, slot + 15 * MIN - 1, slot + 15 * MIN, slot + 60 * MIN + 7, slot + 60 * MIN + 8, slot + 60 * MIN + 9];
    for (const [i, t] of at.entries()) await cast(s, ballot('p1', `v${i}`, t));
    await cast(s, ballot('p2', 'other', slot));
    expect(await s.exports.ballotSlots('p1', 0, Number.MAX_SAFE_INTEGER)).toEqual([
      { start: slot, ballots: 2 },
      { start: slot + 15 * MIN, ballots: 1 },
      { start: slot + 60 * MIN, ballots: 3 },
    ]);
    // The bounds cut inside slots: only the ballots in [from, to) count.
    expect(await s.exports.ballotSlots('p1', slot + 1, slot + 60 * MIN + 9)).toEqual([
      { start: slot, ballots: 1 },
      { start: slot + 15 * MIN, ballots: 1 },
      { start: slot + 60 * MIN, ballots: 2 },
    ]);
    expect(await s.exports.ballotSlots('p1', slot + 16 * MIN, slot + 60 * MIN)).toEqual([]);
    expect(await s.exports.ballotSlots('khong-co', 0, Number.MAX_SAFE_INTEGER)).toEqual([]);
  });
});

forEachBackend('retention store', (open) => {
  const DAY = 86_400_000;
  const cutoff = T0 + 30 * DAY;

  async function withHistory() {
    const s = await withPolls(open);
    await cast(s, ballot('p1', 'old', cutoff - DAY, ['o1', 'o2']));
    await cast(s, ballot('p1', 'at-cutoff', cutoff, ['o3']));
    await cast(s, ballot('p2', 'old-other', cutoff - 1, ['o1']));
    await cast(s, ballot('p2', 'new', cutoff + DAY, ['o2']));
    await seedComments(s, [
      { id: 'c-old', at: cutoff - DAY, status: 'approved', moderated: { at: cutoff + DAY, by: 'Điều hành viên' } },
      { id: 'c-at-cutoff', at: cutoff },
      { id: 'c-new', siteId: 'xa-b', at: cutoff + DAY },
    ]);
    return s;
  }
  const ballotsOf = async (s: Storage) => new Map([...(await all(s.exports.ballots('p1'))), ...(await all(s.exports.ballots('p2')))].map((b) => [b.voterHash, b]));
  const commentsOf = async (s: Storage) => new Map((await all(s.exports.comments({ sites: null }))).map((c) => [c.id, c]));

  it('erases IP hashes and user agents of what is older than the cutoff, and nothing else', async () => {
    const s = await withHistory();
    const ballotsBefore = await ballotsOf(s);
    const commentsBefore = await commentsOf(s);
    expect(await s.retention.eraseBefore(cutoff)).toEqual({ ballots: 2, comments: 1, surveyResponses: 0 });

    const ballots = await ballotsOf(s);
    for (const voter of ['old', 'old-other']) expect(ballots.get(voter)).toEqual({ ...ballotsBefore.get(voter), ipHash: null, userAgent: null });
    for (const voter of ['at-cutoff', 'new']) expect(ballots.get(voter)).toEqual(ballotsBefore.get(voter));
    const comments = await commentsOf(s);
    expect(comments.get('c-old')).toEqual({ ...commentsBefore.get('c-old'), ipHash: null, userAgent: null });
    for (const id of ['c-at-cutoff', 'c-new']) expect(comments.get(id)).toEqual(commentsBefore.get(id));
  });

  it('keeps the rows, the counters and one vote per voter', async () => {
    const s = await withHistory();
    const before = await s.polls.state('p1', 'old');
    await s.retention.eraseBefore(cutoff);
    expect(await s.polls.state('p1', 'old')).toEqual(before);
    expect(before.voted).toBe(true);
    expect((await s.polls.castBallot(ballot('p1', 'old', cutoff + 2 * DAY, ['o3']), null, () => {})).outcome).toBe('duplicate');
    expect(await s.stats.ballots()).toBe(4);
    expect((await all(s.exports.comments({ sites: null }))).map((c) => c.content)).toEqual(['Ý kiến c-old', 'Ý kiến c-at-cutoff', 'Ý kiến c-new']);
  });

  it('a second pass with the same cutoff erases nothing; a later cutoff erases what has aged since', async () => {
    const s = await withHistory();
    await s.retention.eraseBefore(cutoff);
    expect(await s.retention.eraseBefore(cutoff)).toEqual({ ballots: 0, comments: 0, surveyResponses: 0 });
    expect(await s.retention.eraseBefore(cutoff + 1)).toEqual({ ballots: 1, comments: 1, surveyResponses: 0 });
    expect(await s.retention.eraseBefore(cutoff + 1)).toEqual({ ballots: 0, comments: 0, surveyResponses: 0 });
  });

  it('an aborted pass throws the reason and erases no further batch', async () => {
    const s = await withHistory();
    const stop = new AbortController();
    stop.abort(new Error('shutting down'));
    await expect(s.retention.eraseBefore(cutoff, { signal: stop.signal })).rejects.toThrow('shutting down');
    expect([...(await ballotsOf(s)).values()].every((b) => b.ipHash !== null)).toBe(true);
    expect(await s.retention.eraseBefore(cutoff)).toEqual({ ballots: 2, comments: 1, surveyResponses: 0 });
  });
});

forEachBackend('stats store', (open) => {
  it('counts equal the rows: comments per status, ballots in every poll', async () => {
    const s = await withPolls(open);
    expect(await s.stats.commentsByStatus()).toEqual({});
    expect(await s.stats.ballots()).toBe(0);

    await seedComments(s, [
      { id: 'c1', at: T0, status: 'pending' },
      { id: 'c2', at: T0, status: 'pending', siteId: 'xa-b' },
      { id: 'c3', at: T0, status: 'approved' },
      { id: 'c4', at: T0, status: 'spam' },
    ]);
    expect(await s.stats.commentsByStatus()).toEqual({ pending: 2, approved: 1, spam: 1 });

    const voters = Array.from({ length: 30 }, (_, i) => `v${i}`);
    // Each voter twice at once: duplicates are not ballots.
    await Promise.all(voters.flatMap((v, i) => [0, 1].map(() => s.polls.castBallot(ballot(i % 3 ? 'p1' : 'p2', v, T0 + i, ['o1', 'o2']), null, () => {}))));
    expect(await s.stats.ballots()).toBe(30);
    expect((await all(s.exports.ballots('p1'))).length + (await all(s.exports.ballots('p2'))).length).toBe(30);

    await s.polls.change('p2', T0, () => ({ change: { remove: true }, result: undefined }));
    expect(await s.stats.ballots()).toBe(20);
  });
});
