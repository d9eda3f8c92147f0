import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_POLL_ID, DEMO_SITE_ID, DEMO_THREAD } from '../../src/demo/seed.js';
import { launch, newPage, startApp } from './browser.js';

const axe = createRequire(import.meta.url)('axe-core') as { source: string };

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('widget on the demo page (headless Chromium, real app)', () => {
  it('votes, shows percentages and totals, keeps showing results after a reload', async () => {
    const app = await startApp();
    const { page, errors, context } = await newPage(browser);
    try {
      await page.goto(`${app.origin}/`);
      const poll = page.locator(`[data-ykien-poll="${DEMO_POLL_ID}"]`);
      await expect.poll(() => poll.locator('legend').textContent()).toBe('Xin bạn cho ý kiến về cổng thông tin của chúng tôi?');
      expect(await poll.locator('input[type=radio]').count()).toBe(3);

      // Nothing chosen: a message, no vote.
      await poll.getByRole('button', { name: 'Bình chọn' }).click();
      await expect.poll(() => poll.getByRole('alert').textContent()).toBe('Vui lòng chọn một phương án.');

      await poll.getByLabel('Đẹp, tiện lợi tra cứu').check();
      await poll.getByRole('button', { name: 'Bình chọn' }).click();
      await expect.poll(() => poll.locator('.tot').textContent()).toBe('Tổng cộng: 1 Phiếu');
      expect(await poll.locator('.pc').allTextContents()).toEqual(['0.0%', '100.0%', '0.0%']);
      expect(await poll.locator('.vc').allTextContents()).toEqual(['0 Phiếu', '1 Phiếu', '0 Phiếu']);
      expect(await poll.locator('.msg.ok').textContent()).toBe('Cảm ơn bạn đã bình chọn.');
      expect(await poll.locator('[aria-live=polite]').count()).toBe(1);

      // Two more voters through the API, then reload: the voter id in localStorage still shows results.
      const ids = (await app.t.http.get(`/v1/polls/${DEMO_POLL_ID}`)).body.options.map((o: { id: string }) => o.id);
      for (const [i, v] of [[0, 'other-voter-1'], [2, 'other-voter-2']] as const)
        expect((await app.t.http.post(`/v1/polls/${DEMO_POLL_ID}/votes`).send({ optionIds: [ids[i]], voterId: v })).status).toBe(201);
      await page.reload();
      await expect.poll(() => poll.locator('.tot').textContent()).toBe('Tổng cộng: 3 Phiếu');
      expect(await poll.locator('.pc').allTextContents()).toEqual(['33.4%', '33.3%', '33.3%']);
      expect(await poll.locator('form').count()).toBe(0);
      const voter = await page.evaluate(() => localStorage.getItem('ykien:voter'));
      expect(voter).toMatch(/^[A-Za-z0-9_-]{16}$/);
      // The bars have a width set through the CSSOM (no style attribute needed).
      await expect.poll(() => poll.locator('.fill').nth(1).evaluate((el) => getComputedStyle(el).width !== '0px')).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await app.close();
    }
  });

  it('posts a comment, keeps input on errors, shows it after approval; counters show numbers', async () => {
    const app = await startApp();
    const { page, errors, context } = await newPage(browser);
    try {
      await page.goto(`${app.origin}/`);
      const box = page.locator(`[data-ykien-comments="${DEMO_THREAD}"]`);
      await expect.poll(() => box.locator('h2').textContent()).toBe('Ý kiến bạn đọc: (0)');
      expect(await box.getByText('Thông tin (*) là bắt buộc:').count()).toBe(1);
      // CAPTCHA=off: no captcha field.
      expect(await box.getByLabel('Mã xác nhận').isVisible()).toBe(false);

      // Errors next to their field, in Vietnamese; what was typed stays.
      await box.getByLabel('Nội dung').fill('Kế hoạch rất thiết thực, đề nghị xã phổ biến rộng rãi đến từng thôn.');
      await box.getByRole('button', { name: 'Gửi ý kiến' }).click();
      await expect.poll(() => box.locator('#e-name').textContent()).toBe('Vui lòng nhập họ và tên.');
      expect(await box.getByLabel('Họ và tên').getAttribute('aria-invalid')).toBe('true');
      expect(await box.getByLabel('Nội dung').inputValue()).toBe('Kế hoạch rất thiết thực, đề nghị xã phổ biến rộng rãi đến từng thôn.');
      await box.getByLabel('Email').fill('khong-hop-le');
      await box.getByLabel('Họ và tên').fill('Nguyễn Văn Ánh');
      await box.getByRole('button', { name: 'Gửi ý kiến' }).click();
      await expect.poll(() => box.locator('#e-email').textContent()).toBe('Địa chỉ email không hợp lệ.');
      expect(await box.locator('#e-name').textContent()).toBe('');

      // A reload keeps the comment being written (sessionStorage) until it is sent; who wrote it is
      // kept only with "Ghi nhớ thông tin của tôi" (tests/widget/commentform.browser.test.ts).
      await page.reload();
      await expect.poll(() => box.getByLabel('Nội dung').inputValue()).toBe('Kế hoạch rất thiết thực, đề nghị xã phổ biến rộng rãi đến từng thôn.');
      expect(await box.getByLabel('Họ và tên').inputValue()).toBe('');
      expect(await box.getByLabel('Email').inputValue()).toBe('');
      await box.getByLabel('Họ và tên').fill('Nguyễn Văn Ánh');
      await box.getByLabel('Email').fill('anh@example.vn');
      await box.getByLabel('Địa chỉ').fill('Thôn 3, Tiên Ngọc');
      await box.getByRole('button', { name: 'Gửi ý kiến' }).click();
      await expect.poll(() => box.getByRole('status').textContent()).toBe('Ý kiến của bạn đã được gửi và đang chờ kiểm duyệt.');
      expect(await box.getByLabel('Nội dung').inputValue()).toBe('');
      expect(await box.getByLabel('Họ và tên').inputValue()).toBe('');

      // A moderator approves it through the API; the next visit shows it.
      const queue = await app.t.admin.get(`/v1/admin/comments?site=${DEMO_SITE_ID}&status=pending`);
      expect(queue.status).toBe(200);
      const pending = queue.body.comments ?? queue.body.items;
      expect(pending).toHaveLength(1);
      expect((await app.t.admin.post(`/v1/admin/comments/${pending[0].id}/approve`)).status).toBe(200);
      await page.reload();
      await expect.poll(() => box.locator('h2').textContent()).toBe('Ý kiến bạn đọc: (1)');
      expect(await box.locator('.cn').textContent()).toBe('Nguyễn Văn Ánh');
      expect(await box.locator('.cc').textContent()).toBe('Kế hoạch rất thiết thực, đề nghị xã phổ biến rộng rãi đến từng thôn.');
      expect(await box.locator('.cm').first().textContent()).toBe(' – Thôn 3, Tiên Ngọc');
      expect(await box.locator('time').textContent()).toMatch(/^\d\d:\d\d \d\d\/\d\d\/\d{4}$/);
      expect(await page.evaluate(() => document.body.innerText)).not.toContain('anh@example.vn');

      // Counter spans: a number each. Two page loads by one browser count one view.
      const views = page.locator(`[data-ykien-views="${DEMO_THREAD}"]`);
      await expect.poll(() => views.textContent()).toMatch(/^\d+$/);
      expect(await views.textContent()).toBe('1');
      await expect.poll(() => page.locator('[data-ykien-site-visits]').textContent()).toBe('1');
      await expect.poll(() => page.locator('[data-ykien-online]').textContent()).toBe('1');

      // Thousands separator of the locale (vi-VN: "12.345").
      expect((await app.t.admin.put(`/v1/admin/sites/${DEMO_SITE_ID}/counters`, { siteVisits: 12345, pages: { [DEMO_THREAD]: 1500 } })).status).toBe(200);
      await page.reload();
      await expect.poll(() => page.locator('[data-ykien-site-visits]').textContent()).toMatch(/^12\.34\d$/);
      expect(await views.textContent()).toMatch(/^1\.50\d$/);

      // The portal's own figures (5, 10 and 6 of 21), the last vote cast in the widget.
      const ids = (await app.t.http.get(`/v1/polls/${DEMO_POLL_ID}`)).body.options.map((o: { id: string }) => o.id);
      for (const [i, n] of [[0, 5], [1, 10], [2, 5]] as const)
        for (let k = 0; k < n; k++)
          expect((await app.t.http.post(`/v1/polls/${DEMO_POLL_ID}/votes`).send({ optionIds: [ids[i]], voterId: `reader-${i}-${k}-xxxx` })).status).toBe(201);
      const poll = page.locator(`[data-ykien-poll="${DEMO_POLL_ID}"]`);
      await page.emulateMedia({ reducedMotion: 'reduce' });
      await poll.getByLabel('Cần chỉnh sửa thêm').check();
      await poll.getByRole('button', { name: 'Bình chọn' }).click();
      await expect.poll(() => poll.locator('.tot').textContent()).toBe('Tổng cộng: 21 Phiếu');
      expect(await poll.locator('.pc').allTextContents()).toEqual(['23.8%', '47.6%', '28.6%']);
      expect(await poll.locator('.vc').allTextContents()).toEqual(['5 Phiếu', '10 Phiếu', '6 Phiếu']);
      // prefers-reduced-motion: the bars do not animate.
      expect(await poll.locator('.fill').first().evaluate((el) => getComputedStyle(el).transitionDuration)).toBe('0s');
      const shot = await page.screenshot({ fullPage: true });
      expect(shot.length).toBeGreaterThan(10_000);
      if (process.env.YKIEN_SCREENSHOT) fs.writeFileSync(path.resolve(process.env.YKIEN_SCREENSHOT), shot);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await app.close();
    }
  });
});

