// The province overview and the audit log in a real Chromium, signed in as an admin made by the CLI:
// the sites that wait longest come first and link to their queue; one template's results stand side by
// side; the log filters by action and shows an edit's text before and after. axe-core on both pages,
// desktop and phone.
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildConsole } from '../../scripts/build-console.mjs';
import type { AdminSurvey } from '../../src/api/surveys.js';
import { runCommand } from '../helpers/cli.js';
import { launch, startApp } from '../widget/browser.js';
import { axeViolations, openConsole, overflowing, PASSWORD, shot, signIn } from './consoleBrowser.js';

const DAY = 24 * 60 * 60_000;
let browser: Browser;
let app: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  await buildConsole();
  browser = await launch();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  app = await startApp();
  const r = await runCommand(['users', 'create', '--username', 'quantri', '--role', 'admin', '--password-stdin'], { env: app.t.databaseEnv as Record<string, string>, stdin: `${PASSWORD}\n` });
  if (r.code !== 0) throw new Error(`users create: ${r.err.join('\n')}`);
  for (const [id, name] of [['xa-an-binh', 'Xã An Bình'], ['xa-binh-minh', 'Xã Bình Minh']]) {
    expect((await app.t.admin.post('/v1/admin/sites', { id, name, origins: [] })).status).toBe(201);
  }
}, 60_000);
afterEach(async () => {
  await app?.close();
});

