import { expect, it } from 'vitest';
import type { CommentsStore, NewComment, PublicCommentRecord } from '../../src/comments/comments.store.js';
import { insertDelta } from '../../src/comments/counters.js';
import { moderationWork } from '../../src/comments/moderation.plan.js';
import type { Storage } from '../../src/storage/storage.js';
import { forEachBackend, openAnother, seedSite } from './backends.js';

/** Two instances of the service on one database: what one store guarantees must hold across both. */
const T0 = 1_780_000_000_000;
let seq = 0;
const comment = (over: Partial<NewComment> = {}): NewComment => ({
  id: `hai${++seq}x`,
  siteId: 'xa-a',
  threadKey: 'bai-1',
  parentId: null,
  name: 'Trần Thị Bình',
  address: null,
  email: 'binh@example.vn',
  content: 'Ý kiến của tôi.',
  status: 'approved',
  spamReason: null,
  ipHash: null,
  userAgent: null,
  repeatKey: null,
  createdAt: T0,
  ...over,
});
const add = (store: CommentsStore, c: NewComment) => store.insert(c, (parent) => insertDelta(c, parent));

async function recount(store: CommentsStore, thread: string): Promise<number> {
  const page = await store.page('xa-a', thread, undefined, 1000);
  return page.comments.length + page.replies.length;
}

async function twoInstances(open: () => Promise<Storage>): Promise<[Storage, Storage]> {
  const a = await open();
  await seedSite(a, 'xa-a');
  return [a, await openAnother(a)];
}

forEachBackend('comments, captchas across two instances', (open) => {
  it('hands a captcha to one consumer and accepts a proof of work once, whichever instance is asked', async () => {
    const [a, b] = await twoInstances(open);
    await a.captchas.add({ id: 'cap1', siteId: 'xa-a', answer: 'k7mp2', mode: 'image', createdAt: T0, expiresAt: T0 + 600_000 });
    const got = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).captchas.consume('xa-a', 'cap1')));
    expect(got.filter(Boolean)).toHaveLength(1);
    const spent = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).captchas.spendPow('e'.repeat(64), T0 + 600_000)));
    expect(spent.filter(Boolean)).toHaveLength(1);
  });

  it('stores one comment for an Idempotency-Key posted to both instances at once', async () => {
    const [a, b] = await twoInstances(open);
    const posts = Array.from({ length: 16 }, () => comment({ threadKey: 'bai-key' }));
    const outcomes = await Promise.all(
      posts.map((c, i) => (i % 2 ? a : b).comments.insert(c, () => 1, { key: 'khoa-chung-0001', fingerprint: 'f', response: `{"id":"${c.id}"}`, forgetBefore: 0 })),
    );
    expect(outcomes.filter((o) => o === 'stored')).toHaveLength(1);
    expect(await recount(a.comments, 'bai-key')).toBe(1);
    expect((await b.comments.page('xa-a', 'bai-key', undefined, 10)).visible).toBe(1);
  });

  it('keeps the visible count equal to the pages when replies arrive on one instance while the other hides or erases their parent', async () => {
    const [a, b] = await twoInstances(open);
    for (let round = 0; round < 12; round++) {
      const thread = `bai-dua-${round}`;
      const parent = comment({ threadKey: thread, email: `cha${round}@example.vn` });
      await add(a.comments, parent);
      const replies = Array.from({ length: 6 }, (_, i) => add(b.comments, comment({ threadKey: thread, parentId: parent.id, createdAt: T0 + i + 1 })));
      const at = T0 + 100;
      const hide =
        round % 2
          ? a.comments.moderate({ ids: [parent.id] }, at, (snap) => {
              const work = moderationWork(snap, at, 'Kiểm duyệt');
              return work.plan(work.setStatus(work.current(parent.id)!, 'rejected'));
            })
          : a.comments.moderate({ email: parent.email!, sites: null }, at, (snap) => {
              const work = moderationWork(snap, at, 'Kiểm duyệt');
              for (const t of snap.targets) work.remove(work.current(t.id)!);
              return work.plan(undefined);
            });
      await Promise.allSettled([...replies, hide]);
      const seen: PublicCommentRecord[] = (await b.comments.page('xa-a', thread, undefined, 100)).comments;
      expect(seen).toEqual([]);
      expect((await b.comments.page('xa-a', thread, undefined, 100)).visible).toBe(await recount(b.comments, thread));
      // Hidden or erased, the parent takes its replies out of the count: nothing of the thread is visible.
      expect((await a.comments.page('xa-a', thread, undefined, 100)).visible).toBe(0);
    }
  });
});