/** axe-core's WCAG 2.2 AA rules on the page as it is now (open shadow roots included). */
async function axeViolations(page: Page) {
  await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const run = (window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe.run;
    const r = await run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return r.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  });
}

describe('accessibility of the pages at "/" (axe-core, WCAG 2.2 AA)', () => {
  it('the demo page, with every widget loaded, has no violations (the grey date line included)', async () => {
    const app = await startApp();
    const { page, errors, context } = await newPage(browser);
    try {
      await page.goto(`${app.origin}/`);
      await page.locator(`[data-ykien-poll="${DEMO_POLL_ID}"] legend`).waitFor();
      await page.locator(`[data-ykien-comments="${DEMO_THREAD}"] #f-name`).waitFor();
      await expect.poll(() => page.locator('[data-ykien-online]').textContent()).toMatch(/^\d+$/);
      expect(await axeViolations(page)).toEqual([]);
      // The date line was #777 on white (4.47:1); it must reach 4.5:1.
      const meta = await page.locator('.meta').evaluate((el) => getComputedStyle(el).color);
      expect(meta).toBe('rgb(102, 102, 102)');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await app.close();
    }
  });

  it('without JavaScript, comments and counters say so instead of showing nothing or a loading sign', async () => {
    const app = await startApp();
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(`${app.origin}/`);
      expect(await page.locator('section.comments').innerText()).toBe('Bật JavaScript để xem và gửi ý kiến.');
      expect(await page.locator('[data-ykien-views]').innerText()).toBe('–');
      expect(await page.locator('[data-ykien-site-visits]').innerText()).toBe('–');
      expect(await page.locator('.side .box', { hasText: 'Thăm dò ý kiến' }).locator('a').getAttribute('href')).toBe(`/p/${DEMO_POLL_ID}`);
    } finally {
      await context.close();
      await app.close();
    }
  });

  it('the plain page shown when there is no demo has no violations', async () => {
    const app = await startApp();
    await app.t.admin.delete(`/v1/admin/sites/${DEMO_SITE_ID}?confirm=${DEMO_SITE_ID}`).expect(200);
    const { page, errors, context } = await newPage(browser);
    try {
      await page.goto(`${app.origin}/`);
      expect(await page.locator('h1').textContent()).toBe('ykien');
      expect(await axeViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await app.close();
    }
  });
});

