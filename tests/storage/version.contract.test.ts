import { expect, it } from 'vitest';
import { forEachBackend, openAnother, seedSite } from './backends.js';

forEachBackend('change version', (open) => {
  it('moves after every write, seen at once by another instance on the same database, and stands still without writes', async () => {
    const a = await open();
    const b = await openAnother(a);
    const v0 = await b.version();
    expect(await b.version()).toBe(v0);
    await seedSite(a, 'xa-a');
    const v1 = await b.version();
    expect(v1).not.toBe(v0);
    const before = await a.version();
    await seedSite(b, 'xa-b');
    expect(await a.version()).not.toBe(before);
    const still = await a.version();
    expect(await a.version()).toBe(still);
  });
});

forEachBackend('change version and the view counters', (open) => {
  it('stands still for counted views, repeats, capped views and pruning (no cached answer reads them); setStarting moves it', async () => {
    const a = await open();
    await seedSite(a, 'xa-a');
    // Another instance on PostgreSQL; on SQLite one process is all there is (a second connection's commits move data_version).
    const b = a.backend === 'postgres' ? await openAnother(a) : a;
    const T = Date.parse('2026-06-08T08:00:00Z') + 123;
    const rules = { dedupMs: 30 * 60_000, visitIdleMs: 30 * 60_000, onlineMs: 5 * 60_000, newPagesPerDay: 2 };
    const v = (visitor: string, at: number, page = 'trang') => ({ site: 'xa-a', page, visitor, day: '2026-06-08', at });
    const [va, vb] = [await a.version(), await b.version()];
    expect((await a.counters.countView(v('v1', T), rules)).outcome).toBe('stored');
    expect((await a.counters.countView(v('v2', T + 1_500), rules)).outcome).toBe('stored');
    expect((await b.counters.countView(v('v1', T + 3_000), rules)).outcome).toBe('stored'); // a repeat, the visitor seen again
    expect((await a.counters.countView(v('v3', T + 4_000, 'hai'), rules)).outcome).toBe('stored');
    expect((await a.counters.countView(v('v3', T + 5_000, 'ba'), rules)).outcome).toBe('capped');
    expect(await a.counters.prune({ countedViews: T + 10_000, visitors: T + 10_000, online: T + 10_000, newPagesDay: '2026-06-09' })).toEqual({ pageSeen: 3, visitors: 3 });
    expect(await a.version()).toBe(va);
    expect(await b.version()).toBe(vb);
    // The figures are not cached: they are exact at once (pruned rows aside, which no answer reads).
    expect((await b.counters.figures('xa-a', 'trang', T - 60_000)).views).toBe(2);

    await a.counters.setStarting('xa-a', { pages: { trang: 100 } }, () => ({ at: T, actorId: 'k1', actorName: 'Kiểm thử', action: 'counters.set', targetType: 'site', targetId: 'xa-a', siteId: 'xa-a', detail: {} }));
    expect(await a.version()).not.toBe(va);
    expect(await b.version()).not.toBe(vb);
  });
});
