import type { Browser, Request } from 'playwright-core';
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

/** The app and a portal page at `path` embedding the widget, with the portal's origin allowed. */
async function portal(overrides: Parameters<typeof startApp>[0] = {}, path = '/tin-tuc/ke-hoach-206.html', thread = DEMO_THREAD) {
  const app = await startApp(overrides);
  const fixture = await startFixture({ [path]: { body: articlePage(app.origin, thread) } });
  await app.t.services.sites.update(DEMO_SITE_ID, { origins: [app.origin, fixture.origin] }, 'test');
  return {
    app,
    url: `${fixture.origin}${path}`,
    close: async () => {
      await fixture.close();
      await app.close();
    },
  };
}

const rows = (app: Awaited<ReturnType<typeof startApp>>) => app.t.db.prepare('SELECT COUNT(*) FROM comments').pluck().get() as number;

describe('comment form: a lost answer, then "Thử lại"', () => {
  it('stores the comment once and asks for no second captcha; the button says "Đang gửi…" meanwhile', async () => {
    const p = await portal({ CAPTCHA: 'svg' });
    const { page, context } = await newPage(browser);
    const keys: (string | undefined)[] = [];
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    try {
      await page.route('**/comments', async (route) => {
        if (route.request().method() !== 'POST') return route.continue();
        keys.push(await route.request().headerValue('idempotency-key') ?? undefined);
        if (keys.length > 1) return route.continue();
        // The first post reaches the service and is stored, but its answer never comes back
        // (the widget's 15 s timeout, a dropped mobile connection).
        await held;
        await route.fetch();
        await route.abort('timedout');
      });
      await page.goto(p.url);
      const box = page.locator('#comments');
      await box.locator('.cap-img img[src^="data:"]').waitFor();
      const answer = p.app.t.db.prepare('SELECT answer FROM captchas ORDER BY created_at DESC, rowid DESC LIMIT 1').pluck().get() as string;
      await box.getByLabel('Họ và tên').fill('Lê Thị Hoa');
      await box.getByLabel('Nội dung').fill('Đề nghị xã bố trí thêm điểm hỗ trợ dịch vụ công trực tuyến.');
      await box.getByLabel('Mã xác nhận').fill(answer);
      const send = box.getByRole('button', { name: /Gửi ý kiến|Đang gửi/ });
      await send.click();
      await expect.poll(() => send.textContent()).toBe('Đang gửi…');
      expect(await send.isDisabled()).toBe(true);
      release();
      await expect.poll(() => box.getByRole('alert').textContent()).toBe('Không kết nối được máy chủ. Thử lại');
      expect(rows(p.app)).toBe(1); // it was stored all the same
      await box.getByRole('button', { name: 'Thử lại' }).click();
      await expect.poll(() => box.getByRole('status').textContent()).toBe('Ý kiến của bạn đã được gửi và đang chờ kiểm duyệt.');
      expect(rows(p.app)).toBe(1);
      expect(keys).toHaveLength(2);
      expect(keys[0]).toMatch(/^"[A-Za-z0-9_-]{16}"$/);
      expect(keys[1]).toBe(keys[0]);

      // The next comment is a new submission with a new key.
      await box.locator('.cap-img img[src^="data:"]').waitFor();
      await expect.poll(() => p.app.t.db.prepare('SELECT COUNT(*) FROM captchas').pluck().get()).toBe(1);
      await box.getByLabel('Họ và tên').fill('Lê Thị Hoa');
      await box.getByLabel('Nội dung').fill('Và công khai lịch tiếp công dân.');
      await box.getByLabel('Mã xác nhận').fill(p.app.t.db.prepare('SELECT answer FROM captchas').pluck().get() as string);
      await send.click();
      await expect.poll(() => rows(p.app)).toBe(2);
      expect(keys[2]).toMatch(/^"[A-Za-z0-9_-]{16}"$/);
      expect(keys[2]).not.toBe(keys[0]);
    } finally {
      release();
      await context.close();
      await p.close();
    }
  });
});

