import { describe, expect, it } from 'vitest';
import { createPoll, createSite, expectProblem, makeTestApp, newVoter, testClock, type TestApp } from './helpers/app.js';
import { base, post } from './comments.fixtures.js';
import { createSurvey } from './helpers/surveys.js';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const MIN = 60_000;
const HOUR = 60 * MIN;

const view = (t: TestApp, site: string, visitorId: string, page = 'trang-chu') =>
  t.http.post(`/v1/sites/${site}/pages/${page}/views`).set('User-Agent', CHROME).send({ visitorId });

async function setup(start: string) {
  const t = await makeTestApp({}, { clock: testClock(Date.parse(start)) });
  return t;
}

describe('GET /v1/admin/overview', () => {
  it("shows what waits, oldest first, with figures equal to the rows and each site's own today", async () => {
    // 06:30 UTC: 13:30 in Vietnam, 23:30 the day before in Los Angeles — half an hour before its midnight.
    const t = await setup('2026-06-08T06:30:00Z');
    await createSite(t, { id: 'xa-a', name: 'Xã A' });
    await createSite(t, { id: 'xa-b', name: 'Xã B', timezone: 'America/Los_Angeles' });
    await createSite(t, { id: 'xa-c', name: 'Xã C' });
    // xa-b's comment came first, then two on xa-a; one of xa-a's is approved; xa-c has none.
    await post(t, {}, base('xa-b'));
    t.clock.advance(10 * MIN);
    const a1 = await post(t, {}, base('xa-a'));
    t.clock.advance(MIN);
    await post(t, {}, base('xa-a'));
    await post(t, {}, base('xa-a'));
    expect((await t.admin.post(`/v1/admin/comments/${a1}/approve`)).status).toBe(200);
    // xa-a: one open poll, one closed; one open survey, one that opens tomorrow.
    await createPoll(t);
    const closed = await createPoll(t);
    await t.admin.post(`/v1/admin/polls/${closed.id}/close`);
    await createSurvey(t);
    await createSurvey(t, { opensAt: new Date(t.clock.now() + 24 * HOUR).toISOString() });
    // Views in xa-b's 7 June (before its midnight), then in its 8 June.
    await view(t, 'xa-b', newVoter());
    await view(t, 'xa-b', newVoter());
    t.clock.advance(40 * MIN); // 00:11 on 8 June in Los Angeles, still 8 June in Vietnam
    const v = newVoter();
    await view(t, 'xa-b', v);
    await view(t, 'xa-b', v, 'tin-tuc');
    await view(t, 'xa-a', newVoter());

    const res = await t.admin.get('/v1/admin/overview');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const rows = res.body.sites as Record<string, unknown>[];
    expect(rows.map((r) => r.site)).toEqual(['xa-b', 'xa-a', 'xa-c']);
    const [b, a, c] = rows as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
    expect(b).toMatchObject({ name: 'Xã B', timeZone: 'America/Los_Angeles', pending: 1, openPolls: 0, openSurveys: 0, viewsToday: 2, visitsToday: 1 });
    expect(a).toMatchObject({ name: 'Xã A', timeZone: 'Asia/Ho_Chi_Minh', pending: 2, openPolls: 1, openSurveys: 1, viewsToday: 1, visitsToday: 1 });
    expect(c).toEqual({ site: 'xa-c', name: 'Xã C', timeZone: 'Asia/Ho_Chi_Minh', pending: 0, oldestPendingAt: null, openPolls: 0, openSurveys: 0, viewsToday: 0, visitsToday: 0 });
    // Equal to the rows.
    for (const r of rows) {
      expect(r.pending).toBe(Number(await t.sql.value("SELECT COUNT(*) FROM comments WHERE site_id = ? AND status = 'pending'", r.site)));
      const oldest = await t.sql.value<number | null>("SELECT MIN(created_at) FROM comments WHERE site_id = ? AND status = 'pending'", r.site);
      expect(r.oldestPendingAt).toBe(oldest === null ? null : new Date(Number(oldest)).toISOString());
    }
    expect(Date.parse(b.oldestPendingAt as string)).toBeLessThan(Date.parse(a.oldestPendingAt as string));
    expect(res.body.totals).toEqual({ sites: 3, pending: 3, oldestPendingAt: b.oldestPendingAt, openPolls: 1, openSurveys: 1, viewsToday: 3, visitsToday: 2 });
    // The counters' own day figures agree: 7 June in Los Angeles had the first two views.
    const stats = (await t.http.get('/v1/sites/xa-b/stats')).body.days as { date: string; views: number }[];
    expect(stats.slice(-2)).toEqual([{ date: '2026-06-07', views: 2 }, { date: '2026-06-08', views: 2 }]);
  });

  it('sorts the sites with the same oldest time by how many wait', async () => {
    const t = await setup('2026-06-08T06:30:00Z');
    await createSite(t, { id: 'xa-a', name: 'Xã A' });
    await createSite(t, { id: 'xa-b', name: 'Xã B' });
    await post(t, {}, base('xa-a'));
    await post(t, {}, base('xa-b'));
    t.clock.advance(MIN);
    await post(t, {}, base('xa-b'));
    expect((await t.admin.get('/v1/admin/overview')).body.sites.map((r: { site: string }) => r.site)).toEqual(['xa-b', 'xa-a']);
  });

  it('refuses a moderator (their own queue is /v1/admin/comments) and anyone without a key', async () => {
    const t = await setup('2026-06-08T06:30:00Z');
    await createSite(t);
    const { key } = await t.services.keys.create({ name: 'Biên tập xã A', role: 'moderator', siteId: 'xa-a' });
    expectProblem(await t.http.get('/v1/admin/overview').set('Authorization', `Bearer ${key}`), 403, 'forbidden');
    expectProblem(await t.http.get('/v1/admin/overview'), 401, 'unauthorized');
  });

  it('answers 500 sites with a few comments each correctly, from grouped queries', async () => {
    const t = await setup('2026-06-08T06:30:00Z');
    const T = t.clock.now() - HOUR;
    // Rows the API would take minutes to write: 500 sites, 3 comments each on every third site (pending, oldest
    // first by site number), 2 pending + 1 approved elsewhere.
    await t.sql.run(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)
       INSERT INTO sites (id, name, created_at, updated_at) SELECT 'xa-' || i, 'Xã số ' || i, CAST(? AS BIGINT), CAST(? AS BIGINT) FROM n`,
      T,
      T,
    );
    await t.sql.run(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500), m(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM m WHERE j < 3)
       INSERT INTO comments (id, site_id, thread_key, name, content, status, created_at, updated_at)
       SELECT 'c-' || i || '-' || j, 'xa-' || i, 'bai-viet', 'Người đọc', 'Ý kiến ' || j,
              CASE WHEN i % 3 = 0 OR j < 3 THEN 'pending' ELSE 'approved' END, CAST(? AS BIGINT) + i * 1000 + j, CAST(? AS BIGINT) + i * 1000 + j
       FROM n CROSS JOIN m`,
      T,
      T,
    );
    const res = await t.admin.get('/v1/admin/overview');
    expect(res.status).toBe(200);
    const rows = res.body.sites as { site: string; pending: number; oldestPendingAt: string }[];
    expect(rows).toHaveLength(500);
    expect(rows.slice(0, 3).map((r) => r.site)).toEqual(['xa-1', 'xa-2', 'xa-3']);
    for (const r of rows) {
      const i = Number(r.site.slice(3));
      expect(r.pending).toBe(i % 3 === 0 ? 3 : 2);
      expect(r.oldestPendingAt).toBe(new Date(T + i * 1000 + 1).toISOString());
    }
    expect(res.body.totals.pending).toBe(Number(await t.sql.value("SELECT COUNT(*) FROM comments WHERE status = 'pending'")));
    expect(res.body.totals.sites).toBe(500);
  });
});
