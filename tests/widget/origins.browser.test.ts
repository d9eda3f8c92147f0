import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_POLL_ID, DEMO_SITE_ID, DEMO_THREAD } from '../../src/demo/seed.js';
import { launch, newPage, startApp, startFixture } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** A commune portal whose origin the operator forgot to add to the site. */
const portalPage = (api: string) => `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Tin tức</title></head>
<body><div id="poll" data-ykien-poll="${DEMO_POLL_ID}"></div>
<div id="comments" data-ykien-comments="${DEMO_THREAD}" data-ykien-site="${DEMO_SITE_ID}"></div>
<p>Lượt xem: <span id="views" data-ykien-views="${DEMO_THREAD}" data-ykien-site="${DEMO_SITE_ID}">…</span></p>
<script src="${api}/widget.js" async></script></body></html>`;

describe('a portal origin missing from the site', () => {
  it('tells the operator in the console which origin to add, shows readers a neutral message, and works once added', async () => {
    const app = await startApp();
    const fixture = await startFixture({ '/tin-tuc.html': { body: portalPage(app.origin) } });
    const { page, context } = await newPage(browser);
    const warnings: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'warning') warnings.push(m.text());
    });
    try {
      await page.goto(`${fixture.origin}/tin-tuc.html`);
      const notAllowed = 'Trang này chưa được phép hiển thị ý kiến bạn đọc.';
      await expect.poll(() => page.locator('#poll [role=alert]').textContent().then((s) => s?.trim())).toBe(notAllowed);
      await expect.poll(() => page.locator('#comments [role=alert]').first().textContent().then((s) => s?.trim())).toBe(notAllowed);
      const expected = `[ykien] ${fixture.origin} is not in the origins of site "${DEMO_SITE_ID}". Add it: ykien sites origins add ${DEMO_SITE_ID} ${fixture.origin}`;
      await expect.poll(() => warnings.filter((w) => w === expected).length).toBe(1);
      // Once per page: the poll, the comments and the counter all learnt it, the console says it once.
      expect(warnings.filter((w) => w.startsWith('[ykien]'))).toEqual([expected]);
      // Not the outage message, and no retry button that could never help.
      expect(await page.locator('body').evaluate(() => [...document.querySelectorAll('[data-ykien-poll],[data-ykien-comments]')].map((el) => el.shadowRoot?.textContent ?? '').join(' '))).not.toContain('Không kết nối được máy chủ');
      expect(await page.locator('#poll').getByRole('button', { name: 'Thử lại' }).count()).toBe(0);
      expect(app.t.db.prepare('SELECT COUNT(*) FROM counter_pages').pluck().get()).toBe(0);

      // The operator adds the origin (as the console said); a reload works, with no warning.
      const added = await app.t.admin.post(`/v1/admin/sites/${DEMO_SITE_ID}/origins`, { add: [fixture.origin] });
      expect(added.status).toBe(200);
      warnings.length = 0;
      await page.reload();
      await expect.poll(() => page.locator('#poll legend').textContent()).toBe('Xin bạn cho ý kiến về cổng thông tin của chúng tôi?');
      await expect.poll(() => page.locator('#views').textContent()).toBe('1');
      expect(warnings.filter((w) => w.startsWith('[ykien]'))).toEqual([]);
    } finally {
      await context.close();
      await fixture.close();
      await app.close();
    }
  });
});