describe('comment form on a shared office computer', () => {
  it('keeps name, address and e-mail only when "Ghi nhớ thông tin của tôi" is ticked, and shows the writer their pending comment', async () => {
    const p = await portal();
    const { page, errors, context } = await newPage(browser, { phone: true });
    const stored = () => page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    try {
      await page.goto(p.url);
      const box = page.locator('#comments');
      const remember = box.getByLabel('Ghi nhớ thông tin của tôi');
      const name = box.getByLabel('Họ và tên');
      const content = box.getByLabel('Nội dung');
      await expect.poll(() => box.getByText('Chưa có ý kiến nào.').count()).toBe(1);
      expect(await remember.isChecked()).toBe(false);

      // Typing without the tick: the comment survives a reload of the tab, the writer does not.
      await name.fill('Nguyễn Thị Mai');
      await box.getByLabel('Địa chỉ').fill('Thôn 2, xã Tiên Ngọc');
      await box.getByLabel('Email').fill('mai.nguyen@example.vn');
      await content.fill('Đề nghị sửa đèn đường thôn 2.');
      expect(await stored()).not.toMatch(/Mai|mai\.nguyen|Thôn 2/);
      await page.reload();
      await expect.poll(() => content.inputValue()).toBe('Đề nghị sửa đèn đường thôn 2.');
      expect([await name.inputValue(), await box.getByLabel('Email').inputValue(), await box.getByLabel('Địa chỉ').inputValue()]).toEqual(['', '', '']);

      await name.fill('Nguyễn Thị Mai');
      await box.getByLabel('Địa chỉ').fill('Thôn 2, xã Tiên Ngọc');
      await box.getByLabel('Email').fill('mai.nguyen@example.vn');
      await box.getByRole('button', { name: 'Gửi ý kiến' }).click();
      await expect.poll(() => box.getByRole('status').textContent()).toBe('Ý kiến của bạn đã được gửi và đang chờ kiểm duyệt.');
      // The next person at this computer finds an empty form and nothing stored...
      expect([await name.inputValue(), await box.getByLabel('Địa chỉ').inputValue(), await box.getByLabel('Email').inputValue(), await content.inputValue()]).toEqual(['', '', '', '']);
      expect(await stored()).not.toMatch(/Mai|mai\.nguyen|Thôn 2|đèn đường/);
      // ...while the writer sees what they sent, marked as waiting for a moderator.
      const mine = box.locator('li.mine');
      expect(await mine.locator('.cn').textContent()).toBe('Nguyễn Thị Mai');
      expect(await mine.locator('.cc').textContent()).toBe('Đề nghị sửa đèn đường thôn 2.');
      expect(await mine.locator('.aw').textContent()).toBe('Đang chờ kiểm duyệt');
      expect(await mine.textContent()).toContain('Thôn 2, xã Tiên Ngọc');
      expect(await mine.textContent()).not.toContain('mai.nguyen');
      expect(await box.getByText('Chưa có ý kiến nào.').count()).toBe(0);
      expect(await box.locator('h2').textContent()).toBe('Ý kiến bạn đọc: (0)'); // not published yet
      await keep(page, 'phone-pending', { comments: box.locator('.yk') });
      expect(await axeViolations(page)).toEqual([]);
      // For this page view only.
      await page.reload();
      await expect.poll(() => box.getByText('Chưa có ý kiến nào.').count()).toBe(1);
      expect(await box.locator('li.mine').count()).toBe(0);

      // With the tick, the details are there on the next visit, and stay after sending.
      await remember.check();
      await name.fill('Nguyễn Thị Mai');
      await box.getByLabel('Email').fill('mai.nguyen@example.vn');
      expect(JSON.parse((await page.evaluate(() => localStorage.getItem('ykien:me')))!)).toEqual({ name: 'Nguyễn Thị Mai', address: '', email: 'mai.nguyen@example.vn' });
      await page.reload();
      await expect.poll(() => name.inputValue()).toBe('Nguyễn Thị Mai');
      expect(await remember.isChecked()).toBe(true);

      // A reply to a published comment shows under it, awaiting moderation.
      const first = (await p.app.t.admin.get(`/v1/admin/comments?site=${DEMO_SITE_ID}&status=pending`)).body.comments[0].id;
      expect((await p.app.t.admin.post(`/v1/admin/comments/${first}/approve`)).status).toBe(200);
      await page.reload();
      await box.getByRole('button', { name: 'Trả lời' }).click();
      await content.fill('Bổ sung: cả đoạn gần trường học.');
      await box.getByRole('button', { name: 'Gửi ý kiến' }).click();
      await expect.poll(() => box.locator('li.c > ul > li.mine .cc').textContent()).toBe('Bổ sung: cả đoạn gần trường học.');
      expect(await name.inputValue()).toBe('Nguyễn Thị Mai');
      expect(await content.inputValue()).toBe('');

      // Unticking forgets at once.
      await remember.uncheck();
      expect(await page.evaluate(() => localStorage.getItem('ykien:me'))).toBeNull();
      await page.reload();
      await expect.poll(() => box.locator('h2').textContent()).toBe('Ý kiến bạn đọc: (1)');
      expect(await name.inputValue()).toBe('');
      expect(await remember.isChecked()).toBe(false);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await p.close();
    }
  });

  it('the same comment sent again with a new key (say, after a reload) is refused as already sent, not stored twice', async () => {
    const p = await portal();
    const { page, context } = await newPage(browser);
    try {
      await page.goto(p.url);
      const box = page.locator('#comments');
      await box.getByLabel('Họ và tên').fill('Trần Văn Nam');
      await box.getByLabel('Nội dung').fill('Đồng ý với kế hoạch.');
      await box.getByRole('button', { name: 'Gửi ý kiến' }).click();
      await expect.poll(() => box.getByRole('status').textContent()).toBe('Ý kiến của bạn đã được gửi và đang chờ kiểm duyệt.');
      await box.getByLabel('Họ và tên').fill('Trần Văn Nam');
      await box.getByLabel('Nội dung').fill('Đồng ý với kế hoạch.');
      await box.getByRole('button', { name: 'Gửi ý kiến' }).click();
      await expect.poll(() => box.getByRole('status').textContent()).toBe('Bạn đã gửi ý kiến này rồi; ý kiến đang chờ kiểm duyệt hoặc đã được đăng.');
      expect(await box.getByLabel('Nội dung').inputValue()).toBe('');
      expect(rows(p.app)).toBe(1);
    } finally {
      await context.close();
      await p.close();
    }
  });
});

