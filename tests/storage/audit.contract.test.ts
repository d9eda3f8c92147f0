import { expect, it } from 'vitest';
import { auditOf, forEachBackend } from './backends.js';

const T0 = 1_780_000_000_000;

forEachBackend('audit store', (open) => {
  it('lists newest first, by sites and action, with a cursor', async () => {
    const s = await open();
    for (let i = 0; i < 5; i++) await s.audit.record({ ...auditOf(i % 2 ? 'poll.update' : 'site.update', T0 + i, i < 3 ? 'xa-a' : 'xa-b'), detail: { i } });
    await s.audit.record({ ...auditOf('db.backup', T0 + 9, null), actorId: 'cli', actorName: 'cli' });
    const all = await s.audit.list({ sites: null, limit: 10 });
    expect(all.map((a) => a.detail?.i ?? 'backup')).toEqual(['backup', 4, 3, 2, 1, 0]);
    expect(all[0]).toMatchObject({ actorId: 'cli', actorName: 'cli', siteId: null, action: 'db.backup', at: T0 + 9 });
    expect((await s.audit.list({ sites: ['xa-a'], limit: 10 })).map((a) => a.detail?.i)).toEqual([2, 1, 0]);
    expect((await s.audit.list({ sites: ['xa-a', 'xa-b'], action: 'poll.update', limit: 10 })).map((a) => a.detail?.i)).toEqual([3, 1]);
    const page1 = await s.audit.list({ sites: null, limit: 2 });
    const page2 = await s.audit.list({ sites: null, before: page1.at(-1)!.id, limit: 2 });
    expect(page2.map((a) => a.detail?.i)).toEqual([3, 2]);
    expect(await s.audit.list({ sites: [], limit: 10 })).toEqual([]);
  });

  it('narrows by actor, time range and target, each with the others and the sites', async () => {
    const s = await open();
    const entry = (i: number, over: Partial<ReturnType<typeof auditOf>>) => s.audit.record({ ...auditOf('comment.edit', T0 + i * 1000), detail: { i }, ...over });
    await entry(0, { actorId: 'user:lan', targetType: 'comment', targetId: 'c1' });
    await entry(1, { actorId: 'k1', targetType: 'comment', targetId: 'c2', siteId: 'xa-b' });
    await entry(2, { actorId: 'user:lan', targetType: 'comment', targetId: 'c1', action: 'comment.approve' });
    await entry(3, { actorId: 'user:lan', targetType: 'poll', targetId: 'c1' });
    const is = async (q: Partial<Parameters<typeof s.audit.list>[0]>) => (await s.audit.list({ sites: null, limit: 10, ...q })).map((a) => a.detail?.i);
    expect(await is({ actorId: 'user:lan' })).toEqual([3, 2, 0]);
    expect(await is({ targetType: 'comment', targetId: 'c1' })).toEqual([2, 0]);
    expect(await is({ targetType: 'comment', targetId: 'c1', action: 'comment.edit' })).toEqual([0]);
    expect(await is({ from: T0 + 1000, to: T0 + 3000 })).toEqual([2, 1]);
    expect(await is({ from: T0 + 1000, sites: ['xa-a'] })).toEqual([3, 2]);
    expect(await is({ actorId: 'user:lan', before: (await s.audit.list({ sites: null, limit: 1 }))[0]!.id })).toEqual([2, 0]);
    expect(await is({ actorId: 'nobody' })).toEqual([]);
  });
});