async function pending(site: string, content: string): Promise<string> {
  const res = await app.t.http.post(`/v1/sites/${site}/threads/thong-bao/comments`).send({ name: 'Nguyễn Văn An', content });
  if (res.status !== 202) throw new Error(`post: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

async function templateSurveys() {
  for (const [site, scores] of [['xa-an-binh', [5, 4]], ['xa-binh-minh', [2]]] as const) {
    const s = (await app.t.admin.post('/v1/admin/surveys', { site, template: 'hai-long-dich-vu-cong' })).body as AdminSurvey;
    for (const [n, score] of scores.entries()) {
      const answers: Record<string, unknown> = {};
      for (const q of s.questions) {
        if (q.type === 'single') answers[q.id] = q.options[n % q.options.length]!.id;
        else if (q.type === 'scale') answers[q.id] = score;
        else if (q.type === 'matrix') answers[q.id] = Object.fromEntries(q.items.map((i) => [i.id, score]));
      }
      expect((await app.t.http.post(`/v1/surveys/${s.id}/responses`).send({ respondentId: `nguoi-${site}-${n}`, answers })).status).toBe(201);
    }
  }
}

describe('the province overview and the audit log in Chromium', () => {
  it('shows the sites that wait longest first, links each to its queue, and puts one template\'s communes side by side', async () => {
    await pending('xa-binh-minh', 'Đề nghị sửa cầu tràn thôn 2.');
    app.t.clock.advance(2 * DAY);
    await pending('xa-an-binh', 'Xin lịch tiếp công dân tháng này.');
    await pending('xa-an-binh', 'Cảm ơn xã đã làm đường.');
    app.t.clock.advance(DAY);
    await templateSurveys();

    const { context, page, errors } = await openConsole(browser, { width: 1280, height: 900 });
    await signIn(page, app.origin, 'quantri', '#/overview');
    const table = page.getByRole('table', { name: 'Việc đang chờ ở từng trang' });
    await table.waitFor();
    const rows = table.locator('tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
    // Oldest waiting first: Bình Minh's comment is three days old, An Bình's two are one day old.
    expect(await rows.nth(0).locator('th').textContent()).toContain('Xã Bình Minh');
    expect(await rows.nth(0).textContent()).toContain('3 ngày trước');
    expect(await rows.nth(1).locator('th').textContent()).toContain('Xã An Bình');
    expect((await rows.nth(1).locator('td').first().textContent())?.trim()).toBe('2');
    expect(await table.locator('tfoot').textContent()).toContain('Toàn tỉnh');

    // The side-by-side table: two communes and the province.
    const side = page.getByRole('table', { name: /Kết quả theo từng đơn vị/ });
    await side.waitFor();
    const names = await side.locator('tbody th[scope="row"]').allTextContents();
    expect(names).toEqual(expect.arrayContaining(['Xã An Bình xa-an-binh', 'Xã Bình Minh xa-binh-minh']));
    expect(await side.locator('tfoot th').textContent()).toBe('Toàn tỉnh');
    const meanColumn = side.locator('thead tr').nth(1).locator('th').filter({ hasText: 'Điểm TB' });
    expect(await meanColumn.count()).toBe(1);
    // The overall question's mean (q8): 4,50 and 2,00 side by side; the province row is the API's pooled figure.
    const q8 = async (row: import('playwright-core').Locator) => (await row.locator('td').nth(1 + 6 + 4 + 3 + 3 + 4 + 5 + 3).textContent())?.trim();
    expect(await q8(side.locator('tbody tr').filter({ hasText: 'Xã An Bình' }))).toBe('4,50');
    expect(await q8(side.locator('tbody tr').filter({ hasText: 'Xã Bình Minh' }))).toBe('2,00');
    const api = (await app.t.admin.get('/v1/admin/surveys/templates/hai-long-dich-vu-cong/results')).body;
    const pooled = api.province.questions[7].mean as number;
    expect(await q8(side.locator('tfoot tr'))).toBe(pooled.toLocaleString('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
    expect(await page.getByRole('link', { name: 'Tải CSV (Excel)' }).getAttribute('href')).toBe('/v1/admin/surveys/templates/hai-long-dich-vu-cong/results/export?format=csv');
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'console-overview');

    // A site's name leads to its queue.
    await page.getByRole('link', { name: 'Mở hàng chờ của Xã Bình Minh' }).click();
    await page.getByText('Đề nghị sửa cầu tràn thôn 2.').waitFor();
    expect(new URL(page.url()).hash).toBe('#/comments?site=xa-binh-minh');
    expect(await page.getByText('Xin lịch tiếp công dân tháng này.').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('filters the audit log by action and shows a comment edit\'s text before and after', async () => {
    const edited = await pending('xa-an-binh', 'Đề nghị xã công khai kinh phí làm đường thôn 3 năm 2026.');
    const other = await pending('xa-binh-minh', 'Ý kiến khác.');
    expect((await app.t.admin.patch(`/v1/admin/comments/${edited}`, { content: 'Đề nghị xã công khai kinh phí làm đường thôn 3.' })).status).toBe(200);
    expect((await app.t.admin.post(`/v1/admin/comments/${other}/approve`)).status).toBe(200);

    const { context, page, errors } = await openConsole(browser, { width: 1280, height: 900 });
    await signIn(page, app.origin, 'quantri', '#/audit');
    const list = page.getByRole('list', { name: 'Các mục nhật ký' });
    await list.getByText('Duyệt bình luận').waitFor();
    await page.getByLabel('Thao tác', { exact: true }).selectOption({ label: 'Sửa bình luận' });
    await page.getByRole('button', { name: 'Lọc', exact: true }).click();
    await expect.poll(() => list.getByText('Duyệt bình luận').count()).toBe(0);
    const entries = list.locator('li.entry');
    expect(await entries.count()).toBe(1);
    const entry = entries.first();
    expect(await entry.getByRole('heading', { name: 'Trước khi sửa' }).count()).toBe(1);
    expect(await entry.locator('.diff > div').nth(0).textContent()).toContain('Đề nghị xã công khai kinh phí làm đường thôn 3 năm 2026.');
    expect(await entry.locator('.diff > div').nth(1).textContent()).toContain('Đề nghị xã công khai kinh phí làm đường thôn 3.');
    expect(await entry.textContent()).not.toContain('{');
    expect(await entry.textContent()).toContain('bởi Test admin');
    expect(await axeViolations(page)).toEqual([]);

    // One comment's history, from its entry.
    await entry.getByRole('button', { name: 'Xem lịch sử của mục này' }).click();
    await page.getByText(`Đang xem lịch sử của Bình luận ${edited}`).waitFor();
    expect(await entries.count()).toBe(1);
    await shot(page, 'console-audit');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('works on a 375 px phone: the overview scrolls its tables, the audit log fits', async () => {
    await pending('xa-binh-minh', 'Đề nghị sửa cầu tràn thôn 2.');
    await templateSurveys();
    const { context, page, errors } = await openConsole(browser, { width: 375, height: 812 }, { phone: true });
    await signIn(page, app.origin, 'quantri', '#/overview');
    await page.getByRole('table', { name: /Kết quả theo từng đơn vị/ }).waitFor();
    expect(await overflowing(page, { except: '.table-scroll' })).toEqual([]);
    // The commune column stays put while the figures scroll under it.
    const region = page.getByRole('region', { name: /Kết quả theo từng đơn vị/ });
    const cell = region.locator('tbody th').first();
    const before = (await cell.boundingBox())!.x;
    await region.evaluate((e) => (e.scrollLeft = 600));
    expect(Math.abs((await cell.boundingBox())!.x - before)).toBeLessThan(1);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'console-overview-phone');
    await page.getByRole('link', { name: 'Nhật ký' }).click();
    await page.getByRole('heading', { name: 'Nhật ký thao tác' }).waitFor();
    await page.getByRole('list', { name: 'Các mục nhật ký' }).waitFor();
    expect(await overflowing(page, { except: '.table-scroll' })).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'console-audit-phone');
    expect(errors).toEqual([]);
    await context.close();
  });
});
