import { describe, expect, it } from 'vitest';
import { isCrawler } from '../src/counters/crawlers.js';
import { createSite, makeTestApp, newVoter, testClock } from './helpers/app.js';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

const SCRIPTS = [
  'node',
  'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)',
  'Java-http-client/17.0.2',
  'Dart/3.1 (dart:io)',
  'k6/0.45.0 (https://k6.io/)',
  'Deno/1.36.4',
  'got (https://github.com/sindresorhus/got)',
  'Bun/1.0.0',
  'libcurl/8.5.0',
  'Mozilla/5.0',
  'Mozilla/5.0 (compatible)',
  'Mozilla/5.0 (X11; Linux x86_64)',
  'Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)',
  'Xin chào',
];

const MORE_HUMANS = {
  ucBrowser: 'Mozilla/5.0 (Linux; U; Android 10; vi-VN; Redmi Note 8 Build/QKQ1.200114.002) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/78.0.3904.108 UCBrowser/13.4.0.1306 Mobile Safari/537.36',
  opera: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0',
  operaMini: 'Opera/9.80 (Android; Opera Mini/36.2.2254/119.132; U; vi) Presto/2.12.423 Version/12.16',
  oldIe: 'Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko',
  ipad: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
};

describe('view counters against scripts (issue 10 §6)', () => {
  it.each(SCRIPTS)('does not count %j: HTTP libraries and user agents that are no browser', (ua) => {
    expect(isCrawler(ua)).toBe(true);
  });
  it.each(Object.entries(MORE_HUMANS))('counts %s', (_name, ua) => {
    expect(isCrawler(ua)).toBe(false);
  });

  it('a view from a script is answered but not counted', async () => {
    const t = await makeTestApp();
    await createSite(t);
    for (const ua of SCRIPTS) {
      const res = await t.http.post('/v1/sites/xa-a/pages/trang/views').set('User-Agent', ua).send({ visitorId: newVoter() });
      expect(res.status).toBe(200);
      expect(res.body.views).toBe(0);
    }
    expect(await t.sql.value('SELECT COUNT(*) FROM counter_pages')).toBe(0);
    expect((await t.http.post('/v1/sites/xa-a/pages/trang/views').set('User-Agent', CHROME).send({ visitorId: newVoter() })).body.views).toBe(1);
  });

  it('caps the new page keys one site gains per day (COUNTER_NEW_PAGES_PER_DAY); known pages keep counting', async () => {
    // Attack: every random page key left a row forever (40,000 keys: +6.6 MB a run).
    const clock = testClock(Date.parse('2026-06-08T03:00:00Z'));
    const t = await makeTestApp({ COUNTER_NEW_PAGES_PER_DAY: 2000 }, { clock });
    await t.services.sites.create({ id: 'xa-a', name: 'Xã A', origins: [], premoderation: true }, 'test');
    await t.services.sites.create({ id: 'xa-b', name: 'Xã B', origins: [], premoderation: true }, 'test');
    await t.services.counters.setStarting('xa-a', { pages: { 'bai-cu': 10 } }, 'test');
    const view = (site: string, page: string) => t.services.counters.view(site, page, newVoter(), CHROME);
    for (let i = 0; i < 2500; i++) await view('xa-a', `rac-${i}-${Math.random().toString(36).slice(2)}`);
    const rows = (site: string) => t.sql.value('SELECT COUNT(*) FROM counter_pages WHERE site_id = ?', site);
    expect(await rows('xa-a')).toBe(2001);
    // Beyond the cap: the site's figures, views 0, nothing stored.
    const refused = await view('xa-a', 'trang-moi-that-su');
    expect(refused).toMatchObject({ views: 0, counted: false });
    expect(refused.siteVisits).toBeGreaterThan(0);
    expect(await rows('xa-a')).toBe(2001);
    // A page it already has still counts, and so does another site.
    expect(await view('xa-a', 'bai-cu')).toMatchObject({ views: 11, counted: true });
    expect(await view('xa-b', 'trang-1')).toMatchObject({ views: 1, counted: true });
    // The next day (site time) brings a new allowance.
    clock.advance(24 * 3600_000);
    expect(await view('xa-a', 'trang-moi-that-su')).toMatchObject({ views: 1, counted: true });
    expect(await rows('xa-a')).toBe(2002);
  });

  it('COUNTER_NEW_PAGES_PER_DAY is a setting (0 = no cap)', async () => {
    const { loadConfig } = await import('../src/config.js');
    expect(loadConfig({}).COUNTER_NEW_PAGES_PER_DAY).toBe(2000);
    const t = await makeTestApp({ COUNTER_NEW_PAGES_PER_DAY: 0 });
    await t.services.sites.create({ id: 'xa-a', name: 'Xã A', origins: [], premoderation: true }, 'test');
    for (let i = 0; i < 30; i++) await t.services.counters.view('xa-a', `p${i}`, newVoter(), CHROME);
    const capped = await makeTestApp({ COUNTER_NEW_PAGES_PER_DAY: 3 });
    await capped.services.sites.create({ id: 'xa-a', name: 'Xã A', origins: [], premoderation: true }, 'test');
    for (let i = 0; i < 30; i++) await capped.services.counters.view('xa-a', `p${i}`, newVoter(), CHROME);
    expect(await t.sql.value('SELECT COUNT(*) FROM counter_pages')).toBe(30);
    expect(await capped.sql.value('SELECT COUNT(*) FROM counter_pages')).toBe(3);
  });
});