describe('widget comment form with the captcha on', () => {
  it('shows the captcha as an image, keeps the text on a wrong answer, sends with the right one', async () => {
    const app = await startApp({ CAPTCHA: 'svg' });
    const { page, errors, context } = await newPage(browser);
    const answer = () => (app.t.db.prepare('SELECT answer FROM captchas ORDER BY created_at DESC, rowid DESC LIMIT 1').get() as { answer: string }).answer;
    try {
      await page.goto(`${app.origin}/`);
      const box = page.locator(`[data-ykien-comments="${DEMO_THREAD}"]`);
      const img = box.locator('.cap-img img');
      await expect.poll(() => img.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
      expect(await img.getAttribute('alt')).toMatch(/^Mã xác nhận: hình ảnh gồm 5 ký tự/);
      expect(await box.locator('svg').count()).toBe(0); // never parsed into the DOM

      await box.getByLabel('Họ và tên').fill('Lê Văn Cường');
      await box.getByLabel('Nội dung').fill('Đề nghị bổ sung lịch tuyên truyền ở thôn 5.');
      await box.getByRole('button', { name: 'Gửi ý kiến' }).click();
      await expect.poll(() => box.locator('#e-captchaAnswer').textContent()).toBe('Vui lòng nhập mã xác nhận.');

      const first = await img.getAttribute('src');
      await box.getByLabel('Mã xác nhận').fill('sai-ma');
      await box.getByRole('button', { name: 'Gửi ý kiến' }).click();
      await expect.poll(() => box.locator('#e-captchaAnswer').textContent()).toBe('Mã xác nhận không đúng hoặc đã hết hạn, vui lòng nhập mã mới.');
      expect(await img.getAttribute('src')).not.toBe(first); // a fresh challenge
      expect(await box.getByLabel('Nội dung').inputValue()).toBe('Đề nghị bổ sung lịch tuyên truyền ở thôn 5.');

      // The refresh control asks for another image.
      const before = await img.getAttribute('src');
      await box.getByRole('button', { name: 'Đổi mã khác' }).click();
      await expect.poll(() => img.getAttribute('src')).not.toBe(before);

      await box.getByLabel('Mã xác nhận').fill(answer());
      await box.getByRole('button', { name: 'Gửi ý kiến' }).click();
      await expect.poll(() => box.getByRole('status').textContent()).toBe('Ý kiến của bạn đã được gửi và đang chờ kiểm duyệt.');
      expect(errors.filter((e) => !/status of 400/.test(e) && !/^400 /.test(e))).toEqual([]);
    } finally {
      await context.close();
      await app.close();
    }
  });
});

describe('widget comments without premoderation', () => {
  it('shows an approved comment at once, and posts a reply under it', async () => {
    const app = await startApp();
    await app.t.services.sites.update(DEMO_SITE_ID, { premoderation: false }, 'test');
    const { page, errors, context } = await newPage(browser);
    try {
      await page.goto(`${app.origin}/`);
      const box = page.locator(`[data-ykien-comments="${DEMO_THREAD}"]`);
      await expect.poll(() => box.locator('h2').textContent()).toBe('Ý kiến bạn đọc: (0)');
      expect(await box.getByText('Chưa có ý kiến nào.').count()).toBe(1);
      await box.getByLabel('Họ và tên').fill('Phạm Thị Dung');
      await box.getByLabel('Nội dung').fill('Dòng một\nDòng hai <b>không phải HTML</b>');
      await box.getByRole('button', { name: 'Gửi ý kiến' }).click();
      await expect.poll(() => box.getByRole('status').textContent()).toBe('Ý kiến của bạn đã được đăng.');
      await expect.poll(() => box.locator('h2').textContent()).toBe('Ý kiến bạn đọc: (1)');
      // Text stays text: no element was made from the comment.
      expect(await box.locator('.cc').textContent()).toBe('Dòng một\nDòng hai <b>không phải HTML</b>');
      expect(await box.locator('.cc b').count()).toBe(0);

      await box.getByRole('button', { name: 'Trả lời' }).click();
      expect(await box.locator('.rp').textContent()).toContain('Trả lời ý kiến của Phạm Thị Dung');
      await expect.poll(() => box.getByLabel('Nội dung').evaluate((el) => el.getRootNode() instanceof ShadowRoot && (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true);
      await box.getByLabel('Họ và tên').fill('Võ Văn Em');
      await box.getByLabel('Nội dung').fill('Cảm ơn chị đã góp ý.');
      await box.getByRole('button', { name: 'Gửi ý kiến' }).click();
      await expect.poll(() => box.locator('h2').textContent()).toBe('Ý kiến bạn đọc: (2)');
      await expect.poll(() => box.locator('.c .c .cc').textContent()).toBe('Cảm ơn chị đã góp ý.');
      expect(await box.locator('.rp').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await app.close();
    }
  });
});
