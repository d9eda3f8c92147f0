// The console in a real Chromium: people created with the CLI sign in, moderate with the keyboard
// and in bulk, are refused what is not theirs in plain words, and an admin creates a poll that the
// public API and the portal's poll page then show. axe-core checks each page; screenshots are kept
// for a person to look at when YKIEN_SCREENSHOTS names a folder.
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildConsole } from '../../scripts/build-console.mjs';
import { DEMO_SITE_ID, DEMO_THREAD } from '../../src/demo/seed.js';
import { runCommand } from '../helpers/cli.js';
import { launch, startApp } from '../widget/browser.js';
import { axeViolations, openConsole, overflowing, PASSWORD, shot, signIn } from './consoleBrowser.js';

let browser: Browser;
let app: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  await buildConsole();
  browser = await launch();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

// Each test its own app and database (the test helpers remove a test's database after it).
beforeEach(async () => {
  app = await startApp();
  const env = app.t.databaseEnv as Record<string, string>;
  const users = async (args: string[]) => {
    const r = await runCommand(['users', 'create', ...args, '--password-stdin'], { env, stdin: `${PASSWORD}\n` });
    if (r.code !== 0) throw new Error(`users create: ${r.err.join('\n')}`);
  };
  expect((await app.t.admin.post('/v1/admin/sites', { id: 'xa-khac', name: 'Cổng thông tin xã Tiên Cảnh', origins: [] })).status).toBe(201);
  await users(['--username', 'bientap', '--role', 'moderator', '--site', DEMO_SITE_ID]);
  await users(['--username', 'quantri', '--role', 'admin']);
}, 60_000);
afterEach(async () => {
  await app?.close();
});

