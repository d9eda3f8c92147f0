import { expect, it } from 'vitest';
import { countRules } from '../../src/counters/counters.domain.js';
import type { ViewToCount } from '../../src/counters/counters.store.js';
import type { PostgresStorage } from '../../src/storage/postgres/index.js';
import type { Storage } from '../../src/storage/storage.js';
import { forEachBackend, seedSite } from './backends.js';

// 2026-06-08T16:30:00Z: already 9 June in Vietnam (UTC+7), still 8 June in Los Angeles (UTC−7).
const T0 = Date.parse('2026-06-08T16:30:00Z');
const RULES = countRules(0);
const MIN = 60_000;

const view = (site: string, visitor: string, day: string, at: number, page = 'trang'): ViewToCount => ({ site, page, visitor, day, at });

async function siteIn(s: Storage, id: string, timezone: string) {
  await s.sites.change([id], T0, () => ({
    writes: [{ insert: { id, name: `Xã ${id}`, origins: [], timezone, premoderation: true } }],
    audit: [],
    result: undefined,
  }));
}

forEachBackend('overview store', (open) => {
  it('answers every site in scope with zeros for what it never had', async () => {
    const s = await open();
    for (const id of ['xa-a', 'xa-b']) await seedSite(s, id);
    const rows = await s.overview.sites({ sites: null, at: T0, today: () => '2026-06-09' });
    expect(rows.sort((a, b) => a.site.localeCompare(b.site))).toEqual(
      ['xa-a', 'xa-b'].map((site) => ({ site, name: `Xã ${site}`, timeZone: 'Asia/Ho_Chi_Minh', pending: 0, oldestPendingAt: null, openPolls: 0, openSurveys: 0, viewsToday: 0, visitsToday: 0 })),
    );
    expect((await s.overview.sites({ sites: ['xa-b'], at: T0, today: () => '2026-06-09' })).map((r) => r.site)).toEqual(['xa-b']);
    expect(await s.overview.sites({ sites: [], at: T0, today: () => '2026-06-09' })).toEqual([]);
  });

  it("keeps each day's visits beside its views, and reads each site's own day", async () => {
    const s = await open();
    await siteIn(s, 'xa-vn', 'Asia/Ho_Chi_Minh');
    await siteIn(s, 'xa-la', 'America/Los_Angeles');
    // Yesterday (in each zone) a visitor came and read two pages: 2 views, 1 visit — not today's.
    await s.counters.countView(view('xa-la', 'old', '2026-06-07', T0 - 20 * 60 * MIN), RULES);
    await s.counters.countView(view('xa-la', 'old', '2026-06-07', T0 - 20 * 60 * MIN + 1000, 'khac'), RULES);
    // Today: two visitors, one of them reading two pages, one coming back after the visit window (a second visit).
    for (const site of ['xa-vn', 'xa-la']) {
      const day = site === 'xa-vn' ? '2026-06-09' : '2026-06-08';
      await s.counters.countView(view(site, 'v1', day, T0), RULES);
      await s.counters.countView(view(site, 'v1', day, T0 + 1000, 'khac'), RULES);
      await s.counters.countView(view(site, 'v2', day, T0 + 2000), RULES);
      await s.counters.countView(view(site, 'v2', day, T0 + 2000 + RULES.visitIdleMs + 1000, 'ba'), RULES);
    }
    const asked: string[] = [];
    const rows = await s.overview.sites({
      sites: null,
      at: T0,
      today: (tz) => (asked.push(tz), tz === 'America/Los_Angeles' ? '2026-06-08' : '2026-06-09'),
    });
    const of = (id: string) => rows.find((r) => r.site === id)!;
    expect(of('xa-vn')).toMatchObject({ viewsToday: 4, visitsToday: 3, timeZone: 'Asia/Ho_Chi_Minh' });
    expect(of('xa-la')).toMatchObject({ viewsToday: 4, visitsToday: 3, timeZone: 'America/Los_Angeles' });
    // Once per zone, not once per site.
    expect(asked.sort()).toEqual(['America/Los_Angeles', 'Asia/Ho_Chi_Minh']);
    // The running totals are what they were: the day rows add to them, they do not replace them.
    expect((await s.counters.stats('xa-la', '2026-06-07', '2026-06-08', T0)).days).toEqual([
      { day: '2026-06-07', views: 2 },
      { day: '2026-06-08', views: 4 },
    ]);
    expect((await s.counters.figures('xa-la', 'trang', T0)).siteVisits).toBe(4);
  });

  it('answers 500 sites in a fixed number of statements, not one per site', async () => {
    const s = await open();
    const ids = Array.from({ length: 500 }, (_, i) => `xa-${i + 1}`);
    await s.sites.change(ids, T0, () => ({
      writes: ids.map((id, i) => ({ insert: { id, name: `Xã ${id}`, origins: [], timezone: i % 2 ? 'Asia/Ho_Chi_Minh' : 'America/Los_Angeles', premoderation: true } })),
      audit: [],
      result: undefined,
    }));
    for (const [i, id] of ids.entries()) if (i % 50 === 0) await s.counters.countView(view(id, `v${i}`, i % 2 ? '2026-06-09' : '2026-06-08', T0), RULES);
    // On PostgreSQL every statement is a round trip through the pool: count them.
    let statements = 0;
    const pool = (s as Partial<PostgresStorage>).pool;
    const query = pool?.query.bind(pool);
    if (pool) (pool as unknown as { query: unknown }).query = (...args: unknown[]) => (statements++, (query as (...a: unknown[]) => unknown)(...args));
    const rows = await s.overview.sites({ sites: null, at: T0, today: (tz) => (tz === 'America/Los_Angeles' ? '2026-06-08' : '2026-06-09') });
    // A few statements whatever the number of sites (a shared change-version read may share the window), never one per site.
    if (pool) expect(statements).toBeLessThanOrEqual(4);
    expect(rows).toHaveLength(500);
    expect(rows.filter((r) => r.viewsToday === 1).map((r) => r.site).sort()).toEqual(ids.filter((_, i) => i % 50 === 0).sort());
    expect(rows.every((r) => r.visitsToday === r.viewsToday)).toBe(true);
  });
});
