import { describe, expect, it } from 'vitest';
import { createSite, expectProblem, makeTestApp, newVoter, testClock, type TestApp } from './helpers/app.js';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const MIN = 60_000;
const PAGE = 'ke-hoach-206-kh-hu';

async function setup(start = '2026-06-08T08:27:00Z') {
  const clock = testClock(Date.parse(start));
  const t = await makeTestApp({}, { clock });
  return t;
}

const view = (t: TestApp, visitorId: string, page = PAGE, ua: string | null = CHROME, site = 'xa-a') => {
  const req = t.http.post(`/v1/sites/${site}/pages/${encodeURIComponent(page)}/views`);
  if (ua !== null) req.set('User-Agent', ua);
  return req.send({ visitorId });
};
const figures = (t: TestApp, page = PAGE, site = 'xa-a') => t.http.get(`/v1/sites/${site}/pages/${encodeURIComponent(page)}/views`);

describe('view counters', () => {
  it('counts a view once per visitor and page within 30 minutes', async () => {
    const t = await setup();
    await createSite(t);
    const a = newVoter();
    let r = await view(t, a);
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.body).toEqual({ views: 1, siteVisits: 1, online: 1 });

    t.clock.advance(29 * MIN);
    r = await view(t, a);
    expect(r.body).toEqual({ views: 1, siteVisits: 1, online: 1 });

    t.clock.advance(2 * MIN); // 31 minutes after the counted view
    r = await view(t, a);
    expect(r.body.views).toBe(2);
    // Two minutes since the last activity: still the same visit.
    expect(r.body.siteVisits).toBe(1);

    // Another visitor counts; another page of the same visitor counts too.
    expect((await view(t, newVoter())).body.views).toBe(3);
    expect((await view(t, a, 'tin-tuc-khac')).body).toEqual({ views: 1, siteVisits: 2, online: 2 });
    expect((await figures(t)).body).toEqual({ views: 3, siteVisits: 2, online: 2 });
  });

  it('slides a site visit: each view extends it, 30 minutes of inactivity ends it', async () => {
    const t = await setup();
    await createSite(t);
    const a = newVoter();
    await view(t, a, 'trang-1');
    for (let i = 2; i <= 5; i++) {
      t.clock.advance(20 * MIN); // 80 minutes in all, never 30 idle
      expect((await view(t, a, `trang-${i}`)).body.siteVisits).toBe(1);
    }
    // Re-viewing a page (not counted as a view) still keeps the visit alive.
    t.clock.advance(25 * MIN);
    expect((await view(t, a, 'trang-5')).body).toMatchObject({ views: 1, siteVisits: 1 });
    t.clock.advance(29 * MIN); // 54 minutes since the view was counted: a view again, but 29 idle: same visit
    expect((await view(t, a, 'trang-5')).body).toMatchObject({ views: 2, siteVisits: 1 });
    t.clock.advance(30 * MIN);
    expect((await view(t, a, 'trang-1')).body.siteVisits).toBe(2);
  });

  it('does not count crawlers or requests without a User-Agent, but answers them', async () => {
    const t = await setup();
    await createSite(t);
    await view(t, newVoter());
    const bots = [
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      'Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)',
      'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
      'curl/8.5.0',
      '',
      null,
    ];
    for (const ua of bots) {
      const r = await view(t, newVoter(), PAGE, ua);
      expect(r.status, String(ua)).toBe(200);
      expect(r.body, String(ua)).toEqual({ views: 1, siteVisits: 1, online: 1 });
    }
    const stats = await t.http.get('/v1/sites/xa-a/stats');
    expect(stats.body.days.at(-1)).toEqual({ date: '2026-06-08', views: 1 });
  });

  it('counts online visitors seen in the last 5 minutes only', async () => {
    const t = await setup();
    await createSite(t);
    await view(t, newVoter());
    t.clock.advance(2 * MIN);
    await view(t, newVoter());
    t.clock.advance(2 * MIN + 59_000); // first visitor 4:59 ago
    expect((await figures(t)).body.online).toBe(2);
    t.clock.advance(2_000); // first 5:01 ago, second 3:01 ago
    expect((await figures(t)).body.online).toBe(1);
    expect((await t.http.get('/v1/sites/xa-a/stats')).body.online).toBe(1);
    // GET never counts and never marks anyone online.
    t.clock.advance(10 * MIN);
    expect((await figures(t)).body).toEqual({ views: 2, siteVisits: 2, online: 0 });
  });

  it('sets starting figures that later views add to, and audits it', async () => {
    const t = await setup();
    await createSite(t);
    const put = await t.admin.put('/v1/admin/sites/xa-a/counters', { siteVisits: 1_204_381, pages: { [PAGE]: 59, 'tin-cu%2F2019': 7 } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ siteVisits: 1_204_381, pages: { [PAGE]: 59, 'tin-cu%2F2019': 7 } });
    expect((await view(t, newVoter())).body).toEqual({ views: 60, siteVisits: 1_204_382, online: 1 });
    expect((await figures(t, 'tin-cu%2F2019')).body.views).toBe(7);

    // Setting only the pages leaves the site figure alone.
    await t.admin.put('/v1/admin/sites/xa-a/counters', { pages: { [PAGE]: 100 } }).expect(200);
    expect((await figures(t)).body).toMatchObject({ views: 100, siteVisits: 1_204_382 });

    const rows = ((await t.admin.get('/v1/admin/audit?action=counters.set')).body.entries as { actor: string; targetId: string; detail: unknown }[]).reverse();
    expect(rows).toHaveLength(2);
    expect(rows[0]!.actor).toBe('Test admin');
    expect(rows[0]!.targetId).toBe('xa-a');
    expect(rows[1]!.detail).toEqual({ before: { siteVisits: 1_204_382, pages: { [PAGE]: 60 } }, change: { pages: { [PAGE]: 100 } } });
  });

  it('counts views per day in the site time zone, zero-filled, oldest first', async () => {
    const t = await setup('2026-06-08T23:30:00Z'); // 06:30 on 9 June in Hà Nội / TP.HCM
    await createSite(t, { timezone: 'Asia/Ho_Chi_Minh' });
    await createSite(t, { id: 'xa-utc', timezone: 'UTC' });
    await view(t, newVoter());
    await view(t, newVoter());
    await view(t, newVoter(), PAGE, CHROME, 'xa-utc');
    t.clock.advance(-3 * 24 * 60 * MIN); // three days earlier
    await view(t, newVoter());
    t.clock.advance(3 * 24 * 60 * MIN);

    const s = await t.http.get('/v1/sites/xa-a/stats');
    expect(s.status).toBe(200);
    expect(s.headers['content-type']).toMatch(/json/);
    expect(s.body.siteVisits).toBe(3);
    expect(s.body.days).toHaveLength(30);
    expect(s.body.days[0]).toEqual({ date: '2026-05-11', views: 0 });
    expect(s.body.days.at(-1)).toEqual({ date: '2026-06-09', views: 2 });
    expect(s.body.days.at(-4)).toEqual({ date: '2026-06-06', views: 1 });
    expect(s.body.days.reduce((n: number, d: { views: number }) => n + d.views, 0)).toBe(3);

    const u = await t.http.get('/v1/sites/xa-utc/stats');
    expect(u.body.days.at(-1)).toEqual({ date: '2026-06-08', views: 1 });
  });

  it('prunes old dedup and presence rows without changing any total', async () => {
    const t = await setup();
    await createSite(t);
    const a = newVoter();
    await view(t, a);
    await view(t, newVoter(), 'trang-2');
    t.clock.advance(20 * MIN);
    await view(t, newVoter(), 'trang-3');
    const count = (table: string) => t.sql.value(`SELECT COUNT(*) FROM ${table}`);
    expect([await count('counter_page_seen'), await count('counter_visitors')]).toEqual([3, 3]);

    t.clock.advance(15 * MIN); // the first two are 35 minutes old, the third 15
    expect(await t.services.counters.pruneCounters(t.clock.now())).toEqual({ pageSeen: 2, visitors: 2 });
    expect([await count('counter_page_seen'), await count('counter_visitors')]).toEqual([1, 1]);
    expect((await figures(t)).body).toEqual({ views: 1, siteVisits: 3, online: 0 });
    expect((await figures(t, 'trang-3')).body.views).toBe(1);
    expect((await t.http.get('/v1/sites/xa-a/stats')).body.days.at(-1).views).toBe(3);
    // A pruned visitor coming back counts again, as it would have anyway.
    expect((await view(t, a)).body).toEqual({ views: 2, siteVisits: 4, online: 1 });
    // Visitor ids are stored only hashed.
    const stored = JSON.stringify(await t.sql.rows('SELECT * FROM counter_page_seen')) + JSON.stringify(await t.sql.rows('SELECT * FROM counter_visitors'));
    expect(stored).not.toContain(a);
  });

  it('refuses bad input with problem+json', async () => {
    const t = await setup();
    await createSite(t);
    expectProblem(await view(t, 'short'), 400, 'validation_failed');
    expectProblem(await t.http.post(`/v1/sites/xa-a/pages/${PAGE}/views`).set('User-Agent', CHROME).send({}), 400, 'validation_failed');
    expectProblem(await t.http.post(`/v1/sites/xa-a/pages/${PAGE}/views`).set('User-Agent', CHROME).send({ visitorId: newVoter(), extra: 1 }), 400, 'validation_failed');
    expectProblem(await view(t, 'bad id with spaces'), 400, 'validation_failed');
    // Keys are text ("/" and Vietnamese welcome: tests/textKeys.test.ts); these are not.
    expectProblem(await view(t, newVoter(), 'x'.repeat(201)), 400, 'validation_failed');
    expectProblem(await view(t, newVoter(), 'trang\u0000'), 400, 'validation_failed');
    expectProblem(await view(t, newVoter(), '   '), 400, 'validation_failed');
    expectProblem(await figures(t, '..'), 400, 'validation_failed');
    expectProblem(await t.http.post(`/v1/sites/xa-a/pages/${PAGE}/views`).set('User-Agent', CHROME).set('Content-Type', 'application/json').send('{"visitorId":'), 400, 'malformed_json');
    expect((await figures(t)).body).toEqual({ views: 0, siteVisits: 0, online: 0 });
    expect(await t.sql.value('SELECT (SELECT COUNT(*) FROM counter_pages) + (SELECT COUNT(*) FROM counter_visitors)')).toBe(0);
  });

  it('answers 404 for an unknown site', async () => {
    const t = await setup();
    await createSite(t);
    expectProblem(await view(t, newVoter(), PAGE, CHROME, 'khong-co'), 404, 'not_found');
    expectProblem(await view(t, newVoter(), PAGE, 'Googlebot/2.1', 'khong-co'), 404, 'not_found');
    expectProblem(await figures(t, PAGE, 'khong-co'), 404, 'not_found');
    expectProblem(await t.http.get('/v1/sites/khong-co/stats'), 404, 'not_found');
    expectProblem(await t.admin.put('/v1/admin/sites/khong-co/counters', { siteVisits: 1 }), 404, 'not_found');
  });

  it('lets only admins set starting figures, with valid figures', async () => {
    const t = await setup();
    await createSite(t);
    const mod = (await t.services.keys.create({ name: 'Biên tập viên', role: 'moderator', siteId: 'xa-a' })).key;
    const modAll = (await t.services.keys.create({ name: 'Kiểm duyệt', role: 'moderator' })).key;
    for (const key of [mod, modAll])
      expectProblem(await t.http.put('/v1/admin/sites/xa-a/counters').set('Authorization', `Bearer ${key}`).send({ siteVisits: 5 }), 403, 'forbidden');
    expectProblem(await t.http.put('/v1/admin/sites/xa-a/counters').send({ siteVisits: 5 }), 401, 'unauthorized');
    for (const body of [{}, { siteVisits: -1 }, { siteVisits: 1.5 }, { siteVisits: '5' }, { pages: {} }, { pages: { 'a\u0000b': 1 } }, { pages: { '..': 1 } }, { pages: { ok: -3 } }, { other: 1 }])
      expectProblem(await t.admin.put('/v1/admin/sites/xa-a/counters', body), 400, 'validation_failed');
    expect((await figures(t)).body.siteVisits).toBe(0);
    expect(await t.sql.value("SELECT COUNT(*) FROM audit_log WHERE action = 'counters.set'")).toBe(0);
  });

  it('answers CORS for the site origins on the public endpoints', async () => {
    const t = await setup();
    await createSite(t);
    const r = await view(t, newVoter()).set('Origin', 'https://xa-a.example.vn');
    expect(r.headers['access-control-allow-origin']).toBe('https://xa-a.example.vn');
    expectProblem(await view(t, newVoter()).set('Origin', 'https://evil.example'), 403, 'origin_not_allowed');
  });
});
