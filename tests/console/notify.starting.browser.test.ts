// Issue 16 in the console, in a real Chromium: a site's "Thư báo cho người duyệt" (notifyEmails and the digest
// setting) and a poll's "Số liệu ban đầu" (starting figures). Each is saved, read back after a reload, refused
// in words beside the field (by the browser's check and by the server's), and scanned with axe-core.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../scripts/build-console.mjs';
import { DEMO_POLL_ID, DEMO_SITE_ID } from '../../src/demo/seed.js';
import { runCommand } from '../helpers/cli.js';
import { launch, startApp } from '../widget/browser.js';
import { axeViolations, openConsole, type OpenOptions, overflowing, PASSWORD, shot, signIn } from './consoleBrowser.js';

// The refusals these tests provoke log 4xx; 8 s fails with the locator named, well before the test's own timeout.
const OPEN: OpenOptions = { expected: /40[01349]/, timeout: 8_000 };
let browser: Browser;
let app: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  await buildConsole();
  browser = await launch();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await app?.close();
});

async function appWithAdmin() {
  app = await startApp();
  const r = await runCommand(['users', 'create', '--username', 'quantri', '--role', 'admin', '--password-stdin'], { env: app.t.databaseEnv as Record<string, string>, stdin: `${PASSWORD}\n` });
  if (r.code !== 0) throw new Error(r.err.join('\n'));
}

const site = async () => (await app.t.admin.get(`/v1/admin/sites/${DEMO_SITE_ID}`)).body as { notifyEmails: string[]; notifyDigestMinutes: number };
/** A section's picture, kept when YKIEN_SCREENSHOTS names a folder (to look at, as the other console suites do). */
const keep = (l: Locator, name: string) => l.screenshot(process.env.YKIEN_SCREENSHOTS ? { path: `${process.env.YKIEN_SCREENSHOTS}/${name}.png` } : {});
const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

