import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { AnswerClaim, CommentRecord, CommentStatus, CommentsStore, ModerationTarget, NewComment, PublicCommentRecord } from '../../src/comments/comments.store.js';
import { insertDelta } from '../../src/comments/counters.js';
import { moderationWork } from '../../src/comments/moderation.plan.js';
import { AppError } from '../../src/errors.js';
import type { Storage } from '../../src/storage/storage.js';
import { foldForSearch } from '../../src/util/fold.js';
import { auditOf, forEachBackend, seedSite } from './backends.js';

const T0 = 1_780_000_000_000;
const THREAD = 'ke-hoach-206';

let seq = 0;
const comment = (over: Partial<NewComment> = {}): NewComment => ({
  id: `bl${++seq}x`,
  siteId: 'xa-a',
  threadKey: THREAD,
  parentId: null,
  name: 'Nguyễn Văn An',
  address: 'Thôn 3',
  email: 'an@example.vn',
  content: 'Đề nghị xã công khai tiến độ.',
  status: 'approved',
  spamReason: null,
  ipHash: 'ip-1',
  userAgent: 'UA',
  repeatKey: null,
  createdAt: T0,
  ...over,
});

/** Stores a comment the way the service does: the count grows by what the counting rule says. */
async function add(store: CommentsStore, over: Partial<NewComment> = {}, claim?: AnswerClaim) {
  const c = comment(over);
  return { c, outcome: await store.insert(c, (parent) => insertDelta(c, parent), claim) };
}

async function withSites(open: () => Promise<Storage>) {
  const s = await open();
  await seedSite(s, 'xa-a');
  await seedSite(s, 'xa-b');
  return s;
}

/** Every page of a thread through the cursor. */
async function readThread(store: CommentsStore, thread = THREAD, limit = 3) {
  const comments: PublicCommentRecord[] = [];
  const replies: PublicCommentRecord[] = [];
  let after: { at: number; id: string } | undefined;
  for (;;) {
    const page = await store.page('xa-a', thread, after, limit);
    comments.push(...page.comments);
    replies.push(...page.replies);
    const last = page.comments.at(-1);
    if (page.comments.length < limit || !last) return { comments, replies, visible: page.visible };
    after = { at: last.createdAt, id: last.id };
  }
}

/** What readers see, counted from the pages (not from the counter). */
const recount = async (store: CommentsStore, thread = THREAD) => {
  const { comments, replies } = await readThread(store, thread, 7);
  return comments.length + replies.length;
};

/** One action on each target, as moderation.service.ts runs it (replies first). */
function moderate(store: CommentsStore, target: ModerationTarget, action: CommentStatus | 'delete', at = T0 + 5000) {
  return store.moderate(target, at, (snap) => {
    const work = moderationWork(snap, at, 'Kiểm duyệt');
    const ordered = [...snap.targets].sort((a, b) => Number(a.parentId === null) - Number(b.parentId === null));
    for (const { id } of ordered) {
      const c = work.current(id);
      if (!c) continue;
      if (action === 'delete') work.remove(c);
      else work.setStatus(c, action);
      work.audit(auditOf(`comment.${action}`, at));
    }
    return work.plan(ordered.map((c) => c.id));
  });
}

