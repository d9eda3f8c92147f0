import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SITE_ID } from '../../src/demo/seed.js';
import { approve, post } from '../comments.fixtures.js';
import { launch, newPage, startApp, startFixture } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const thread = (key: string) => `/v1/sites/${DEMO_SITE_ID}/threads/${encodeURIComponent(key)}/comments`;

/** A portal's article list: "Ý kiến (N)" beside each title, the site named once on the script tag. */
const listPage = (api: string, keys: string[]) => `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Tin tức – Cổng thông tin xã Tiên Ngọc</title></head>
<body><main><h1>Tin tức</h1><ul>
${keys.map((k, i) => `<li><a href="${k}">Bài ${i + 1}</a> – Ý kiến (<span class="n" data-ykien-comment-count="${k}">0</span>)</li>`).join('\n')}
</ul></main><script src="${api}/widget.js" data-ykien-site="${DEMO_SITE_ID}" async></script></body></html>`;

describe('comment counts on an article list', () => {
  it('fills every span from one request, in the page text, repeated keys included', async () => {
    const app = await startApp();
    const a = '/2024/06/ke-hoach-206';
    const b = '/tin-tuc/lễ-hội-đình-làng';
    for (let i = 0; i < 3; i++) await approve(app.t, await post(app.t, {}, thread(a)));
    await approve(app.t, await post(app.t, {}, thread(b)));
    await post(app.t, {}, thread(b)); // pending: not shown
    const fixture = await startFixture({ '/tin-tuc': { body: listPage(app.origin, [a, b, '/chua-co', a]) } });
    await app.t.services.sites.update(DEMO_SITE_ID, { origins: [app.origin, fixture.origin] }, 'test');
    const { page, errors, context } = await newPage(browser);
    const asked: string[] = [];
    page.on('request', (r) => r.url().includes('/comment-counts') && asked.push(r.url()));
    try {
      await page.goto(`${fixture.origin}/tin-tuc`);
      await expect.poll(() => page.locator('span.n').allTextContents()).toEqual(['3', '1', '0', '3']);
      expect(asked).toHaveLength(1);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await fixture.close();
      await app.close();
    }
  });

  it('splits a long list into requests the server and proxies accept', async () => {
    const app = await startApp();
    const keys = Array.from({ length: 120 }, (_, i) => `/tin-tuc/2026/bai-viet-so-${i}-ve-chuyen-doi-so-cua-xa`);
    await approve(app.t, await post(app.t, {}, thread(keys[119]!)));
    const fixture = await startFixture({ '/tin-tuc': { body: listPage(app.origin, keys) } });
    await app.t.services.sites.update(DEMO_SITE_ID, { origins: [app.origin, fixture.origin] }, 'test');
    const { page, errors, context } = await newPage(browser);
    const asked: string[] = [];
    page.on('request', (r) => r.url().includes('/comment-counts') && asked.push(r.url()));
    try {
      await page.goto(`${fixture.origin}/tin-tuc`);
      await expect.poll(() => page.locator('span.n').last().textContent()).toBe('1');
      expect(asked.length).toBeGreaterThanOrEqual(3);
      for (const u of asked) expect(u.length).toBeLessThanOrEqual(1800 + app.origin.length);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await fixture.close();
      await app.close();
    }
  });
});
