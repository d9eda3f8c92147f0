import { expect, it } from 'vitest';
import type { NewComment } from '../../src/comments/comments.store.js';
import { insertDelta } from '../../src/comments/counters.js';
import type { ImportBatch, ImportedComment } from '../../src/imports/imports.store.js';
import type { Storage } from '../../src/storage/storage.js';
import { auditOf, forEachBackend, openAnother, seedSite } from './backends.js';

const T0 = 1_780_000_000_000;
let seq = 0;

const item = (sourceId: string, parentSourceId: string | null, over: Partial<NewComment> = {}): ImportedComment => ({
  sourceId,
  parentSourceId,
  comment: {
    id: `im${++seq}x${Math.random().toString(36).slice(2, 6)}`,
    siteId: 'xa-a',
    threadKey: '/2024/06/ke-hoach-206',
    name: 'Nguyễn Văn An',
    address: null,
    email: 'an@example.vn',
    content: `Ý kiến ${sourceId}`,
    status: 'approved',
    spamReason: null,
    ipHash: null,
    userAgent: null,
    repeatKey: null,
    createdAt: T0 + seq,
    ...over,
  },
});

const batch = (comments: ImportedComment[], source = 'wxr'): ImportBatch => ({ siteId: 'xa-a', source, comments });
const run = (s: Storage, b: ImportBatch) => s.imports.importComments(b, insertDelta, (o) => ({ ...auditOf('comment.import', T0), detail: { ...o } }));

/** The thread counters against the rows they count, and every comment's parent. */
async function state(s: Storage) {
  const page = await s.comments.page('xa-a', '/2024/06/ke-hoach-206', undefined, 100);
  const queue = await s.comments.queue({ sites: ['xa-a'], limit: 100 });
  return { visible: page.visible, shown: page.comments.length + page.replies.length, rows: queue.length, audit: (await s.audit.list({ sites: null, action: 'comment.import', limit: 10 })).length };
}

forEachBackend('imports store', (open) => {
  async function fresh() {
    const s = await open();
    await seedSite(s, 'xa-a');
    return s;
  }

  it('stores a batch with replies found by source id, counts what readers see, audits once; a rerun stores nothing', async () => {
    const s = await fresh();
    const comments = [
      item('1', null),
      item('2', null, { status: 'pending' }),
      item('3', '1'),
      item('4', '2'), // an approved reply of a pending comment: not visible
      item('5', null, { status: 'spam' }),
    ];
    expect(await run(s, batch(comments))).toEqual({ inserted: 5, existing: 0 });
    expect(await state(s)).toEqual({ visible: 2, shown: 2, rows: 5, audit: 1 });
    const reply = (await s.comments.queue({ sites: ['xa-a'], limit: 100 })).find((c) => c.content === 'Ý kiến 3')!;
    const parent = (await s.comments.queue({ sites: ['xa-a'], limit: 100 })).find((c) => c.content === 'Ý kiến 1')!;
    expect(reply.parentId).toBe(parent.id);
    expect(await s.imports.imported('xa-a', 'wxr')).toEqual(new Set(['1', '2', '3', '4', '5']));
    expect(await s.imports.imported('xa-a', 'disqus')).toEqual(new Set());

    // The same file again, with fresh ids drawn for each comment (as the service does), and one new reply.
    const again = [...comments.map((c) => item(c.sourceId, c.parentSourceId, { status: c.comment.status })), item('6', '1')];
    expect(await run(s, batch(again))).toEqual({ inserted: 1, existing: 5 });
    expect(await state(s)).toEqual({ visible: 3, shown: 3, rows: 6, audit: 2 });
  });

  it('writes nothing when a comment fails half-way: a parent nowhere, a reply in another thread, a row the database refuses', async () => {
    const s = await fresh();
    await run(s, batch([item('1', null)]));
    const before = await state(s);
    await expect(run(s, batch([item('2', null), item('3', 'missing')]))).rejects.toMatchObject({ code: 'import_parent_missing' });
    await expect(run(s, batch([item('2', null), item('3', '1', { threadKey: 'another' })]))).rejects.toMatchObject({ code: 'import_thread_changed' });
    const dup = item('2', null);
    await expect(run(s, batch([item('7', null), { ...item('8', null), comment: { ...item('8', null).comment, id: dup.comment.id } }, dup]))).rejects.toThrow();
    expect(await state(s)).toEqual(before);
    expect(await s.imports.imported('xa-a', 'wxr')).toEqual(new Set(['1']));
  });

  it('stores each source id once when two instances import the same file at the same time', async () => {
    const s = await fresh();
    const other = await openAnother(s);
    const file = () => batch(Array.from({ length: 30 }, (_, i) => item(String(i), i % 3 ? String(i - (i % 3)) : null)));
    const results = await Promise.allSettled([run(s, file()), run(other, file())]);
    const done = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<{ inserted: number; existing: number }>).value);
    expect(done.reduce((n, r) => n + r.inserted, 0)).toBe(30);
    const after = await state(s);
    expect(after.rows).toBe(30);
    expect(after.visible).toBe(30);
    expect(after.shown).toBe(30);
  });
});