describe('comments list', () => {
  it('renders names, addresses and contents isolated (dir=auto), so an override cannot pull its neighbours around', async () => {
    const p = await portal();
    await p.app.t.services.sites.update(DEMO_SITE_ID, { premoderation: false }, 'test');
    const res = await p.app.t.http.post(`/v1/sites/${DEMO_SITE_ID}/threads/${DEMO_THREAD}/comments`).send({ name: 'x', address: 'Thôn 3, Tiên Ngọc', content: 'Nội dung' });
    expect(res.status).toBe(201);
    // As a row stored before the service stripped bidi controls could hold it: "UBND xã" in reversed letters.
    p.app.t.db.prepare('UPDATE comments SET name = ?, content = ? WHERE id = ?').run('\u202Eãx DNBU', '\u202Eíhp gnóđ nêc\u202C. Xem thêm tại trang xã.', res.body.id);
    const { page, errors, context } = await newPage(browser);
    try {
      await page.goto(p.url);
      const box = page.locator('#comments');
      await box.locator('.cn').waitFor();
      const got = await box.locator('li.c').first().evaluate((li) => {
        const el = (sel: string) => li.querySelector(sel) as HTMLElement;
        const name = el('.cn');
        const address = el('.cm [dir]');
        const shown = (e: HTMLElement) => ({ dir: e.getAttribute('dir'), bidi: getComputedStyle(e).unicodeBidi, left: e.getBoundingClientRect().left, right: e.getBoundingClientRect().right });
        return { name: shown(name), address: shown(address), content: shown(el('.cc')), addressText: address.textContent };
      });
      for (const part of [got.name, got.address, got.content]) expect([part.dir, part.bidi]).toEqual(['auto', 'isolate']);
      expect(got.addressText).toBe('Thôn 3, Tiên Ngọc');
      // The address stays to the right of the name, where it belongs.
      expect(got.address.left).toBeGreaterThanOrEqual(got.name.right);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await p.close();
    }
  });

  it('shows no "(0)" before the count has arrived', async () => {
    const p = await portal();
    const { page, context } = await newPage(browser);
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    try {
      await page.route('**/comments', async (route) => {
        await held;
        await route.continue();
      });
      await page.goto(p.url);
      const title = page.locator('#comments h2');
      await expect.poll(() => title.textContent()).toBe('Ý kiến bạn đọc');
      expect(await page.locator('#comments').getByText('Đang tải…').count()).toBe(1);
      release();
      await expect.poll(() => title.textContent()).toBe('Ý kiến bạn đọc: (0)');
    } finally {
      release();
      await context.close();
      await p.close();
    }
  });

  it('an empty data-ykien-comments is the page path, sent through one encodeURIComponent, the same key as the views', async () => {
    const p = await portal({ RATE_LIMIT_VIEWS_PER_MIN: 0 }, '/tin-tuc/ke-hoach-206.html', '');
    const { page, context } = await newPage(browser);
    const seen: Request[] = [];
    page.on('request', (r) => (r.url().includes('/threads/') || r.url().includes('/pages/')) && seen.push(r));
    try {
      await page.goto(p.url);
      await expect.poll(() => seen.length).toBeGreaterThan(1);
      // The whole path is one URL segment: "/" encoded once as %2F, nothing encoded twice.
      const paths = seen.map((r) => new URL(r.url()).pathname);
      expect(paths).toContain(`/v1/sites/${DEMO_SITE_ID}/threads/%2Ftin-tuc%2Fke-hoach-206.html/comments`);
      expect(paths).toContain(`/v1/sites/${DEMO_SITE_ID}/pages/%2Ftin-tuc%2Fke-hoach-206.html/views`);
      // End to end: the thread loads and takes a comment; the view is counted under the same key.
      const box = page.locator('#comments');
      await expect.poll(() => box.getByText('Chưa có ý kiến nào.').count()).toBe(1);
      await box.getByLabel('Họ và tên').fill('Phan Thị Hoa');
      await box.getByLabel('Nội dung').fill('Bài viết có đường dẫn vẫn nhận ý kiến.');
      await box.getByRole('button', { name: 'Gửi ý kiến' }).click();
      await expect.poll(() => box.getByText('Đang chờ kiểm duyệt', { exact: true }).count()).toBe(1);
      const db = p.app.t.db;
      expect(db.prepare('SELECT DISTINCT thread_key FROM comments').pluck().all()).toEqual(['/tin-tuc/ke-hoach-206.html']);
      await expect.poll(() => page.locator('#views').textContent()).toBe('1');
      expect(db.prepare('SELECT page_key, views FROM counter_pages').all()).toEqual([{ page_key: '/tin-tuc/ke-hoach-206.html', views: 1 }]);
    } finally {
      await context.close();
      await p.close();
    }
  });
});