forEachBackend('comments store', (open) => {
  it('reads a thread oldest first, a page at a time: the cursor neither skips nor repeats, ties broken by id', async () => {
    const s = await withSites(open);
    const published: CommentRecord['id'][] = [];
    // Out of order, and three written in the same millisecond.
    for (const [id, at] of [['c05', 5], ['c01', 1], ['c03', 3], ['c03b', 3], ['c03a', 3], ['c09', 9], ['c02', 2]] as const) {
      await add(s.comments, { id, createdAt: T0 + at });
      published.push(id);
    }
    await add(s.comments, { id: 'cpend', status: 'pending', createdAt: T0 + 4 });
    await add(s.comments, { id: 'crej', status: 'rejected', createdAt: T0 + 4 });
    await add(s.comments, { id: 'cother', threadKey: 'bai-khac' });
    await add(s.comments, { id: 'cxab', siteId: 'xa-b' });
    const { comments, visible } = await readThread(s.comments);
    expect(comments.map((c) => c.id)).toEqual(['c01', 'c02', 'c03', 'c03a', 'c03b', 'c05', 'c09']);
    expect(visible).toBe(7);
    expect(comments[0]).toEqual({ id: 'c01', parentId: null, name: 'Nguyễn Văn An', address: 'Thôn 3', content: 'Đề nghị xã công khai tiến độ.', createdAt: T0 + 1 });
    // Private fields never come out of a public read.
    expect(Object.keys(comments[0]!).sort()).toEqual(['address', 'content', 'createdAt', 'id', 'name', 'parentId']);
    expect((await s.comments.page('xa-a', 'khong-co', undefined, 5))).toEqual({ visible: 0, comments: [], replies: [] });
    expect(await s.comments.get('cpend')).toMatchObject({ status: 'pending', email: 'an@example.vn', ipHash: 'ip-1', updatedAt: T0 + 4, moderatedAt: null });
  });

  it('gives a page the approved replies of its comments, oldest first, and no others', async () => {
    const s = await withSites(open);
    for (let i = 1; i <= 4; i++) await add(s.comments, { id: `top${i}`, createdAt: T0 + i });
    await add(s.comments, { id: 'r1b', parentId: 'top1', createdAt: T0 + 20 });
    await add(s.comments, { id: 'r1a', parentId: 'top1', createdAt: T0 + 10 });
    await add(s.comments, { id: 'r1p', parentId: 'top1', status: 'pending', createdAt: T0 + 11 });
    await add(s.comments, { id: 'r2a', parentId: 'top2', createdAt: T0 + 15 });
    await add(s.comments, { id: 'r4a', parentId: 'top4', createdAt: T0 + 12 });
    const first = await s.comments.page('xa-a', THREAD, undefined, 2);
    expect(first.comments.map((c) => c.id)).toEqual(['top1', 'top2']);
    expect(first.replies.map((r) => [r.id, r.parentId])).toEqual([['r1a', 'top1'], ['r2a', 'top2'], ['r1b', 'top1']]);
    const second = await s.comments.page('xa-a', THREAD, { at: T0 + 2, id: 'top2' }, 2);
    expect(second.replies.map((r) => r.id)).toEqual(['r4a']);
    expect(first.visible).toBe(8);
  });

  it('lets admit refuse a comment (nothing is stored, no key taken) and shows it the parent as stored', async () => {
    const s = await withSites(open);
    await add(s.comments, { id: 'cha', status: 'pending' });
    const seen: (CommentRecord | undefined)[] = [];
    const reply = comment({ id: 'con', parentId: 'cha' });
    const claim: AnswerClaim = { key: 'k'.repeat(20), fingerprint: 'f1', response: '{"id":"con"}', forgetBefore: 0 };
    await expect(
      s.comments.insert(reply, (parent) => {
        seen.push(parent);
        throw new AppError(404, 'parent_not_found', 'no');
      }, claim),
    ).rejects.toMatchObject({ code: 'parent_not_found' });
    expect(seen.map((p) => p?.status)).toEqual(['pending']);
    expect(await s.comments.get('con')).toBeUndefined();
    expect(await s.comments.answer('xa-a', claim.key, 0)).toBeUndefined();
    // A top-level comment's admit sees no parent.
    const top = comment();
    await s.comments.insert(top, (parent) => (seen.push(parent), 1));
    expect(seen.at(-1)).toBeUndefined();
    expect((await s.comments.page('xa-a', THREAD, undefined, 5)).visible).toBe(1);
  });

  it('writes a comment and its audit entry (an editors\' reply) in one transaction: a failing entry stores no comment', async () => {
    const s = await withSites(open);
    await add(s.comments, { id: 'cha2', status: 'approved' });
    const reply = comment({ id: 'traloi1', parentId: 'cha2', status: 'approved' });
    await expect(s.comments.insert(reply, (parent) => insertDelta(reply, parent), undefined, auditOf('comment.reply'))).resolves.toBe('stored');
    expect((await s.audit.list({ sites: null, limit: 10 })).map((a) => a.action)).toEqual(['comment.reply']);
    // An entry the audit log refuses (no actor: NOT NULL) rolls the reply back with it, counter included.
    const second = comment({ id: 'traloi2', parentId: 'cha2', status: 'approved' });
    const broken = { ...auditOf('comment.reply'), actorName: null as unknown as string };
    await expect(s.comments.insert(second, (parent) => insertDelta(second, parent), undefined, broken)).rejects.toThrow();
    expect(await s.comments.get('traloi2')).toBeUndefined();
    expect((await s.comments.page('xa-a', THREAD, undefined, 5)).visible).toBe(2);
    expect(await s.audit.list({ sites: null, limit: 10 })).toHaveLength(1);
  });

  it('claims an Idempotency-Key once however many posts race for it; the answer goes with its comment', async () => {
    const s = await withSites(open);
    const key = 'f3b1c2d4-5e6f-4a7b-8c9d';
    const posts = Array.from({ length: 12 }, (_, i) => comment({ id: `dua${i}x`, createdAt: T0 + 100 }));
    const outcomes = await Promise.all(
      posts.map((c) => s.comments.insert(c, () => 1, { key, fingerprint: 'f', response: JSON.stringify({ id: c.id }), forgetBefore: T0 }))
    );
    expect(outcomes.filter((o) => o === 'stored')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'key_taken')).toHaveLength(11);
    const winner = posts[outcomes.indexOf('stored')]!;
    for (const c of posts) expect(await s.comments.get(c.id)).toEqual(c === winner ? expect.objectContaining({ id: c.id }) : undefined);
    expect((await s.comments.page('xa-a', THREAD, undefined, 20)).visible).toBe(1);
    expect(await s.comments.answer('xa-a', key, T0)).toEqual({ fingerprint: 'f', response: JSON.stringify({ id: winner.id }) });
    // Only answers younger than `since` count; another site has keys of its own.
    expect(await s.comments.answer('xa-a', key, T0 + 100)).toBeUndefined();
    expect(await s.comments.answer('xa-b', key, T0)).toBeUndefined();
    expect((await add(s.comments, { siteId: 'xa-b' }, { key, fingerprint: 'g', response: '{}', forgetBefore: T0 })).outcome).toBe('stored');
    // Once expired, the key is free again.
    const later = await add(s.comments, { createdAt: T0 + 200 }, { key, fingerprint: 'h', response: '{"n":2}', forgetBefore: T0 + 100 });
    expect(later.outcome).toBe('stored');
    expect(await s.comments.answer('xa-a', key, T0)).toEqual({ fingerprint: 'h', response: '{"n":2}' });
    // A deleted comment leaves no copy of its answer behind.
    await moderate(s.comments, { ids: [later.c.id] }, 'delete');
    expect(await s.comments.answer('xa-a', key, 0)).toBeUndefined();
  });

  it('finds a repeat key in the same thread of the same site since the given time only', async () => {
    const s = await withSites(open);
    await add(s.comments, { repeatKey: 'rk1', createdAt: T0 + 10 });
    expect(await s.comments.repeatSince('xa-a', THREAD, 'rk1', T0)).toBe(true);
    expect(await s.comments.repeatSince('xa-a', THREAD, 'rk1', T0 + 10)).toBe(false);
    expect(await s.comments.repeatSince('xa-a', 'bai-khac', 'rk1', T0)).toBe(false);
    expect(await s.comments.repeatSince('xa-b', THREAD, 'rk1', T0)).toBe(false);
    expect(await s.comments.repeatSince('xa-a', THREAD, 'rk2', T0)).toBe(false);
  });

  it('moderates from a snapshot of the targets, their parents and replies, and applies the plan with its audit entries', async () => {
    const s = await withSites(open);
    const { c: top } = await add(s.comments, { id: 'goc1' });
    await add(s.comments, { id: 'tl1', parentId: 'goc1', status: 'pending', createdAt: T0 + 1 });
    await add(s.comments, { id: 'tl2', parentId: 'goc1', createdAt: T0 + 2 });
    await add(s.comments, { id: 'goc2', createdAt: T0 + 3 });
    await add(s.comments, { id: 'tl3', parentId: 'goc2', createdAt: T0 + 4 });
    const at = T0 + 9000;
    const result = await s.comments.moderate({ ids: ['tl3', 'goc1', 'nope', 'goc1'] }, at, (snap) => {
      expect(snap.targets.map((c) => c.id)).toEqual(['tl3', 'goc1']);
      expect([...snap.comments.keys()].sort()).toEqual(['goc1', 'goc2', 'tl1', 'tl2', 'tl3']);
      const work = moderationWork(snap, at, 'Biên tập');
      const after = work.setStatus(work.current('goc1')!, 'rejected');
      work.audit(auditOf('comment.reject', at));
      return work.plan(after);
    });
    expect(result).toMatchObject({ id: 'goc1', status: 'rejected', moderatedAt: at, moderatedBy: 'Biên tập' });
    expect(await s.comments.get('goc1')).toEqual({ ...top, status: 'rejected', updatedAt: at, moderatedAt: at, moderatedBy: 'Biên tập' });
    // goc1 and its published reply tl2 went out of sight.
    expect((await readThread(s.comments)).visible).toBe(2);
    expect(await recount(s.comments)).toBe(2);
    expect((await s.audit.list({ sites: null, limit: 10 })).map((a) => a.action)).toEqual(['comment.reject']);
  });

  it('writes nothing when the plan refuses', async () => {
    const s = await withSites(open);
    await add(s.comments, { id: 'goc1' });
    await add(s.comments, { id: 'tl1', parentId: 'goc1' });
    await expect(
      s.comments.moderate({ ids: ['goc1'] }, T0 + 1, (snap) => {
        const work = moderationWork(snap, T0 + 1, 'x');
        work.remove(work.current('goc1')!);
        work.audit(auditOf('comment.delete'));
        work.plan(null);
        throw new AppError(403, 'forbidden', 'no');
      }),
    ).rejects.toBeInstanceOf(AppError);
    expect((await s.comments.get('goc1'))?.status).toBe('approved');
    expect((await s.comments.get('tl1'))?.status).toBe('approved');
    expect((await readThread(s.comments)).visible).toBe(2);
    expect(await s.audit.list({ sites: null, limit: 10 })).toEqual([]);
  });

  it('keeps the visible count equal to a recount of the pages, whatever is posted and moderated (property)', async () => {
    const s = await withSites(open);
    const store = s.comments;
    const statuses: CommentStatus[] = ['pending', 'approved', 'rejected', 'spam'];
    type Op =
      | { kind: 'post'; status: number; reply: number | null; who: number }
      | { kind: 'act'; picks: number[]; action: number }
      | { kind: 'erase'; who: number; bothSites: boolean };
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('post' as const), status: fc.nat(3), reply: fc.option(fc.nat(40)), who: fc.nat(2) }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('act' as const), picks: fc.array(fc.nat(40), { minLength: 1, maxLength: 4 }), action: fc.nat(4) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('erase' as const), who: fc.nat(2), bothSites: fc.boolean() }) },
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
        const thread = `bai-${++run}`;
        const ids: string[] = [];
        let at = T0;
        for (const o of ops) {
          at += 1000;
          if (o.kind === 'post') {
            const parents = (await readThread(store, thread, 50)).comments;
            const parentId = o.reply !== null && parents.length ? parents[o.reply % parents.length]!.id : null;
            const { c } = await add(store, { threadKey: thread, parentId, status: statuses[o.status]!, email: `nguoi${o.who}@example.vn`, createdAt: at });
            ids.push(c.id);
          } else if (o.kind === 'act' && ids.length) {
            await moderate(store, { ids: o.picks.map((p) => ids[p % ids.length]!) }, o.action === 4 ? 'delete' : statuses[o.action]!, at);
          } else if (o.kind === 'erase') {
            await store.moderate({ email: `nguoi${o.who}@example.vn`, sites: o.bothSites ? null : ['xa-a'] }, at, (snap) => {
              const work = moderationWork(snap, at, 'x');
              for (const t of snap.targets) {
                const c = work.current(t.id);
                if (c) work.remove(c);
              }
              return work.plan(undefined);
            });
          }
          expect((await store.page('xa-a', thread, undefined, 1)).visible).toBe(await recount(store, thread));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('erases every comment of an e-mail on the sites asked, with the replies to them, and keeps counts right', async () => {
    const s = await withSites(open);
    const AN = 'an@example.vn';
    await add(s.comments, { id: 'an1', createdAt: T0 + 1 });
    await add(s.comments, { id: 'binh1', email: 'binh@example.vn', createdAt: T0 + 2 });
    await add(s.comments, { id: 'traloi1', parentId: 'an1', email: 'binh@example.vn', createdAt: T0 + 3 }); // goes with an1
    await add(s.comments, { id: 'traloi2', parentId: 'an1', email: null, createdAt: T0 + 4 }); // goes with an1
    await add(s.comments, { id: 'an2', parentId: 'binh1', createdAt: T0 + 5 });
    await add(s.comments, { id: 'an3', parentId: 'an1', createdAt: T0 + 6 });
    await add(s.comments, { id: 'an4', status: 'spam', threadKey: 'bai-khac', createdAt: T0 + 7 });
    await add(s.comments, { id: 'anB', siteId: 'xa-b', createdAt: T0 + 8 });
    expect((await readThread(s.comments)).visible).toBe(6);
    const erased = await s.comments.moderate({ email: AN, sites: ['xa-a'] }, T0 + 100, (snap) => {
      expect(snap.targets.map((c) => c.id)).toEqual(['an1', 'an2', 'an3', 'an4']);
      const work = moderationWork(snap, T0 + 100, 'x');
      const othersReplies = work.repliesOf('an1').filter((r) => r.email !== AN).length;
      for (const t of snap.targets) {
        const c = work.current(t.id);
        if (c) work.remove(c);
      }
      work.audit(auditOf('commenter.erase'));
      return work.plan({ othersReplies });
    });
    expect(erased).toEqual({ othersReplies: 2 });
    for (const id of ['an1', 'an2', 'an3', 'an4', 'traloi1', 'traloi2']) expect(await s.comments.get(id)).toBeUndefined();
    expect(await s.comments.get('binh1')).toBeDefined();
    expect(await s.comments.get('anB')).toBeDefined();
    expect((await readThread(s.comments)).visible).toBe(1);
    expect(await recount(s.comments)).toBe(1);
    expect(await s.comments.queue({ sites: ['xa-a'], limit: 50 })).toEqual([expect.objectContaining({ id: 'binh1' })]);
    // Every site when asked.
    await s.comments.moderate({ email: AN, sites: null }, T0 + 200, (snap) => {
      expect(snap.targets.map((c) => c.id)).toEqual(['anB']);
      return { statuses: [], deletes: [], threads: [], audit: [], result: undefined };
    });
  });

  it('lists the moderation queue newest first, filtered by sites, status and thread, through a cursor', async () => {
    const s = await withSites(open);
    await seedSite(s, 'xa-c');
    const rows: NewComment[] = [];
    const sites = ['xa-a', 'xa-b', 'xa-c'];
    const statuses: CommentStatus[] = ['pending', 'approved', 'spam', 'pending', 'rejected'];
    for (let i = 0; i < 30; i++) {
      // Pairs share a millisecond: the id breaks the tie.
      const { c } = await add(s.comments, { id: `q${String(i).padStart(2, '0')}x`, siteId: sites[i % 3]!, threadKey: i % 4 ? THREAD : 'bai-khac', status: statuses[i % 5]!, createdAt: T0 + Math.floor(i / 2) });
      rows.push(c);
    }
    const newest = [...rows].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
    const all = async (q: Omit<Parameters<CommentsStore['queue']>[0], 'limit' | 'before'>) => {
      const got: CommentRecord[] = [];
      let before: { at: number; id: string } | undefined;
      for (;;) {
        const page = await s.comments.queue({ ...q, before, limit: 4 });
        got.push(...page);
        if (page.length < 4) return got.map((c) => c.id);
        before = { at: page.at(-1)!.createdAt, id: page.at(-1)!.id };
      }
    };
    const expected = (f: (c: NewComment) => boolean) => newest.filter(f).map((c) => c.id);
    expect(await all({ sites: null })).toEqual(expected(() => true));
    expect(await all({ sites: ['xa-b'] })).toEqual(expected((c) => c.siteId === 'xa-b'));
    expect(await all({ sites: ['xa-a', 'xa-c'] })).toEqual(expected((c) => c.siteId !== 'xa-b'));
    expect(await all({ sites: [] })).toEqual([]);
    expect(await all({ sites: null, status: 'pending' })).toEqual(expected((c) => c.status === 'pending'));
    expect(await all({ sites: ['xa-a', 'xa-b'], status: 'pending', thread: THREAD })).toEqual(
      expected((c) => c.siteId !== 'xa-c' && c.status === 'pending' && c.threadKey === THREAD),
    );
    expect(await all({ sites: ['xa-c'], thread: 'bai-khac' })).toEqual(expected((c) => c.siteId === 'xa-c' && c.threadKey === 'bai-khac'));
    // Private fields are there for moderators.
    const [first] = await s.comments.queue({ sites: null, limit: 1 });
    expect(first).toEqual({ ...newest[0], updatedAt: newest[0]!.createdAt, moderatedAt: null, moderatedBy: null });
  });
  it('filters the queue and its counts by time range and text (name or content), on the sites asked', async () => {
    const s = await withSites(open);
    await add(s.comments, { id: 'f1x', status: 'pending', createdAt: T0, content: 'Đề nghị sửa ĐƯỜNG thôn 3' });
    await add(s.comments, { id: 'f2x', status: 'pending', createdAt: T0 + 10, name: 'Trần Thị Bích', content: 'Cảm ơn xã' });
    await add(s.comments, { id: 'f3x', status: 'approved', createdAt: T0 + 20, content: 'Xin hỏi về Duong lang' });
    await add(s.comments, { id: 'f4x', status: 'spam', createdAt: T0 + 30, siteId: 'xa-b', content: 'đường dây nóng' });
    const ids = async (q: Parameters<CommentsStore['queue']>[0]) => (await s.comments.queue(q)).map((c) => c.id);
    expect(await ids({ sites: ['xa-a'], from: T0 + 10, limit: 10 })).toEqual(['f3x', 'f2x']);
    expect(await ids({ sites: ['xa-a'], from: T0 + 10, to: T0 + 20, limit: 10 })).toEqual(['f2x']);
    // The text comes folded (foldForSearch, as the API folds it); the store folds name and content alike:
    // letter case and Vietnamese marks are ignored, Vietnamese capitals ("ĐƯỜNG") included.
    expect(await ids({ sites: ['xa-a'], text: 'duong', limit: 10 })).toEqual(['f3x', 'f1x']);
    expect(await ids({ sites: null, text: foldForSearch('đường'), limit: 10 })).toEqual(['f4x', 'f3x', 'f1x']);
    expect(await ids({ sites: ['xa-a'], text: foldForSearch('BÍCH'), limit: 10 })).toEqual(['f2x']);
    expect(await ids({ sites: ['xa-a'], text: foldForSearch('không có'), limit: 10 })).toEqual([]);
    expect(await ids({ sites: ['xa-a'], status: 'pending', text: foldForSearch('xã'), limit: 10 })).toEqual(['f2x']);
    // Decomposed input (NFD, as some keyboards send it) and stored NFC text meet.
    await add(s.comments, { id: 'f5x', status: 'pending', createdAt: T0 + 40, name: 'PHẠM THỊ HOA', content: 'Ý kiến' });
    expect(await ids({ sites: ['xa-a'], text: foldForSearch('Phạm'.normalize('NFD')), limit: 10 })).toEqual(['f5x']);
    expect(await ids({ sites: ['xa-a'], text: 'pham thi hoa', limit: 10 })).toEqual(['f5x']);

    expect(await s.comments.counts({ sites: ['xa-a'] })).toEqual({ pending: 3, approved: 1, rejected: 0, spam: 0 });
    expect(await s.comments.counts({ sites: null })).toEqual({ pending: 3, approved: 1, rejected: 0, spam: 1 });
    expect(await s.comments.counts({ sites: ['xa-b'], text: foldForSearch('đường') })).toEqual({ pending: 0, approved: 0, rejected: 0, spam: 1 });
    expect(await s.comments.counts({ sites: ['xa-a'], text: 'duong' })).toEqual({ pending: 1, approved: 1, rejected: 0, spam: 0 });
    expect(await s.comments.counts({ sites: ['xa-a'], from: T0 + 5, to: T0 + 25 })).toEqual({ pending: 1, approved: 1, rejected: 0, spam: 0 });
    expect(await s.comments.counts({ sites: [] })).toEqual({ pending: 0, approved: 0, rejected: 0, spam: 0 });
  });

  it('edits a comment\'s text with its audit entry in one transaction; a refusal writes neither', async () => {
    const s = await withSites(open);
    const { c } = await add(s.comments, { id: 'e1x', status: 'pending' });
    const seen: CommentRecord[] = [];
    const after = await s.comments.edit('e1x', T0 + 500, (now) => {
      seen.push(now);
      return { content: 'Đề nghị xã công khai.', audit: auditOf('comment.edit', T0 + 500) };
    });
    expect(seen[0]?.content).toBe(c.content);
    expect(after).toMatchObject({ id: 'e1x', content: 'Đề nghị xã công khai.', updatedAt: T0 + 500, status: 'pending' });
    expect((await s.comments.get('e1x'))?.content).toBe('Đề nghị xã công khai.');
    expect((await s.audit.list({ sites: null, limit: 10 })).map((a) => a.action)).toEqual(['comment.edit']);

    await expect(
      s.comments.edit('e1x', T0 + 600, () => {
        throw new AppError(403, 'forbidden', 'no');
      }),
    ).rejects.toThrow('no');
    expect((await s.comments.get('e1x'))?.content).toBe('Đề nghị xã công khai.');
    expect(await s.audit.list({ sites: null, limit: 10 })).toHaveLength(1);
    expect(await s.comments.edit('nope1', T0, () => ({ content: 'x', audit: auditOf('comment.edit') }))).toBeUndefined();
  });
});
