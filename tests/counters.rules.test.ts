import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { isCrawler } from '../src/counters/crawlers.js';
import { dayKey, daysEndingWith } from '../src/counters/days.js';
import { ONLINE_MS, PRUNE_EVERY_MS, VIEW_DEDUP_MS, VISIT_IDLE_MS } from '../src/counters/counters.domain.js';
import { createSite, expectProblem, makeTestApp, newVoter, TEST_BACKEND, testClock } from './helpers/app.js';

const HUMANS = {
  chrome: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  iphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  coccocBrowser: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) coc_coc_browser/130.0.230 Chrome/124.0.6367.230 Safari/537.36',
  zaloInApp: 'Mozilla/5.0 (Linux; Android 13; SM-A325F Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/126.0.6478.134 Mobile Safari/537.36 Zalo android/12100538 ZaloTheme/light ZaloLanguage/vi',
  facebookInApp: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/470.0.0.39.109;FBBV/612345678;FBDV/iPhone14,5;FBMD/iPhone;FBSN/iOS;FBSV/17.5;FBSS/3;FBLC/vi_VN]',
  cubotPhone: 'Mozilla/5.0 (Linux; Android 12; CUBOT X50 Build/SP1A.210812.016) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.230 Mobile Safari/537.36',
  samsung: 'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36',
  firefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  edge: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
};

const BOTS = [
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.69 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36',
  'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
  'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)',
  'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
  'meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)',
  'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)',
  'Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)',
  'Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)',
  'Mozilla/5.0 (compatible; coccocbot-image/1.0; +http://help.coccoc.com/searchengine)',
  'Zalo-Link-Preview/1.0',
  'Mozilla/5.0 (compatible; ZaloBot/1.0)',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
  'curl/8.5.0',
  'Wget/1.21.4',
  'python-requests/2.32.3',
  'Go-http-client/1.1',
  'Twitterbot/1.0',
  'TelegramBot (like TwitterBot)',
  'WhatsApp/2.23.20.0 A',
  'Mozilla/5.0 (compatible; MJ12bot/v1.4.8; http://mj12bot.com/)',
  'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)',
  'Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)',
  'SomeNewCrawler/0.1',
  'acme-spider (+https://acme.example)',
  '',
  '   ',
  undefined,
];

describe('crawler detection', () => {
  it.each(Object.entries(HUMANS))('counts %s', (_name, ua) => {
    expect(isCrawler(ua)).toBe(false);
  });
  it.each(BOTS.map((ua) => [String(ua)] as const).map(([s], i) => [s, BOTS[i]] as const))('does not count %j', (_label, ua) => {
    expect(isCrawler(ua)).toBe(true);
  });
});

describe('calendar days', () => {
  it('puts 23:30 UTC on the next day in Asia/Ho_Chi_Minh', () => {
    const t = Date.parse('2026-12-31T23:30:00Z');
    expect(dayKey(t, 'Asia/Ho_Chi_Minh')).toBe('2027-01-01');
    expect(dayKey(t, 'UTC')).toBe('2026-12-31');
    expect(dayKey(Date.parse('2026-06-08T16:59:59Z'), 'Asia/Ho_Chi_Minh')).toBe('2026-06-08');
    expect(dayKey(Date.parse('2026-06-08T17:00:00Z'), 'Asia/Ho_Chi_Minh')).toBe('2026-06-09');
  });
  it('lists consecutive days across month and leap-year ends', () => {
    expect(daysEndingWith('2028-03-01', 3)).toEqual(['2028-02-28', '2028-02-29', '2028-03-01']);
    expect(daysEndingWith('2027-01-01', 2)).toEqual(['2026-12-31', '2027-01-01']);
    expect(daysEndingWith('2026-06-09', 30)).toHaveLength(30);
  });
});

