import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SITE_ID, DEMO_THREAD } from '../../src/demo/seed.js';
import { articlePage, axeViolations, keep, launch, newPage, startApp, startFixture } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Every visible button, option row and text field inside the widgets' shadow roots, measured. */
function measure(page: Page) {
  return page.evaluate(() => {
    const roots = [...document.querySelectorAll('[data-ykien-poll],[data-ykien-comments]')].map((h) => h.shadowRoot!);
    const all = <T extends Element>(sel: string) => roots.flatMap((r) => [...r.querySelectorAll<T>(sel)]);
    const visible = (el: Element) => {
      const b = el.getBoundingClientRect();
      return b.width > 0 && b.height > 0 && getComputedStyle(el).visibility !== 'hidden' && !el.closest('.hp');
    };
    const box = (el: Element) => {
      const b = el.getBoundingClientRect();
      return { text: (el.textContent || '').trim(), width: Math.round(b.width * 10) / 10, height: Math.round(b.height * 10) / 10 };
    };
    return {
      buttons: all('button').filter(visible).map(box),
      options: all('label.opt').filter(visible).map(box),
      fields: all<HTMLElement>('input:not([type=radio]):not([type=checkbox]),textarea')
        .filter(visible)
        .map((el) => ({ id: el.id, fontSize: parseFloat(getComputedStyle(el).fontSize), height: el.getBoundingClientRect().height })),
      scrollWidth: document.documentElement.scrollWidth,
    };
  });
}

describe('widget on a 360 px phone', () => {
  it('has 44 px touch targets, 16 px inputs, no sideways scrolling, and no WCAG 2.2 AA violation', async () => {
    const app = await startApp({ CAPTCHA: 'svg' });
    // 21 published comments (stored directly: the captcha is on): a full first page, so "Xem thêm ý kiến" shows.
    const store = app.t.storage.comments;
    for (let i = 1; i <= 21; i++) {
      const content = `Ý kiến thứ ${i} về kế hoạch chuyển đổi số, đề nghị xã tổ chức tập huấn cho người cao tuổi.`;
      // A published top-level comment adds one to the thread's count.
      await store.insert({ id: `binhluan${i}`, siteId: DEMO_SITE_ID, threadKey: DEMO_THREAD, parentId: null, name: `Người đọc số ${i}`, address: i === 1 ? 'Thôn Phú Thạnh, xã Tiên Ngọc' : null, email: null, content, status: 'approved', spamReason: null, ipHash: null, userAgent: null, repeatKey: null, createdAt: Date.now() - 60_000 + i }, () => 1);
    }
    const fixture = await startFixture({ '/tin-tuc/ke-hoach-206.html': { body: articlePage(app.origin) } });
    await app.t.services.sites.update(DEMO_SITE_ID, { origins: [app.origin, fixture.origin] }, 'test');
    const { page, errors, context } = await newPage(browser, { phone: true });
    try {
      await page.goto(`${fixture.origin}/tin-tuc/ke-hoach-206.html`);
      const poll = page.locator('#poll');
      const box = page.locator('#comments');
      await poll.locator('legend').waitFor();
      await expect.poll(() => box.locator('h2').textContent()).toBe('Ý kiến bạn đọc: (21)');
      await box.locator('.cap-img img[src^="data:"]').waitFor();
      expect(await page.evaluate(() => innerWidth)).toBe(360);
      await keep(page, 'phone-top');
      await keep(page, 'phone', { poll: poll.locator('.yk'), first: box.locator('li.c').first(), form: box.locator('form') });

      // The states that show the other buttons: a reply ("Hủy"), and a failed request ("Thử lại").
      await box.getByRole('button', { name: 'Trả lời' }).first().click();
      await page.route('**/results**', (route) => route.abort('internetdisconnected'));
      await poll.getByRole('button', { name: 'Kết quả' }).click();
      await expect.poll(() => poll.getByRole('alert').textContent()).toBe('Không kết nối được máy chủ. Thử lại');
      await keep(page, 'phone-retry', { poll: poll.locator('.yk'), form: box.locator('form') });

      const m = await measure(page);
      const names = new Set(m.buttons.map((b) => b.text));
      for (const name of ['Bình chọn', 'Kết quả', 'Thử lại', 'Trả lời', 'Hủy', 'Đổi mã khác', 'Xem thêm ý kiến', 'Gửi ý kiến']) expect(names).toContain(name);
      expect(m.buttons.filter((b) => b.width < 44 || b.height < 44)).toEqual([]);
      expect(m.options.length).toBe(4); // three poll options and "Ghi nhớ thông tin của tôi"
      expect(m.options.filter((o) => o.height < 44)).toEqual([]);
      expect(m.fields.map((f) => f.id).sort()).toEqual(['f-address', 'f-captchaAnswer', 'f-content', 'f-email', 'f-name']);
      // Under 16 px, iOS Safari zooms into the field on focus.
      expect(m.fields.filter((f) => f.fontSize < 16 || f.height < 44)).toEqual([]);
      expect(m.scrollWidth).toBeLessThanOrEqual(360);

      expect(await axeViolations(page)).toEqual([]);
      // And once voted: the results view.
      await page.unroute('**/results**');
      await poll.getByLabel('Bình thường').check();
      await poll.getByRole('button', { name: 'Bình chọn' }).click();
      await expect.poll(() => poll.locator('.tot').textContent()).toBe('Tổng cộng: 1 Phiếu');
      await keep(page, 'phone-results', { poll: poll.locator('.yk') });
      expect(await axeViolations(page)).toEqual([]);
      expect(errors.filter((e) => !/results|ERR_INTERNET_DISCONNECTED/.test(e))).toEqual([]);
    } finally {
      await context.close();
      await fixture.close();
      await app.close();
    }
  });

  it('says "Đang gửi…" while a slow vote is on its way, and the "choose an option" error goes once one is chosen', async () => {
    const app = await startApp();
    const fixture = await startFixture({ '/bai.html': { body: articlePage(app.origin) } });
    await app.t.services.sites.update(DEMO_SITE_ID, { origins: [app.origin, fixture.origin] }, 'test');
    const { page, errors, context } = await newPage(browser, { phone: true });
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    let votes = 0;
    try {
      await page.route('**/votes', async (route) => {
        votes++;
        await held;
        await route.continue();
      });
      await page.goto(`${fixture.origin}/bai.html`);
      const poll = page.locator('#poll');
      const vote = poll.getByRole('button', { name: /Bình chọn|Đang gửi/ });
      await vote.click();
      await expect.poll(() => poll.getByRole('alert').textContent()).toBe('Vui lòng chọn một phương án.');
      await poll.getByLabel('Đẹp, tiện lợi tra cứu').check();
      await expect.poll(() => poll.getByRole('alert').count()).toBe(0);
      expect(await poll.getByText('Vui lòng chọn một phương án.').count()).toBe(0);

      await vote.click();
      await expect.poll(() => vote.textContent()).toBe('Đang gửi…');
      expect(await vote.isDisabled()).toBe(true);
      await keep(page, 'phone-vote-sending', { poll: poll.locator('.yk') });
      await vote.click({ force: true }); // a second tap does nothing while the first is on its way
      release();
      await expect.poll(() => poll.locator('.tot').textContent()).toBe('Tổng cộng: 1 Phiếu');
      expect(votes).toBe(1);
      expect(app.t.db.prepare('SELECT COUNT(*) FROM ballots').pluck().get()).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      release();
      await context.close();
      await fixture.close();
      await app.close();
    }
  });
});
