import fc from 'fast-check';
import { expect, it } from 'vitest';
import { countRules, ONLINE_MS, onlineSince, pruneBefore, VIEW_DEDUP_MS, VISIT_IDLE_MS } from '../../src/counters/counters.domain.js';
import type { CountOutcome, CountRules, ViewToCount } from '../../src/counters/counters.store.js';
import type { Storage } from '../../src/storage/storage.js';
import { auditOf, forEachBackend, openAnother, seedSite } from './backends.js';

// 2026-06-08T08:00:00.000Z, plus 123 ms: no instant below falls on a second or a minute.
const T0 = Date.parse('2026-06-08T08:00:00Z') + 123;
const DAY = '2026-06-08';
const RULES = countRules(0);
const MIN = 60_000;

const view = (visitor: string, at: number, page = 'trang', over: Partial<ViewToCount> = {}): ViewToCount => ({ site: 'xa-a', page, visitor, day: DAY, at, ...over });

async function withSite(open: () => Promise<Storage>, ...sites: string[]) {
  const s = await open();
  for (const id of sites.length ? sites : ['xa-a']) await seedSite(s, id);
  return s;
}

const stored = (r: CountOutcome) => {
  if (r.outcome !== 'stored') throw new Error(`expected a stored view, got ${r.outcome}`);
  return r;
};
const online = async (s: Storage, at: number, site = 'xa-a') => (await s.counters.figures(site, 'trang', onlineSince(at))).online;

