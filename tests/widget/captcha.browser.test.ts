import axe from 'axe-core';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SITE_ID, DEMO_THREAD } from '../../src/demo/seed.js';
import { launch, newPage, startApp } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const ALT = /^Mã xác nhận: hình ảnh gồm 5 ký tự chữ và số\. Nếu không đọc được, hãy chọn “Tôi không đọc được mã”\.$/;

/** axe-core on the comment widget (its open shadow root included): WCAG 2.0–2.2 A and AA. */
async function axeViolations(page: Page) {
  // evaluate() is not subject to the demo page's CSP, unlike an injected <script>.
  await page.evaluate(axe.source);
  return page.evaluate(async (sel) => {
    const r = await (window as unknown as { axe: typeof axe }).axe.run(
      { include: [[sel]] } as never,
      { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } },
    );
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, `[data-ykien-comments="${DEMO_THREAD}"]`);
}

/** The element focused inside the widget's shadow root: its tag and its text or value. */
const focused = (page: Page) =>
  page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el ? { tag: el.tagName, text: ((el as HTMLInputElement).value || el.textContent || '').trim(), name: el.getAttribute('name') } : null;
  });

const commentCount = (app: Awaited<ReturnType<typeof startApp>>) =>
  app.t.db.prepare('SELECT status FROM comments ORDER BY created_at').pluck().all() as string[];

async function fillForm(page: Page, box: Locator) {
  // Keyboard only from the first field on: type, Tab, type.
  await box.getByLabel('Họ và tên').focus();
  await page.keyboard.type('Trần Thị Mai');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Thôn 2');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  expect((await focused(page))?.tag).toBe('TEXTAREA');
  await page.keyboard.type('Tôi là người khiếm thị, đề nghị xã đọc thông báo trên loa.');
}

describe('captcha in the widget (CAPTCHA=svg, proof of work on)', () => {
  it('the accessible path, with the keyboard alone: announced, focus handled, always held for a moderator', async () => {
    const app = await startApp({ CAPTCHA: 'svg' });
    await app.t.services.sites.update(DEMO_SITE_ID, { premoderation: false }, 'test');
    const { page, errors, context } = await newPage(browser);
    try {
      await page.goto(`${app.origin}/`);
      const box = page.locator(`[data-ykien-comments="${DEMO_THREAD}"]`);
      const img = box.getByRole('img', { name: ALT });
      await expect.poll(() => img.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
      expect(await axeViolations(page)).toEqual([]);

      await fillForm(page, box);
      await page.keyboard.press('Tab');
      expect(await focused(page)).toMatchObject({ tag: 'BUTTON', text: 'Đổi mã khác' });
      await page.keyboard.press('Tab');
      // A real button with a visible, screen-reader-visible label.
      expect(await focused(page)).toMatchObject({ tag: 'BUTTON', text: 'Tôi không đọc được mã' });
      expect(await box.getByRole('button', { name: 'Tôi không đọc được mã' }).isVisible()).toBe(true);
      await page.keyboard.press('Enter');

      // Focus moves to the plain-language note, so a screen reader reads it out; progress is announced.
      const note = 'Bạn đã chọn xác minh không cần đọc mã. Ý kiến gửi theo cách này sẽ được cán bộ kiểm duyệt xem trước khi đăng.';
      expect(await focused(page)).toMatchObject({ tag: 'P', text: note });
      expect(await box.getByRole('progressbar', { name: 'Đang xác minh…' }).isVisible()).toBe(true);
      const status = box.locator('.cap-alt [aria-live=polite]');
      await expect.poll(() => status.textContent()).toBe('Đã xác minh xong. Bạn có thể gửi ý kiến.');
      expect(await box.getByRole('progressbar').getAttribute('value')).toBe('100');
      // No picture and no answer field in this mode.
      expect(await img.isVisible()).toBe(false);
      expect(await box.getByLabel('Mã xác nhận').isVisible()).toBe(false);
      expect(await axeViolations(page)).toEqual([]);

      await page.keyboard.press('Tab');
      expect(await focused(page)).toMatchObject({ tag: 'BUTTON', text: 'Dùng mã hình ảnh' });
      await page.keyboard.press('Tab');
      expect(await focused(page)).toMatchObject({ tag: 'INPUT', text: 'on' }); // "Ghi nhớ thông tin của tôi", left unticked
      await page.keyboard.press('Tab');
      expect(await focused(page)).toMatchObject({ tag: 'BUTTON', text: 'Gửi ý kiến' });
      await page.keyboard.press('Enter');
      await expect.poll(() => box.locator('.msg.ok').textContent()).toBe('Ý kiến của bạn đã được gửi và đang chờ kiểm duyệt.');
      // Premoderation is off on this site, yet the comment waits for a moderator.
      expect(commentCount(app)).toEqual(['pending']);
      expect(await box.locator('h2').textContent()).toBe('Ý kiến bạn đọc: (0)');

      // Back to the picture: focus goes to the answer field, which is there again.
      await box.getByRole('button', { name: 'Dùng mã hình ảnh' }).focus();
      await page.keyboard.press('Enter');
      expect(await focused(page)).toMatchObject({ tag: 'INPUT', name: 'captchaAnswer' });
      await expect.poll(() => img.isVisible()).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await app.close();
    }
  });

  it('solves the proof of work in plain JavaScript where crypto.subtle is missing (a portal on plain http)', async () => {
    const app = await startApp({ CAPTCHA: 'svg' });
    await app.t.services.sites.update(DEMO_SITE_ID, { premoderation: false }, 'test');
    const { page, errors, context } = await newPage(browser);
    try {
      await context.addInitScript(() => Object.defineProperty(Crypto.prototype, 'subtle', { get: () => undefined }));
      await page.goto(`${app.origin}/`);
      expect(await page.evaluate(() => crypto.subtle)).toBeUndefined();
      const box = page.locator(`[data-ykien-comments="${DEMO_THREAD}"]`);
      await expect.poll(() => box.getByRole('img', { name: ALT }).getAttribute('src')).toMatch(/^data:image\/png;base64,/);
      await box.getByLabel('Họ và tên').fill('Lê Văn Cường');
      await box.getByLabel('Nội dung').fill('Đề nghị bổ sung lịch tuyên truyền ở thôn 5.');
      const answer = app.t.db.prepare('SELECT answer FROM captchas ORDER BY created_at DESC, rowid DESC LIMIT 1').pluck().get() as string;
      await box.getByLabel('Mã xác nhận').fill(answer);
      await box.getByRole('button', { name: 'Gửi ý kiến' }).click();
      // The picture path publishes at once where premoderation is off.
      await expect.poll(() => box.locator('.msg.ok').textContent()).toBe('Ý kiến của bạn đã được đăng.');
      expect(commentCount(app)).toEqual(['approved']);
      expect(app.t.db.prepare('SELECT COUNT(*) FROM pow_used').pluck().get()).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await app.close();
    }
  });
});