describe('issue 16 in the console (Chromium)', { timeout: 60_000 }, () => {
  it('"Thư báo cho người duyệt": addresses and the digest saved, read back, and refused beside the field', async () => {
    await appWithAdmin();
    const { context, page, errors } = await openConsole(browser, { width: 1280, height: 900 }, OPEN);
    await signIn(page, app.origin, 'quantri', `#/sites/${DEMO_SITE_ID}`);
    const section = page.locator('form', { has: page.getByRole('heading', { name: 'Thư báo cho người duyệt' }) });
    await section.waitFor();
    const emails = page.getByLabel('Địa chỉ thư của người duyệt');
    expect(await emails.inputValue()).toBe('');
    expect(await page.getByLabel('Mỗi ý kiến chờ duyệt một thư').isChecked()).toBe(true);
    expect(await page.getByLabel('Số phút giữa hai thư tổng hợp (N)').isDisabled()).toBe(true);
    const save = page.getByRole('button', { name: 'Lưu thư báo' });

    // The browser's own check: a line that is no address is named, beside the field, and nothing is sent.
    await emails.fill('vanthu@tienngoc.quangnam.gov.vn\nchủ tịch xã');
    await save.click();
    const browserSays = 'Dòng 2 ("chủ tịch xã") chưa phải một địa chỉ thư hợp lệ, ví dụ vanthu@tienngoc.quangnam.gov.vn.';
    await section.getByRole('alert').filter({ hasText: browserSays }).waitFor();
    expect(await emails.getAttribute('aria-invalid')).toBe('true');
    expect(await emails.getAttribute('aria-describedby')).toBe('notify-emails-hint notify-emails-err');
    expect(await page.locator('#notify-emails-err').textContent()).toBe(browserSays);
    expect(await focusedId(page)).toBe('notify-emails');
    expect((await site()).notifyEmails).toEqual([]);

    // What only the server refuses (two dots in a row) comes back in words beside the same field.
    await emails.fill('vanthu@tienngoc.quangnam.gov.vn\nvan..thu@tienngoc.quangnam.gov.vn');
    await save.click();
    await page.locator('#notify-emails-err').filter({ hasText: 'Dòng 2 ("van..thu@tienngoc.quangnam.gov.vn") chưa phải một địa chỉ thư hợp lệ' }).waitFor();
    expect(await page.locator('#notify-emails-err').getAttribute('role')).toBe('alert');
    expect((await site()).notifyEmails).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await keep(section, 'console-site-notify-refused');

    // Saved: spaces, blank lines, upper case and a repeat are the server's to tidy; a digest every 30 minutes.
    await emails.fill('VanThu@TienNgoc.QuangNam.gov.vn\n  chutich@tienngoc.quangnam.gov.vn \n\nvanthu@tienngoc.quangnam.gov.vn');
    // Keyboard: the arrow key moves between the two choices, as in any radio group.
    await page.getByLabel('Mỗi ý kiến chờ duyệt một thư').focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.getByLabel('Thư tổng hợp mỗi N phút').isChecked()).toBe(true);
    const minutes = page.getByLabel('Số phút giữa hai thư tổng hợp (N)');
    expect(await minutes.isDisabled()).toBe(false);
    expect(await minutes.inputValue()).toBe('60');
    await minutes.fill('30');
    await save.click();
    await section.getByRole('status').filter({ hasText: 'Đã lưu: 2 người nhận thư báo.' }).waitFor();
    expect(await page.locator('#notify-emails-err').count()).toBe(0);
    expect(await emails.getAttribute('aria-invalid')).toBeNull();
    expect(await site()).toMatchObject({ notifyEmails: ['vanthu@tienngoc.quangnam.gov.vn', 'chutich@tienngoc.quangnam.gov.vn'], notifyDigestMinutes: 30 });
    expect(await emails.inputValue()).toBe('vanthu@tienngoc.quangnam.gov.vn\nchutich@tienngoc.quangnam.gov.vn');

    // After a reload the page shows what the server holds.
    await page.reload();
    await section.waitFor();
    expect(await emails.inputValue()).toBe('vanthu@tienngoc.quangnam.gov.vn\nchutich@tienngoc.quangnam.gov.vn');
    expect(await page.getByLabel('Thư tổng hợp mỗi N phút').isChecked()).toBe(true);
    expect(await minutes.inputValue()).toBe('30');
    expect(await axeViolations(page)).toEqual([]);
    await keep(section, 'console-site-notify');
    await shot(page, 'console-site-notify-page');
    await page.setViewportSize({ width: 375, height: 800 });
    expect(await overflowing(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });

    // Back to one mail per comment, and no address at all: the site sends no mail.
    await page.getByLabel('Mỗi ý kiến chờ duyệt một thư').check();
    await emails.fill('');
    await save.click();
    await section.getByRole('status').filter({ hasText: 'Đã lưu: trang này không gửi thư báo.' }).waitFor();
    expect(await site()).toMatchObject({ notifyEmails: [], notifyDigestMinutes: 0 });

    // The English table has the section's words too.
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { name: 'Mail to moderators' }).waitFor();
    expect(await page.getByLabel('A digest every N minutes').isChecked()).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('"Số liệu ban đầu": figures per option saved, counted in the results, read back; a negative one refused', async () => {
    await appWithAdmin();
    for (const [i, opt] of [0, 1].entries()) {
      const options = (await app.t.http.get(`/v1/polls/${DEMO_POLL_ID}`)).body.options as { id: string }[];
      const v = await app.t.http.post(`/v1/polls/${DEMO_POLL_ID}/votes`).set('User-Agent', 'Mozilla/5.0').send({ optionIds: [options[opt]!.id], voterId: `nguoi-binh-chon-${i}` });
      expect(v.status).toBe(201);
    }
    const { context, page, errors } = await openConsole(browser, { width: 1280, height: 900 }, OPEN);
    await signIn(page, app.origin, 'quantri', `#/polls?site=${DEMO_SITE_ID}`);
    await page.getByRole('button', { name: /Xin bạn cho ý kiến/ }).click();
    const section = page.locator('form', { has: page.getByRole('heading', { name: 'Số liệu ban đầu' }) });
    await section.getByText('Chưa có số liệu ban đầu.').waitFor();
    await section.getByText(/được cộng vào kết quả.*"Số phiếu ban đầu \(nhập từ hệ thống cũ\)" trong mọi tệp tải về/).waitFor();
    const field = (label: string) => section.getByLabel(label, { exact: true });
    expect(await field('Bình thường').inputValue()).toBe('0');
    expect(await field('Bình thường').getAttribute('aria-describedby')).toBe('start-hint');
    const save = page.getByRole('button', { name: 'Lưu số liệu ban đầu' });

    // A negative figure is stopped by the browser (the input's own rule), and nothing is sent.
    await field('Bình thường').fill('-5');
    await save.click();
    expect(await field('Bình thường').evaluate((e) => (e as HTMLInputElement).validity.rangeUnderflow)).toBe(true);
    expect((await app.t.admin.get(`/v1/admin/polls/${DEMO_POLL_ID}`)).body.results.startingTotal).toBeUndefined();

    await field('Bình thường').fill('1200');
    await field('Đẹp, tiện lợi tra cứu').fill('345');
    await save.click();
    await section.getByRole('status').filter({ hasText: 'Đã lưu: tổng 1.545 phiếu ban đầu.' }).waitFor();
    await section.getByText('Đang tính vào kết quả: 1.545 phiếu ban đầu trong tổng 1.547 lựa chọn.').waitFor();
    await page.getByText('Kết quả trên đã gồm 1.545 phiếu ban đầu từ hệ thống cũ.').waitFor();
    await page.getByText('1547 lựa chọn của 2 người').waitFor();
    const results = (await app.t.admin.get(`/v1/admin/polls/${DEMO_POLL_ID}`)).body.results;
    expect(results).toMatchObject({ total: 1547, voters: 2, startingTotal: 1545 });
    expect(results.options.map((o: { startingVotes: number }) => o.startingVotes)).toEqual([1200, 345, 0]);
    // Marked as such in the exports, as the section says.
    const csv = (await app.t.admin.get(`/v1/admin/polls/${DEMO_POLL_ID}/export?format=csv`)).text;
    expect(csv).toContain('Số phiếu ban đầu (nhập từ hệ thống cũ)');

    await page.reload();
    await page.getByRole('button', { name: /Xin bạn cho ý kiến/ }).click();
    await section.getByText('Đang tính vào kết quả: 1.545 phiếu ban đầu trong tổng 1.547 lựa chọn.').waitFor();
    expect([await field('Bình thường').inputValue(), await field('Đẹp, tiện lợi tra cứu').inputValue(), await field('Cần chỉnh sửa thêm').inputValue()]).toEqual(['1200', '345', '0']);
    expect(await axeViolations(page)).toEqual([]);
    await keep(section, 'console-poll-starting');
    await page.setViewportSize({ width: 375, height: 800 });
    expect(await overflowing(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });

    // Cleared: all zeros leave the poll without starting figures.
    for (const label of ['Bình thường', 'Đẹp, tiện lợi tra cứu']) await field(label).fill('0');
    await save.click();
    await section.getByRole('status').filter({ hasText: 'Đã lưu: tổng 0 phiếu ban đầu.' }).waitFor();
    await section.getByText('Chưa có số liệu ban đầu.').waitFor();
    expect((await app.t.admin.get(`/v1/admin/polls/${DEMO_POLL_ID}`)).body.results.total).toBe(2);
    expect(errors).toEqual([]);
    await context.close();
  });
});