forEachBackend('counters store', (open) => {
  it('answers zeros for what was never counted', async () => {
    const s = await withSite(open);
    expect(await s.counters.figures('xa-a', 'trang', onlineSince(T0))).toEqual({ views: 0, siteVisits: 0, online: 0 });
    expect(await s.counters.stats('xa-a', '2026-05-10', DAY, onlineSince(T0))).toEqual({ siteVisits: 0, online: 0, days: [] });
  });

  it('counts a view once per visitor and page per dedup window, however many of its requests race', async () => {
    const s = await withSite(open);
    const visitors = Array.from({ length: 30 }, (_, i) => `v${i}`);
    // Every visitor's page view arrives three times at once (a reload, a second tab, a retry).
    const results = (await Promise.all(visitors.flatMap((v) => [0, 1, 2].map(() => s.counters.countView(view(v, T0), RULES))))).map(stored);
    expect(results.filter((r) => r.viewCounted)).toHaveLength(30);
    expect(results.filter((r) => r.visitCounted)).toHaveLength(30);
    // Counters equal what was counted.
    expect(await s.counters.figures('xa-a', 'trang', onlineSince(T0))).toEqual({ views: 30, siteVisits: 30, online: 30 });
    expect((await s.counters.stats('xa-a', DAY, DAY, onlineSince(T0))).days).toEqual([{ day: DAY, views: 30 }]);

    expect(stored(await s.counters.countView(view('v0', T0 + VIEW_DEDUP_MS - 1), RULES)).viewCounted).toBe(false);
    const again = stored(await s.counters.countView(view('v0', T0 + VIEW_DEDUP_MS), RULES));
    expect(again.viewCounted).toBe(true);
    expect(again.figures.views).toBe(31);
    // Another page of the same visitor counts on its own.
    const other = stored(await s.counters.countView(view('v1', T0 + 1, 'trang-khac'), RULES));
    expect([other.viewCounted, other.figures.views]).toEqual([true, 1]);
  });

  it('counts exactly once across two instances, and keeps online exact while one visitor\'s views of several seconds race', async () => {
    const a = await withSite(open);
    const b = await openAnother(a);
    const last = new Map<string, number>();
    const views: Promise<CountOutcome>[] = [];
    // 40 visitors, each with views in four different seconds, all in flight at once, alternating instances:
    // every view moves the visitor between presence seconds while another instance moves them too.
    for (let i = 0; i < 40; i++)
      for (let k = 0; k < 4; k++) {
        const at = T0 + i * 10 + k * 1_000;
        views.push((k % 2 ? b : a).counters.countView(view(`v${i}`, at), RULES));
        last.set(`v${i}`, Math.max(last.get(`v${i}`) ?? 0, at));
      }
    const results = (await Promise.all(views)).map(stored);
    expect(results.filter((r) => r.viewCounted)).toHaveLength(40);
    expect(results.filter((r) => r.visitCounted)).toHaveLength(40);
    for (const s of [a, b]) expect(await s.counters.figures('xa-a', 'trang', onlineSince(T0))).toEqual({ views: 40, siteVisits: 40, online: 40 });
    // Every visitor is counted in the second of their last view only: online from any instant says so.
    for (let since = T0 - 500; since <= T0 + 4_000; since += 250) {
      const expected = [...last.values()].filter((x) => x > since).length;
      expect((await b.counters.figures('xa-a', 'trang', since)).online, `since T0 + ${since - T0} ms`).toBe(expected);
    }
  });

  it('counts a visit once per idle window, and every view (counted or not) extends it', async () => {
    const s = await withSite(open);
    const pages = ['a', 'b', 'c', 'd', 'e'];
    const first = (await Promise.all(pages.map((p) => s.counters.countView(view('v', T0, p), RULES)))).map(stored);
    expect(first.filter((r) => r.visitCounted)).toHaveLength(1);
    let t = T0;
    for (const p of ['a', 'a', 'b']) {
      t += VISIT_IDLE_MS - 1;
      expect(stored(await s.counters.countView(view('v', t, p), RULES)).visitCounted).toBe(false);
    }
    t += VISIT_IDLE_MS;
    const next = stored(await s.counters.countView(view('v', t, 'a'), RULES));
    expect(next.visitCounted).toBe(true);
    expect(next.figures.siteVisits).toBe(2);
  });

  it.each([0, 1, 300])('counts as online exactly the %i distinct visitors seen after onlineSince, to the millisecond', async (n) => {
    const s = await withSite(open, 'xa-a', 'xa-b');
    const now = T0 + 40 * MIN;
    // Visitors gone quiet (seen 5 to 30 minutes ago), some of whom come back below.
    for (let i = 0; i < 40; i++) await s.counters.countView(view(`old${i}`, now - ONLINE_MS - i * 37_003), RULES);
    const seen = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const visitor = i % 4 === 0 && i / 4 < 40 ? `old${i / 4}` : `new${i}`;
      // Spread over the window, at odd milliseconds; some come back later in it (they count once).
      const at = now - ONLINE_MS + 1 + Math.floor((i * (ONLINE_MS - 1)) / Math.max(n, 1));
      await s.counters.countView(view(visitor, at, `p${i % 7}`), RULES);
      seen.set(visitor, at);
      if (i % 3 === 0) {
        const later = Math.min(now, at + 61_001);
        await s.counters.countView(view(visitor, later, 'trang'), RULES);
        seen.set(visitor, later);
      }
    }
    // Another site's visitors are not this site's.
    await s.counters.countView(view('khach', now, 'trang', { site: 'xa-b' }), RULES);
    expect(seen.size).toBe(n);
    expect(await online(s, now)).toBe(n);
    expect((await s.counters.stats('xa-a', DAY, DAY, onlineSince(now))).online).toBe(n);
    // Later, each visitor leaves exactly ONLINE_MS after their last view.
    for (const later of [1, 999, 1000, 1001, 59_999, 60_000, 150_000, ONLINE_MS - 1, ONLINE_MS]) {
      const at = now + later;
      expect(await online(s, at), `at now + ${later} ms`).toBe([...seen.values()].filter((x) => x > at - ONLINE_MS).length);
    }
    expect(await online(s, now, 'xa-b')).toBe(1);
  });

  it('counts a visitor seen again by their last view only, however close together their views are', async () => {
    const s = await withSite(open);
    const last = new Map<string, number>();
    // Ten visitors, each seen three times within a few seconds: gaps under a second, across one, of several.
    for (let i = 0; i < 10; i++)
      for (const at of [T0 + i * 150, T0 + 1_000 + i * 110, T0 + 2_000 + i * 370]) {
        await s.counters.countView(view(`v${i}`, at), RULES);
        last.set(`v${i}`, at);
      }
    // A view stamped before a visitor's last one (another process, its clock behind) leaves them at their last.
    for (let i = 0; i < 5; i++) await s.counters.countView(view(`v${i}`, T0 + i * 10, 'trang-khac'), RULES);
    for (let at = T0 + ONLINE_MS - 500; at <= T0 + ONLINE_MS + 6_000; at += 50)
      expect(await online(s, at), `at ${at - T0} ms`).toBe([...last.values()].filter((x) => x > at - ONLINE_MS).length);
  });

  it('answers online like the straightforward model for any views, waits, reads and prunes', async () => {
    const step = fc.oneof(
      { weight: 5, arbitrary: fc.record({ kind: fc.constant('view' as const), v: fc.nat(5) }) },
      {
        weight: 4,
        arbitrary: fc.record({
          kind: fc.constant('wait' as const),
          // Within a second, across one, to just around a visitor leaving, or long.
          ms: fc.oneof(
            fc.integer({ min: 0, max: 2_500 }),
            fc.integer({ min: ONLINE_MS - 3_000, max: ONLINE_MS + 1_000 }),
            fc.constantFrom(ONLINE_MS - 1, ONLINE_MS, ONLINE_MS + 1),
            fc.integer({ min: 0, max: 8 * MIN }),
          ),
        }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('prune' as const) }) },
    );
    // One database, a site of its own per run (a fresh database per run made 80 of them, too slow on PostgreSQL
    // under load); a prune of one run reaches the others' rows too, which only widens what it is checked against.
    const s = await open();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        const site = `xa-run-${++run}`;
        await seedSite(s, site);
        const last = new Map<number, number>();
        let now = T0;
        for (const st of steps) {
          if (st.kind === 'wait') now += st.ms;
          else if (st.kind === 'prune') await s.counters.prune(pruneBefore(now));
          else {
            last.set(st.v, now);
            const r = stored(await s.counters.countView(view(`v${st.v}`, now, 'trang', { site }), RULES));
            expect(r.figures.online).toBe([...last.values()].filter((x) => x > now - ONLINE_MS).length);
          }
          expect(await online(s, now, site)).toBe([...last.values()].filter((x) => x > now - ONLINE_MS).length);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('prunes without changing any answer, now or for the views that follow', async () => {
    const [pruned, kept] = [await withSite(open), await withSite(open)];
    const now = T0 + 45 * MIN;
    const history: ViewToCount[] = [];
    for (let i = 0; i < 10; i++) history.push(view(`early${i}`, T0 + i * 1_001, 'p0'));
    for (let i = 0; i < 120; i++) history.push(view(`v${i % 23}`, T0 + i * 22_501, `p${i % 5}`));
    // Around the window's start at `now` and up to a minute before it, one every 450 ms.
    for (let i = 0; i < 140; i++) history.push(view(`edge${i}`, onlineSince(now) - 61_000 + i * 450, 'p1'));
    history.sort((a, b) => a.at - b.at);
    for (const v of history) for (const s of [pruned, kept]) await s.counters.countView(v, RULES);

    const before = pruneBefore(now);
    const result = await pruned.counters.prune(before);
    const lastSeen = new Map(history.map((v) => [v.visitor, v.at]));
    expect(result.visitors).toBe([...lastSeen.values()].filter((at) => at < before.visitors).length);
    expect(result.visitors).toBe(10);
    expect(result.pageSeen).toBeGreaterThan(10);

    const answers = async (s: Storage, at: number) => ({
      pages: await Promise.all(['p0', 'p1', 'p2', 'p3', 'p4'].map((p) => s.counters.figures('xa-a', p, onlineSince(at)))),
      stats: await s.counters.stats('xa-a', '2026-06-01', DAY, onlineSince(at)),
    });
    expect(await answers(pruned, now)).toEqual(await answers(kept, now));
    // Online asked from any instant after before.online (a process whose clock is behind) is exact too.
    for (const since of [before.online, before.online + 999, before.online + 1_000, onlineSince(now) - 1, onlineSince(now), onlineSince(now) + 1_001])
      expect((await pruned.counters.figures('xa-a', 'p0', since)).online, `since ${since - now}`).toBe((await kept.counters.figures('xa-a', 'p0', since)).online);
    // Every visitor comes back to every page: the same views and visits count on both.
    const visitors = [...lastSeen.keys()];
    for (let i = 0; i < visitors.length * 5; i++) {
      const v = view(visitors[i % visitors.length]!, now + i * 1_003, `p${i % 5}`);
      expect(await pruned.counters.countView(v, RULES)).toEqual(await kept.counters.countView(v, RULES));
    }
    expect(await answers(pruned, now + 6 * MIN)).toEqual(await answers(kept, now + 6 * MIN));
  });

  it('prunes a backlog larger than one batch', async () => {
    const s = await withSite(open);
    for (let i = 0; i < 6_000; i++) await s.counters.countView(view(`v${i}`, T0 + i), RULES);
    const figures = await s.counters.figures('xa-a', 'trang', onlineSince(T0));
    expect(await s.counters.prune(pruneBefore(T0 + 6_000 + VISIT_IDLE_MS))).toEqual({ pageSeen: 6_000, visitors: 6_000 });
    expect(await s.counters.prune(pruneBefore(T0 + 6_000 + VISIT_IDLE_MS))).toEqual({ pageSeen: 0, visitors: 0 });
    expect(await s.counters.figures('xa-a', 'trang', onlineSince(T0 + 6_000 + VISIT_IDLE_MS))).toEqual({ ...figures, online: 0 });
  });

  it('sets starting figures with their audit entry, built from the figures before; later views add to them', async () => {
    const s = await withSite(open);
    await s.counters.countView(view('v', T0, 'bai-1'), RULES);
    const seen: unknown[] = [];
    const after = await s.counters.setStarting('xa-a', { siteVisits: 1_204_381, pages: { 'bai-1': 59, 'bai-2': 7 } }, (before) => {
      seen.push(before);
      return auditOf('counters.set');
    });
    expect(seen).toEqual([{ siteVisits: 1, pages: { 'bai-1': 1, 'bai-2': 0 } }]);
    expect(after).toEqual({ siteVisits: 1_204_381, pages: { 'bai-1': 59, 'bai-2': 7 } });
    expect(stored(await s.counters.countView(view('w', T0 + 1, 'bai-1'), RULES)).figures).toMatchObject({ views: 60, siteVisits: 1_204_382 });
    // Pages only: the site figure stays.
    expect(await s.counters.setStarting('xa-a', { pages: { 'bai-2': 100 } }, () => auditOf('counters.set'))).toEqual({ siteVisits: 1_204_382, pages: { 'bai-2': 100 } });
    expect((await s.audit.list({ sites: null, limit: 10 })).map((a) => a.action)).toEqual(['counters.set', 'counters.set']);
  });

  it('writes nothing when the audit entry refuses', async () => {
    const s = await withSite(open);
    await expect(
      s.counters.setStarting('xa-a', { siteVisits: 5, pages: { 'bai-1': 9 } }, () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await s.counters.figures('xa-a', 'bai-1', onlineSince(T0))).toEqual({ views: 0, siteVisits: 0, online: 0 });
    expect(await s.audit.list({ sites: null, limit: 10 })).toEqual([]);
  });

  it('caps the new pages a site gains per day, even when they race; known pages, other sites and the next day still count', async () => {
    const s = await withSite(open, 'xa-a', 'xa-b');
    const capped: CountRules = { ...RULES, newPagesPerDay: 3 };
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => s.counters.countView(view(`v${i}`, T0 + i, `moi-${i}`), capped)));
    expect(results.filter((r) => r.outcome === 'stored')).toHaveLength(3);
    const refused = results.filter((r) => r.outcome === 'capped').length;
    expect(refused).toBe(7);
    // Nothing of a refused view is stored: no page, no visit, nobody online.
    expect(await s.counters.figures('xa-a', 'khac', onlineSince(T0 + 10))).toEqual({ views: 0, siteVisits: 3, online: 3 });
    const known = results.findIndex((r) => r.outcome === 'stored');
    expect(stored(await s.counters.countView(view('w', T0 + 20, `moi-${known}`), capped)).figures.views).toBe(2);
    expect((await s.counters.countView(view('w', T0 + 21, 'moi-nua'), capped)).outcome).toBe('capped');
    expect((await s.counters.countView(view('w', T0 + 22, 'moi-nua', { site: 'xa-b' }), capped)).outcome).toBe('stored');
    expect((await s.counters.countView(view('w', T0 + 86_400_000, 'moi-nua', { day: '2026-06-09' }), capped)).outcome).toBe('stored');
    // No cap at all with 0.
    for (let i = 0; i < 5; i++) expect((await s.counters.countView(view('w', T0 + 30 + i, `khong-gioi-han-${i}`), RULES)).outcome).toBe('stored');
  });

  it('keeps views on the day the caller gives (the site\'s zone), and answers a range of days oldest first', async () => {
    const s = await withSite(open);
    // 23:30 UTC on 8 June is 06:30 on 9 June in Hà Nội: the day is the caller's, not UTC's.
    const late = Date.parse('2026-06-08T23:30:00Z');
    await s.counters.countView(view('a', late, 'trang', { day: '2026-06-09' }), RULES);
    await s.counters.countView(view('b', late, 'trang', { day: '2026-06-09' }), RULES);
    await s.counters.countView(view('c', late - 3 * 86_400_000, 'trang', { day: '2026-06-06' }), RULES);
    await s.counters.countView(view('d', late - 40 * 86_400_000, 'trang', { day: '2026-04-30' }), RULES);
    const stats = await s.counters.stats('xa-a', '2026-05-11', '2026-06-09', onlineSince(late));
    expect(stats.days).toEqual([
      { day: '2026-06-06', views: 1 },
      { day: '2026-06-09', views: 2 },
    ]);
    expect(stats.siteVisits).toBe(4);
    expect(stats.online).toBe(2);
  });
});