describe('counting rules against a model', () => {
  it('views, visits and online agree with a straightforward model for any sequence of views, pauses and prunes', { timeout: 60_000 }, async () => {
    const visitors = ['visitor-aaaaaaaa', 'visitor-bbbbbbbb', 'visitor-cccccccc'];
    const pages = ['trang-1', 'trang-2'];
    const step = fc.oneof(
      { weight: 5, arbitrary: fc.record({ kind: fc.constant('view' as const), v: fc.nat(2), p: fc.nat(1) }) },
      {
        weight: 4,
        arbitrary: fc.record({
          kind: fc.constant('wait' as const),
          // Mostly the boundaries themselves, where an off-by-one would show.
          ms: fc.oneof(
            { weight: 3, arbitrary: fc.constantFrom(ONLINE_MS - 1, ONLINE_MS, VIEW_DEDUP_MS - 1, VIEW_DEDUP_MS, VISIT_IDLE_MS - 1, VISIT_IDLE_MS) },
            { weight: 1, arbitrary: fc.integer({ min: 0, max: 40 * 60_000 }) },
          ),
        }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('prune' as const) }) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        const clock = testClock(Date.parse('2026-06-08T08:00:00Z'));
        const t = await makeTestApp({}, { clock });
        await t.services.sites.create({ id: 'xa-a', name: 'Xã A', origins: [], premoderation: true }, 'test');
        const counters = t.services.counters;
        const seen = new Map<string, number>();
        const last = new Map<string, number>();
        const views = new Map<string, number>();
        let visits = 0;
        for (const s of steps) {
          const now = clock.now();
          if (s.kind === 'wait') clock.advance(s.ms);
          else if (s.kind === 'prune') await counters.pruneCounters(now);
          else {
            const key = `${s.v}/${s.p}`;
            const counted = seen.get(key);
            if (counted === undefined || now - counted >= VIEW_DEDUP_MS) {
              seen.set(key, now);
              views.set(pages[s.p]!, (views.get(pages[s.p]!) ?? 0) + 1);
            }
            const l = last.get(visitors[s.v]!);
            if (l === undefined || now - l >= VISIT_IDLE_MS) visits++;
            last.set(visitors[s.v]!, now);
            const online = [...last.values()].filter((x) => x > now - ONLINE_MS).length;
            const got = await counters.view('xa-a', pages[s.p]!, visitors[s.v]!, HUMANS.chrome);
            expect(got).toEqual({ views: views.get(pages[s.p]!) ?? 0, siteVisits: visits, online, counted: true });
          }
        }
      }),
      // Each run is a fresh app on a fresh database: on PostgreSQL (a database copied from the template each
      // time) a third of the runs, which the store contract's own model test (tests/storage/) adds to.
      { numRuns: TEST_BACKEND === 'postgres' ? 20 : 60 },
    );
  });
});

describe('pruning and jobs', () => {
  it('prunes a backlog larger than one batch', async () => {
    const clock = testClock();
    const t = await makeTestApp({}, { clock });
    await t.services.sites.create({ id: 'xa-a', name: 'Xã A', origins: [], premoderation: true }, 'test');
    const old = clock.now() - VIEW_DEDUP_MS - 1;
    // 12,345 old visitors h0…h12344, in one statement each table (the same SQL on both backends).
    const hashes = 'WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 12344)';
    await t.sql.run(`${hashes} INSERT INTO counter_page_seen (site_id, page_key, visitor_hash, counted_at) SELECT 'xa-a', 'trang', 'h' || i, ${old} FROM n`);
    await t.sql.run(`${hashes} INSERT INTO counter_visitors (site_id, visitor_hash, last_seen) SELECT 'xa-a', 'h' || i, ${old} FROM n`);
    await t.sql.run("INSERT INTO counter_page_seen (site_id, page_key, visitor_hash, counted_at) VALUES ('xa-a', 'trang', 'fresh', ?)", clock.now());
    expect(await t.services.counters.pruneCounters(clock.now())).toEqual({ pageSeen: 12_345, visitors: 12_345 });
    expect(await t.sql.column('SELECT visitor_hash FROM counter_page_seen')).toEqual(['fresh']);
  });

  it('startJobs prunes at once and on an unref\'d timer that stop() clears', async () => {
    const clock = testClock();
    const t = await makeTestApp({}, { clock });
    await t.services.sites.create({ id: 'xa-a', name: 'Xã A', origins: [], premoderation: true }, 'test');
    await t.services.counters.view('xa-a', 'trang', newVoter(), HUMANS.chrome);
    clock.advance(VISIT_IDLE_MS + 1);
    const count = () => t.sql.value('SELECT COUNT(*) FROM counter_visitors');
    expect(await count()).toBe(1);
    t.services.counters.startJobs();
    // At once: long before the timer's first tick (PRUNE_EVERY_MS).
    await vi.waitFor(async () => expect(await count()).toBe(0));
    expect(PRUNE_EVERY_MS).toBeGreaterThan(0);
    t.services.counters.stop();
    t.services.counters.stop(); // idempotent
  });
});

describe('rate limit', () => {
  it('uses its own per-IP tier for counted views (RATE_LIMIT_VIEWS_PER_MIN)', async () => {
    const t = await makeTestApp({ RATE_LIMIT_VIEWS_PER_MIN: 3, RATE_LIMIT_WRITE_PER_MIN: 1 });
    await createSite(t);
    for (let i = 0; i < 3; i++)
      expect((await t.http.post('/v1/sites/xa-a/pages/trang/views').set('User-Agent', HUMANS.chrome).send({ visitorId: newVoter() })).status).toBe(200);
    expectProblem(await t.http.post('/v1/sites/xa-a/pages/trang/views').set('User-Agent', HUMANS.chrome).send({ visitorId: newVoter() }), 429, 'rate_limited');
    expect((await t.http.get('/v1/sites/xa-a/pages/trang/views')).body.views).toBe(3);
  });
});
