// The console's admin pages in a real Chromium: Sites (with "Kiểm tra trang" and the embed snippets),
// Users, API keys and one's own account with two-factor setup. Each page is scanned with axe-core.
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { Secret, TOTP } from 'otpauth';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../scripts/build-console.mjs';
import { DEMO_SITE_ID } from '../../src/demo/seed.js';
import { runCommand } from '../helpers/cli.js';
import { launch, startApp } from '../widget/browser.js';
import { axeViolations, openConsole, type OpenOptions, overflowing, PASSWORD, shot, signIn, signInThroughForm } from './consoleBrowser.js';

// The refusals these tests provoke log 4xx; 8 s fails with the locator named, well before the test's own timeout.
const OPEN: OpenOptions = { expected: /40[01349]/, timeout: 8_000 };
const DOCS = path.resolve(import.meta.dirname, '../../docs/screenshots');
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

async function appWithAdmin(overrides: Parameters<typeof startApp>[0] = {}) {
  app = await startApp(overrides);
  const r = await runCommand(['users', 'create', '--username', 'quantri', '--role', 'admin', '--password-stdin'], { env: app.t.databaseEnv as Record<string, string>, stdin: `${PASSWORD}\n` });
  if (r.code !== 0) throw new Error(r.err.join('\n'));
}