let n = 0;
async function pending(content: string, site = DEMO_SITE_ID, name = 'Nguyễn Văn An'): Promise<string> {
  const res = await app.t.http
    .post(`/v1/sites/${site}/threads/${encodeURIComponent(DEMO_THREAD)}/comments`)
    .send({ name, address: `Thôn ${++n}`, email: `ban${n}@example.vn`, content });
  if (res.status !== 202) throw new Error(`post: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}
const statusOf = async (id: string) => (await app.t.admin.get(`/v1/admin/comments/${id}`)).body.status as string;
const publicThread = async () => (await app.t.http.get(`/v1/sites/${DEMO_SITE_ID}/threads/${encodeURIComponent(DEMO_THREAD)}/comments`)).body;

describe('the console in Chromium', () => {
  it('signs a moderator in; approves with the keyboard (j, a) and the comment is on the public thread', async () => {
    const first = await pending('Đề nghị xã công khai tiến độ làm đường thôn 3.');
    app.t.clock.advance(60_000); // the app's clock stands still otherwise: the queue's order is by time
    const second = await pending('Cảm ơn Ban biên tập đã đăng tin kịp thời.', DEMO_SITE_ID, 'Trần Thị Bích');
    const { context, page, errors } = await openConsole(browser, { width: 1280, height: 900 });
    await page.goto(`${app.origin}/admin/`);
    expect(await axeViolations(page)).toEqual([]);
    await signIn(page, app.origin, 'bientap');
    await page.getByRole('tab', { name: /Chờ duyệt \(2\)/ }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'console-queue-desktop');

    // Newest first: "j" goes to the first row (Bích's), "j" again to An's, "a" approves it.
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('Nguyễn Văn An');
    await page.keyboard.press('a');
    await page.getByText('Duyệt: 1 bình luận.').first().waitFor();
    expect(await statusOf(first)).toBe('approved');
    expect(await statusOf(second)).toBe('pending');
    const thread = await publicThread();
    expect(thread.comments.map((c: { id: string }) => c.id)).toContain(first);
    await page.getByRole('tab', { name: /Chờ duyệt \(1\)/ }).waitFor();

    // "?" lists the shortcuts; never while typing in a field.
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Phím tắt' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Đóng' }).click();
    await page.getByLabel('Tìm trong bình luận').fill('a?');
    expect(await page.getByRole('dialog', { name: 'Phím tắt' }).count()).toBe(0);
    expect(await statusOf(second)).toBe('pending');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('selects many and rejects them in one action', async () => {
    const ids = [await pending('Ý kiến thứ nhất về chợ.'), await pending('Ý kiến thứ hai về chợ.'), await pending('Ý kiến thứ ba về chợ.')];
    const { context, page, errors } = await openConsole(browser, { width: 1280, height: 900 });
    await signIn(page, app.origin, 'bientap');
    await page.getByRole('tab', { name: /Chờ duyệt/ }).first().waitFor();
    await page.getByLabel('Tìm trong bình luận').fill('về chợ');
    await page.getByRole('button', { name: 'Lọc', exact: true }).click();
    await page.getByRole('tab', { name: /Chờ duyệt \(3\)/ }).waitFor();
    await page.getByLabel('Chọn tất cả').check();
    await page.getByRole('group', { name: 'Thao tác với các bình luận đã chọn' }).getByRole('button', { name: 'Từ chối' }).click();
    await page.getByText('Từ chối: 3 bình luận.').first().waitFor();
    for (const id of ids) expect(await statusOf(id)).toBe('rejected');
    await page.getByRole('tab', { name: /Đã xóa \(3\)/ }).click();
    await page.getByText('Ý kiến thứ hai về chợ.').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('refuses another site\'s queue in plain words', async () => {
    const other = await pending('Bình luận của xã khác.', 'xa-khac');
    const { context, page } = await openConsole(browser, { width: 1280, height: 900 });
    await signIn(page, app.origin, 'bientap', '#/comments?site=xa-khac');
    await page.getByRole('alert').filter({ hasText: 'Bạn không có quyền với trang này.' }).first().waitFor();
    expect(await page.getByText('Bình luận của xã khác.').count()).toBe(0);
    expect(await page.getByRole('alert').first().textContent()).not.toMatch(/forbidden|403/);
    expect(await statusOf(other)).toBe('pending');
    await context.close();
  });

  it('shows a comment carrying markup as text, never as HTML', async () => {
    const evil = '<img src=x onerror="window.__pwned=1"><b>đậm</b>';
    await pending(evil);
    const { context, page, errors } = await openConsole(browser, { width: 1280, height: 900 });
    await signIn(page, app.origin, 'bientap');
    await page.getByText(evil).waitFor();
    expect(await page.evaluate(() => document.querySelectorAll('#app img, #app b').length)).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lets an admin create a poll that the public API and the portal\'s poll page show', async () => {
    const { context, page, errors } = await openConsole(browser, { width: 1280, height: 900 });
    await app.t.admin.patch(`/v1/admin/sites/${DEMO_SITE_ID}`, { timezone: 'Europe/Berlin' }).expect(200);
    await signIn(page, app.origin, 'quantri', `#/polls?site=${DEMO_SITE_ID}`);
    await page.getByRole('button', { name: 'Tạo bình chọn' }).click();
    await page.getByLabel('Câu hỏi').fill('Bạn đánh giá thế nào về dịch vụ công trực tuyến của xã?');
    await page.getByLabel('Phương án 1', { exact: true }).fill('Hài lòng');
    await page.getByLabel('Phương án 2', { exact: true }).fill('Chưa hài lòng');
    await page.getByRole('button', { name: 'Thêm phương án' }).click();
    await page.getByLabel('Phương án 3', { exact: true }).fill('Chưa sử dụng');
    // The closing time is typed in the site's zone (Berlin's summer time here), not the browser's (Vietnam).
    await page.getByLabel(/Đóng lúc \(giờ Europe\/Berlin/).fill('2030-06-08T08:00');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Tạo bình chọn' }).click();
    await page.getByRole('heading', { name: 'Bạn đánh giá thế nào về dịch vụ công trực tuyến của xã?' }).waitFor();

    const polls = (await app.t.admin.get(`/v1/admin/polls?site=${DEMO_SITE_ID}`)).body.polls as { id: string; question: string; closesAt: string | null }[];
    const made = polls.find((p) => p.question.startsWith('Bạn đánh giá'))!;
    expect(made.closesAt).toBe('2030-06-08T06:00:00.000Z');
    await app.t.admin.patch(`/v1/admin/sites/${DEMO_SITE_ID}`, { timezone: 'Asia/Ho_Chi_Minh' }).expect(200);
    const pub = await app.t.http.get(`/v1/polls/${made.id}`);
    expect(pub.status).toBe(200);
    expect(pub.body.options.map((o: { label: string }) => o.label)).toEqual(['Hài lòng', 'Chưa hài lòng', 'Chưa sử dụng']);
    const portal = await app.t.http.get(`/p/${made.id}`);
    expect(portal.text).toContain('Bạn đánh giá thế nào về dịch vụ công trực tuyến của xã?');

    // A few votes, then the results with bars and the timeline (a chart and its table).
    for (const [i, opt] of [0, 0, 1].entries()) {
      const v = await app.t.http.post(`/v1/polls/${made.id}/votes`).set('User-Agent', 'Mozilla/5.0').send({ optionIds: [pub.body.options[opt].id], voterId: `nguoi-binh-chon-${i}` });
      expect(v.status).toBe(201);
    }
    await page.getByRole('button', { name: 'Đóng bình chọn' }).click();
    await page.getByRole('button', { name: 'Mở lại' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: /Bạn đánh giá/ }).click();
    await page.getByText('3 lựa chọn của 3 người').waitFor();
    await page.getByRole('img', { name: 'Số lượt bình chọn theo ngày' }).waitFor();
    expect(await page.getByRole('link', { name: 'Kết quả (CSV)' }).getAttribute('href')).toBe(`/v1/admin/polls/${made.id}/export?format=csv`);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'console-polls-desktop');

    // Editing within the rules: relabelling an option with votes is refused, in words.
    await page.getByRole('button', { name: 'Sửa' }).click();
    await page.getByLabel('Phương án 1', { exact: true }).fill('Rất hài lòng');
    await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
    await page.getByRole('alert').filter({ hasText: 'Bình chọn đã có người bình chọn' }).waitFor();
    expect(errors.filter((e) => !/status of 409/.test(e))).toEqual([]); // the refusal the page showed in words
    await context.close();
  });

  it('works on a 375 px phone: the queue and the polls page', async () => {
    await pending('Đề nghị sửa chữa đèn chiếu sáng đường liên thôn.');
    const { context, page, errors } = await openConsole(browser, { width: 375, height: 812 }, { phone: true });
    await signIn(page, app.origin, 'quantri', `#/comments?site=${DEMO_SITE_ID}`);
    await page.getByRole('tab', { name: /Chờ duyệt/ }).first().waitFor();
    await page.getByText('Đề nghị sửa chữa đèn chiếu sáng đường liên thôn.').waitFor();
    // Nothing wider than the screen (named, when something is).
    expect(await overflowing(page)).toEqual([]);
    await shot(page, 'console-queue-phone');
    await page.getByRole('link', { name: 'Bình chọn' }).click();
    await page.getByRole('button', { name: /Xin bạn cho ý kiến/ }).click();
    await page.getByRole('heading', { name: 'Kết quả' }).waitFor();
    expect(await overflowing(page)).toEqual([]);
    await shot(page, 'console-polls-phone');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('after the session ends, asks to sign in again over the page, keeping what was typed', async () => {
    const id = await pending('Bình luận cần sửa trước khi duyệt: 0905 123 456.');
    const { context, page, errors } = await openConsole(browser, { width: 1280, height: 900 });
    await signIn(page, app.origin, 'bientap');
    await page.locator('article', { hasText: '0905 123 456' }).getByRole('button', { name: 'Sửa' }).click();
    // One comment is being edited: its text field names it from here on.
    const row = page.locator('article').filter({ has: page.getByLabel('Nội dung bình luận') });
    await row.getByLabel('Nội dung bình luận').fill('Bình luận đã sửa trước khi duyệt.');
    // The session ends elsewhere (logout everywhere from another tab).
    await context.clearCookies();
    await row.getByRole('button', { name: 'Lưu và duyệt' }).click();
    await page.getByRole('dialog').getByText('Phiên đăng nhập đã hết hạn').waitFor();
    await page.getByRole('dialog').getByLabel('Mật khẩu').fill(PASSWORD);
    await page.getByRole('dialog').getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await row.getByLabel('Nội dung bình luận').inputValue()).toBe('Bình luận đã sửa trước khi duyệt.');
    await row.getByRole('button', { name: 'Lưu và duyệt' }).click();
    await page.getByText('Duyệt: 1 bình luận.').first().waitFor();
    const c = (await app.t.admin.get(`/v1/admin/comments/${id}`)).body;
    expect(c).toMatchObject({ status: 'approved', content: 'Bình luận đã sửa trước khi duyệt.' });
    expect(errors.filter((e) => !/401/.test(e))).toEqual([]);
    await context.close();
  });
});