describe('the console\'s admin pages in Chromium', { timeout: 60_000 }, () => {
  it('creates a site among hundreds, allows a page through "Kiểm tra trang", and copies a snippet', async () => {
    await appWithAdmin();
    // Hundreds of communes: the list filters as one types, accents optional.
    for (let i = 0; i < 300; i++) await app.t.services.sites.create({ id: `xa-${i}`, name: `Cổng thông tin xã số ${i}`, origins: [], premoderation: true }, 'cli');
    const { context, page, errors } = await openConsole(browser, { width: 1280, height: 900 }, OPEN);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin });
    page.on('dialog', (d) => void d.accept());
    await signIn(page, app.origin, 'quantri', '#/sites');
    await page.getByRole('heading', { name: 'Các trang' }).waitFor();
    await page.getByText('100 / 301 trang').waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Thêm trang' }).click();
    await page.getByLabel(/Mã trang/).fill('xa-tien-son');
    await page.getByLabel('Tên trang').fill('Cổng thông tin điện tử xã Tiên Sơn');
    await page.getByRole('button', { name: 'Tạo trang' }).click();
    await page.getByRole('heading', { name: /Cổng thông tin điện tử xã Tiên Sơn/ }).waitFor();
    expect(page.url()).toContain('#/sites/xa-tien-son');
    await page.getByRole('link', { name: /Về danh sách trang/ }).click();
    await page.getByLabel(/Tìm trang theo tên hoặc mã/).fill('tien son');
    await page.getByText('1 / 302 trang').waitFor();
    await page.getByRole('link', { name: 'Cổng thông tin điện tử xã Tiên Sơn' }).click();

    // "Kiểm tra trang": the server says the page's origin is not allowed, and the console adds it.
    const portal = 'https://tienson.tienphuoc.quangnam.gov.vn';
    await page.getByLabel('Dán địa chỉ một trang của cổng thông tin').fill(`${portal}/tin-tuc/2026/ke-hoach.html?id=4`);
    await page.getByRole('button', { name: 'Kiểm tra', exact: true }).click();
    await page.getByText(`Chưa được phép: địa chỉ gốc ${portal} chưa có trong danh sách.`).waitFor();
    await page.getByRole('button', { name: `Thêm ${portal} vào danh sách` }).click();
    await page.getByText(`Được phép: trang có địa chỉ gốc ${portal} hiện được các tiện ích.`).waitFor();
    expect((await app.t.admin.get('/v1/admin/sites/xa-tien-son')).body.origins).toEqual([portal]);
    // What the console said is what a browser on that portal meets.
    expect((await app.t.http.get('/v1/sites/xa-tien-son/threads/bai-1/comments').set('Origin', portal)).status).toBe(200);
    await page.getByRole('button', { name: `Bỏ ${portal}` }).waitFor();

    // A snippet copied with the Clipboard API, with a visible confirmation.
    await page.getByRole('button', { name: 'Sao chép: Bình luận (theo đường dẫn của bài)' }).click();
    await page.getByText('✓ Đã sao chép').waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(`<div data-ykien-comments="" data-ykien-site="xa-tien-son"></div>\n<noscript><p>Bật JavaScript để xem và gửi ý kiến.</p></noscript>\n<script src="${app.origin}/widget.js" async></script>`);
    expect(await page.getByLabel('Bình luận (theo đường dẫn của bài)', { exact: true }).inputValue()).toBe(copied);
    expect(await page.getByLabel('Bộ đếm tổng lượt truy cập', { exact: true }).inputValue()).toContain('data-ykien-site-visits data-ykien-site="xa-tien-son"');

    // Settings and starting figures reach the server.
    await page.getByLabel('Múi giờ').selectOption('Asia/Bangkok');
    await page.getByRole('button', { name: 'Lưu thông tin' }).click();
    await page.getByText('Đã lưu.').waitFor();
    expect((await app.t.admin.get('/v1/admin/sites/xa-tien-son')).body.timezone).toBe('Asia/Bangkok');
    expect(await page.locator('#site-zone option').first().textContent()).toBe('Asia/Ho_Chi_Minh');
    await page.getByLabel('Tổng số lượt truy cập', { exact: true }).fill('1204381');
    await page.getByRole('button', { name: 'Lưu số liệu' }).click();
    await page.getByText('Đã lưu: tổng 1.204.381 lượt truy cập.').waitFor();

    await page.evaluate(() => scrollTo(0, 0));
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'console-site', path.join(DOCS, 'console-site.png'));
    await page.setViewportSize({ width: 375, height: 800 });
    expect(await overflowing(page)).toEqual([]);
    await shot(page, 'console-site-phone');

    // Deleting needs the id typed.
    await page.setViewportSize({ width: 1280, height: 900 });
    const del = page.getByRole('button', { name: 'Xóa vĩnh viễn trang này' });
    expect(await del.isDisabled()).toBe(true);
    await page.getByLabel('Gõ mã trang "xa-tien-son" để xác nhận').fill('xa-tien-son');
    await del.click();
    await page.getByRole('heading', { name: 'Các trang' }).waitFor();
    expect((await app.t.admin.get('/v1/admin/sites/xa-tien-son')).status).toBe(404);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('creates a moderator of a site chosen among hundreds, who can then sign in; refuses disabling the last admin in words', async () => {
    await appWithAdmin();
    for (let i = 0; i < 200; i++) await app.t.services.sites.create({ id: `xa-${i}`, name: `Cổng thông tin xã số ${i}`, origins: [], premoderation: true }, 'cli');
    const { context, page, errors } = await openConsole(browser, { width: 1280, height: 900 }, OPEN);
    page.on('dialog', (d) => void d.accept());
    await signIn(page, app.origin, 'quantri', '#/users');
    await page.getByRole('button', { name: 'Thêm người dùng' }).click();
    await page.getByLabel(/^Tên đăng nhập/).fill('lan');
    await page.getByLabel('Họ và tên').fill('Nguyễn Thị Lan');
    await page.getByLabel('Tìm trang để giao (gõ không dấu cũng được)').fill('tien ngoc');
    await page.getByRole('checkbox', { name: /tienngoc/ }).check();
    await page.getByText('Đã chọn 1 trang').waitFor();
    await page.getByLabel('Mật khẩu', { exact: true }).fill('123456789a');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Tạo người dùng' }).click();
    // The server's refusal in words, not a code.
    await page.getByRole('alert').filter({ hasText: 'danh sách mật khẩu phổ biến' }).waitFor();
    await page.getByLabel('Mật khẩu', { exact: true }).fill('Lúa-chín-vàng-đồng-2026');
    await page.getByRole('button', { name: 'Tạo người dùng' }).click();
    await page.getByText('Đã tạo người dùng Nguyễn Thị Lan.').waitFor();
    expect((await app.t.admin.get('/v1/admin/users/lan')).body).toMatchObject({ role: 'moderator', sites: [DEMO_SITE_ID] });

    // The last admin cannot be disabled: said in words.
    await page.getByRole('button', { name: /^Khóa tài khoản: Quản trị|^Khóa tài khoản: quantri/ }).click();
    await page.getByRole('alert').filter({ hasText: 'quản trị viên cuối cùng' }).waitFor();
    expect((await app.t.admin.get('/v1/admin/users/quantri')).body.disabled).toBe(false);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'console-users');
    await page.setViewportSize({ width: 375, height: 800 });
    expect(await overflowing(page)).toEqual([]);
    await shot(page, 'console-users-phone');
    await context.close();

    // The new moderator signs in and sees the queue of her site.
    const second = await openConsole(browser, { width: 1280, height: 900 }, OPEN);
    await signIn(second.page, app.origin, 'lan', '', 'Lúa-chín-vàng-đồng-2026');
    await second.page.getByRole('tab', { name: /Chờ duyệt/ }).first().waitFor();
    expect(await second.page.getByRole('link', { name: 'Người dùng' }).count()).toBe(0);
    expect([...errors, ...second.errors], JSON.stringify([...errors, ...second.errors])).toEqual([]);
    await second.context.close();
  });

  it('creates an API key shown once, which works, and revokes it after asking: it gets 401', async () => {
    await appWithAdmin();
    const { context, page, errors } = await openConsole(browser, { width: 1280, height: 900 }, OPEN);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin });
    let asked = '';
    page.on('dialog', (d) => ((asked = d.message()), void d.accept()));
    await signIn(page, app.origin, 'quantri', '#/keys');
    await page.getByLabel(/^Tên khóa/).fill('Sao lưu hằng đêm');
    await page.getByLabel('Quyền').selectOption('admin');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Tạo khóa' }).click();
    await page.getByRole('heading', { name: 'Khóa mới: Sao lưu hằng đêm' }).waitFor();
    await page.getByText('sẽ không bao giờ hiện lại được').waitFor();
    const key = await page.getByLabel('Khóa API (chỉ hiện một lần)', { exact: true }).inputValue();
    expect(key).toMatch(/^yk_/);
    await page.getByRole('button', { name: 'Sao chép: Khóa API (chỉ hiện một lần)' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    expect(await axeViolations(page)).toEqual([]);
    const asKey = () => app.t.http.get('/v1/admin/sites').set('Authorization', `Bearer ${key}`);
    expect((await asKey()).status).toBe(200);
    await page.getByRole('button', { name: 'Tôi đã cất khóa' }).click();
    expect(await page.getByText(key).count()).toBe(0);
    await page.getByRole('button', { name: 'Thu hồi khóa Sao lưu hằng đêm' }).click();
    await page.getByText('Đã thu hồi khóa Sao lưu hằng đêm.').waitFor();
    expect(asked).toContain('Thu hồi khóa "Sao lưu hằng đêm"?');
    expect((await asKey()).status).toBe(401);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('sets up two-factor sign-in from "My account" with a code computed here, and signs in again with it', async () => {
    await appWithAdmin();
    const { context, page, errors } = await openConsole(browser, { width: 1280, height: 900 }, OPEN);
    await signIn(page, app.origin, 'quantri');
    await page.getByRole('link', { name: /Đang đăng nhập:/ }).click();
    await page.getByRole('heading', { name: 'Tài khoản của tôi' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Bật xác thực hai lớp' }).click();
    await page.getByRole('img', { name: 'Mã QR để thêm tài khoản vào ứng dụng xác thực' }).waitFor();
    const secret = (await page.locator('.secret').textContent())!.replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(await axeViolations(page)).toEqual([]);
    const totp = new TOTP({ secret: Secret.fromBase32(secret) });
    await page.getByLabel('2. Nhập mã 6 số ứng dụng đang hiện').fill(totp.generate({ timestamp: app.t.clock.now() }));
    await page.getByRole('button', { name: 'Xác nhận và bật' }).click();
    await page.getByRole('heading', { name: 'Mã khôi phục' }).waitFor();
    expect(await page.locator('ol.codes li').count()).toBe(10);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Tôi đã cất các mã' }).click();
    await page.getByText('Đang bật: mỗi lần đăng nhập').waitFor();
    await page.getByRole('button', { name: 'Đăng xuất', exact: true }).click();

    // Signing in again asks for the code (the next one: each works once).
    app.t.clock.advance(30_000);
    await signInThroughForm(page, app.origin, 'quantri');
    await page.getByLabel('Mã xác thực (6 số) hoặc mã khôi phục').fill(totp.generate({ timestamp: app.t.clock.now() }));
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('button', { name: 'Đăng xuất', exact: true }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows the two-factor setup instead of a dead end when admins must have it', async () => {
    await appWithAdmin({ REQUIRE_TOTP_FOR_ADMINS: true });
    const { context, page, errors } = await openConsole(browser, { width: 375, height: 800 }, { ...OPEN, phone: true });
    await signIn(page, app.origin, 'quantri');
    await page.getByText('Tài khoản quản trị phải bật xác thực hai lớp trước khi dùng trang quản trị.').waitFor();
    await page.getByRole('button', { name: 'Bật xác thực hai lớp' }).click();
    const secret = (await page.locator('.secret').textContent())!.replace(/\s/g, '');
    expect(await axeViolations(page)).toEqual([]);
    expect(await overflowing(page)).toEqual([]);
    await page.getByLabel('2. Nhập mã 6 số ứng dụng đang hiện').fill(new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: app.t.clock.now() }));
    await page.getByRole('button', { name: 'Xác nhận và bật' }).click();
    await page.getByRole('button', { name: 'Tôi đã cất các mã' }).click();
    // Full rights now: the queue and the admin pages.
    await page.getByRole('link', { name: 'Người dùng' }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
