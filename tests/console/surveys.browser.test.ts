// Issue 15's "Done when" for polls and surveys, in a real Chromium: an admin created with the CLI builds a
// survey and a poll in the console, a portal page on another origin shows them through the widget, and a
// response sent there shows in the console's results. Also: the builder's and the edit rules' refusals in
// words at the right field, axe-core on every survey page, and the pages at 375 px. Screenshots are kept for
// a person to look at when YKIEN_SCREENSHOTS names a folder.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildConsole } from '../../scripts/build-console.mjs';
import type { AdminSurvey } from '../../src/api/surveys.js';
import { DEMO_SITE_ID } from '../../src/demo/seed.js';
import { runCommand } from '../helpers/cli.js';
import { launch, newPage, startApp, startFixture } from '../widget/browser.js';
import { axeViolations, openConsole, overflowing, PASSWORD, shot, signIn } from './consoleBrowser.js';

/** Whole forms typed key by key with axe scans between: minutes, not seconds, on a loaded shared machine. */
const BROWSER_TIMEOUT = 240_000;
let browser: Browser;
let app: Awaited<ReturnType<typeof startApp>>;
let portal: Awaited<ReturnType<typeof startFixture>> | undefined;

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
}, 60_000);
afterEach(async () => {
  await portal?.close();
  portal = undefined;
  await app?.close();
});

/** A commune portal on another origin, allowed for the site, embedding the widget with one script tag. */
async function portalWith(markup: string) {
  const body = `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cổng thông tin điện tử xã Tiên Ngọc</title><link rel="icon" href="data:,"></head>
<body><main><h1>Lấy ý kiến người dân</h1>${markup}</main>
<script src="${app.origin}/widget.js" async></script></body></html>`;
  portal = await startFixture({ '/y-kien.html': { body } });
  await app.t.services.sites.update(DEMO_SITE_ID, { origins: [app.origin, portal.origin] }, 'test');
  return `${portal.origin}/y-kien.html`;
}

const surveysOf = async () => (await app.t.admin.get(`/v1/admin/surveys?site=${DEMO_SITE_ID}`)).body.surveys as AdminSurvey[];

/** A question's card in the builder, by its number. */
const card = (page: Page, n: number) => page.getByRole('group', { name: new RegExp(`^Câu ${n}: `) });

describe('surveys in the console', () => {
  it('an admin builds a survey (single, scale, text), a portal page shows it, and a response sent there shows in the results', async () => {
    // The site's clock is not Vietnam's: times are typed in the SITE's zone, whatever the PC's.
    await app.t.services.sites.update(DEMO_SITE_ID, { timezone: 'Asia/Tokyo' }, 'test');
    const { context, page, errors } = await openConsole(browser, { width: 1280, height: 900 });
    await signIn(page, app.origin, 'quantri', `#/surveys?site=${DEMO_SITE_ID}`);
    await page.getByRole('heading', { name: 'Khảo sát', level: 1 }).waitFor();
    // The demo site comes with the citizen-satisfaction survey (seeded, no responses).
    await page.getByRole('button', { name: /^Xem kết quả: Khảo sát mức độ hài lòng/ }).waitFor();
    expect(await page.getByRole('link', { name: 'Khảo sát' }).getAttribute('aria-current')).toBe('page');
    expect(await page.getByLabel('Mẫu khảo sát').textContent()).toContain('(9 câu hỏi)');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Tự soạn khảo sát' }).click();
    await page.getByLabel('Tên khảo sát').fill('Ý kiến về Bộ phận Một cửa xã');
    await page.getByLabel(/^Đóng lúc \(giờ của trang, Asia\/Tokyo, UTC\+09:00/).fill('2026-12-31T17:00');
    const q1 = card(page, 1);
    await q1.getByLabel('Nội dung câu 1').fill('Bạn đến Bộ phận Một cửa để làm gì?');
    await q1.getByLabel('Phương án 1', { exact: true }).fill('Đất đai');
    // Option 2 left empty: the server's refusal must come back beside it.
    await q1.getByLabel('Bắt buộc trả lời').check();

    await page.getByLabel('Loại câu hỏi thêm vào').selectOption({ label: 'Thang điểm' });
    await page.getByRole('button', { name: 'Thêm câu hỏi' }).click();
    // The new question's text field has the focus, ready to type.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('f-questions-1-title');
    const q2 = card(page, 2);
    expect(await q2.locator('legend').first().textContent()).toBe('Câu 2: Thang điểm');
    await page.keyboard.type('Bạn hài lòng ở mức nào?');
    await q2.getByLabel('Đặt tên cho từng mức').check();
    const names = ['Rất không hài lòng', 'Không hài lòng', 'Bình thường', 'Hài lòng', 'Rất hài lòng'];
    for (const [i, name] of names.entries()) await q2.getByLabel(`Tên mức ${i + 1}`).fill(name);

    await page.getByLabel('Loại câu hỏi thêm vào').selectOption({ label: 'Trả lời tự do' });
    await page.getByRole('button', { name: 'Thêm câu hỏi' }).click();
    await card(page, 3).getByLabel('Nội dung câu 3').fill('Góp ý của bạn');
    await card(page, 3).getByLabel('Cho viết nhiều dòng').check();

    // Reordering by keyboard: a fourth question moves up with "Lên" (Enter), keeping the focus, then goes.
    await page.getByLabel('Loại câu hỏi thêm vào').selectOption({ label: 'Chọn nhiều' });
    await page.getByRole('button', { name: 'Thêm câu hỏi' }).click();
    await card(page, 4).getByLabel('Nội dung câu 4').fill('Câu tạm để thử đổi chỗ');
    await card(page, 4).getByRole('button', { name: /^Lên/ }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => card(page, 3).getByLabel('Nội dung câu 3').inputValue()).toBe('Câu tạm để thử đổi chỗ');
    expect(await card(page, 4).getByLabel('Nội dung câu 4').inputValue()).toBe('Góp ý của bạn');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('↑ Lên');
    await page.keyboard.press('Tab'); // "Xuống", then back down with Space
    await page.keyboard.press('Space');
    await expect.poll(() => card(page, 4).getByLabel('Nội dung câu 4').inputValue()).toBe('Câu tạm để thử đổi chỗ');
    await card(page, 4).getByRole('button', { name: 'Bỏ câu hỏi 4' }).click();
    expect(await page.getByRole('group', { name: /^Câu \d: / }).count()).toBe(3);

    // The server refuses the empty option: its words, beside that input, announced.
    await page.getByRole('button', { name: 'Tạo khảo sát' }).click();
    await page.getByRole('alert').filter({ hasText: 'Có 1 chỗ cần sửa' }).waitFor();
    const option2 = q1.getByLabel('Phương án 2', { exact: true });
    expect(await option2.getAttribute('aria-invalid')).toBe('true');
    const described = await option2.getAttribute('aria-describedby');
    expect(await page.locator(`#${described}`).textContent()).toBe('Không được để trống.');
    expect(await page.locator('#main').textContent()).not.toMatch(/validation_failed|must not be empty|questions\.0/);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('f-questions-0-options-1');
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'console-survey-builder-desktop');
    expect(await surveysOf()).toHaveLength(1);

    await option2.fill('Hộ tịch');
    await page.getByRole('button', { name: 'Tạo khảo sát' }).click();
    await page.getByRole('heading', { name: 'Ý kiến về Bộ phận Một cửa xã', level: 2 }).waitFor();
    const made = (await surveysOf()).find((x) => x.title === 'Ý kiến về Bộ phận Một cửa xã');
    expect(made!.questions.map((q) => [q.type, q.title, q.required])).toEqual([
      ['single', 'Bạn đến Bộ phận Một cửa để làm gì?', true],
      ['scale', 'Bạn hài lòng ở mức nào?', false],
      ['text', 'Góp ý của bạn', false],
    ]);
    expect(made!.questions[1]).toMatchObject({ scale: { min: 1, max: 5, labels: names } });
    expect(made!.questions[2]).toMatchObject({ multiline: true });
    // 17:00 in Tokyo (UTC+9), typed on a PC in Vietnam.
    expect(made!.closesAt).toBe('2026-12-31T08:00:00.000Z');
    expect(made!.status).toBe('open');

    // The portal page shows it (widget.js with the survey's attribute) and takes a response.
    const url = await portalWith(`<div id="survey" data-ykien-survey="${made!.id}"></div>`);
    const reader = await newPage(browser);
    await reader.page.goto(url);
    const s = reader.page.locator('#survey');
    await s.getByText('Bạn đến Bộ phận Một cửa để làm gì?').waitFor();
    await s.getByLabel('Hộ tịch').check();
    await s.getByText('Hài lòng', { exact: true }).click();
    const feedback = 'Cán bộ hướng dẫn tận tình. <b>Cảm ơn</b>';
    await s.locator('textarea').fill(feedback);
    await s.getByRole('button', { name: 'Gửi khảo sát' }).click();
    await expect.poll(() => s.locator('.msg.ok').textContent()).toBe('Cảm ơn bạn đã tham gia khảo sát.');
    expect(reader.errors).toEqual([]);
    await reader.context.close();

    // The console's results: bars, the mean and distribution, the free text as text, the timeline, exports.
    await page.getByRole('button', { name: 'Về danh sách' }).click();
    await page.reload();
    await page.getByRole('button', { name: 'Xem kết quả: Ý kiến về Bộ phận Một cửa xã' }).click();
    await page.getByText('1 phiếu trả lời', { exact: true }).waitFor();
    const results = page.locator('.q-results > li');
    expect(await results.nth(0).textContent()).toContain('Hộ tịch1 · 100%');
    expect(await results.nth(1).textContent()).toContain('Điểm trung bình: 4');
    expect(await results.nth(1).textContent()).toContain('4 – Hài lòng1 · 100%');
    await results.nth(2).getByText(feedback).waitFor();
    expect(await page.evaluate(() => document.querySelectorAll('#app b').length)).toBe(0);
    expect(await results.nth(2).textContent()).toContain('(1/1)');
    await page.getByRole('img', { name: 'Số phiếu trả lời theo ngày' }).waitFor();
    await page.getByText('Xem dạng bảng').click();
    // The site's day (Tokyo's), not Vietnam's day of the bucket's first instant (22:00 the evening before).
    const tokyoDay = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', day: '2-digit', month: '2-digit' }).format(new Date());
    const row = page.locator('.timeline tbody tr');
    await expect.poll(() => row.last().textContent()).toBe(`${tokyoDay}1`);
    const exports = page.getByRole('list', { name: 'Tải về' });
    expect(await exports.getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual([
      `/v1/admin/surveys/${made!.id}/export?format=csv`,
      `/v1/admin/surveys/${made!.id}/export?format=json`,
      `/v1/admin/surveys/${made!.id}/export?format=xlsx`,
    ]);
    expect(await page.getByLabel('Mã nhúng vào trang').inputValue()).toContain(`data-ykien-survey="${made!.id}"`);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'console-survey-results-desktop');
    expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]); // the refusal the page showed in words
    await context.close();
  }, BROWSER_TIMEOUT);

  it('refuses, in words naming what, an edit that would change what respondents answered; allowed edits save', async () => {
    const created = await app.t.admin.post('/v1/admin/surveys', {
      site: DEMO_SITE_ID,
      title: 'Khảo sát về đường thôn',
      questions: [
        { type: 'single', title: 'Đường thôn bạn đi có tốt không?', required: true, options: ['Tốt', 'Cần sửa'] },
        { type: 'scale', title: 'Bạn chấm mấy điểm?', scale: { min: 1, max: 5 } },
      ],
      resultsVisibility: 'always',
    });
    expect(created.status).toBe(201);
    const sv = created.body as AdminSurvey;
    const [single] = sv.questions as [Extract<AdminSurvey['questions'][number], { type: 'single' }>];
    const answered = await app.t.http.post(`/v1/surveys/${sv.id}/responses`).send({ respondentId: 'nguoi-tra-loi-1', answers: { [single.id]: single.options[1]!.id } });
    expect(answered.status).toBe(201);

    const { context, page, errors } = await openConsole(browser, { width: 1280, height: 900 });
    await signIn(page, app.origin, 'quantri', `#/surveys?site=${DEMO_SITE_ID}`);
    await page.getByRole('button', { name: 'Xem kết quả: Khảo sát về đường thôn' }).click();
    await page.getByRole('button', { name: 'Sửa' }).click();
    const q1 = card(page, 1);
    await q1.getByLabel('Phương án 2', { exact: true }).fill('Cần sửa gấp');
    await card(page, 2).getByLabel('Mức cao nhất').fill('10');
    await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Khảo sát đã có người trả lời' });
    await alert.waitFor();
    const words = await alert.textContent();
    expect(words).toContain('đổi tên phương án hoặc tiêu chí “Cần sửa” (Câu 1)');
    expect(words).toContain('đổi thang điểm của câu 2 (“Bạn chấm mấy điểm?”)');
    expect(words).not.toMatch(/survey_has_responses|relabelledChoices|scaleChanged|409/);
    expect(await axeViolations(page)).toEqual([]);
    expect((await app.t.admin.get(`/v1/admin/surveys/${sv.id}`)).body.questions[0].options[1].label).toBe('Cần sửa');

    // What stays allowed: the title, a closing time, a new option.
    await q1.getByLabel('Phương án 2', { exact: true }).fill('Cần sửa');
    await card(page, 2).getByLabel('Mức cao nhất').fill('5');
    await page.getByLabel('Tên khảo sát').fill('Khảo sát về đường giao thông nông thôn');
    await q1.getByRole('button', { name: 'Thêm phương án' }).click();
    await q1.getByLabel('Phương án 3', { exact: true }).fill('Chưa có đường');
    await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
    await page.getByRole('heading', { name: 'Khảo sát về đường giao thông nông thôn', level: 2 }).waitFor();
    const after = (await app.t.admin.get(`/v1/admin/surveys/${sv.id}`)).body as AdminSurvey;
    expect(after.questions[0]).toMatchObject({ options: [{ label: 'Tốt' }, { label: 'Cần sửa' }, { label: 'Chưa có đường' }] });
    expect(after.results.responses).toBe(1);
    expect(errors.filter((e) => !/status of 409/.test(e))).toEqual([]);
    await context.close();
  }, BROWSER_TIMEOUT);

  it('creates a survey from a server template; the list shows status, responses and times, and closes and reopens', async () => {
    const { context, page, errors } = await openConsole(browser, { width: 1280, height: 900 });
    const seeded = new Set((await surveysOf()).map((x) => x.id));
    await signIn(page, app.origin, 'quantri', `#/surveys?site=${DEMO_SITE_ID}`);
    await page.getByLabel('Mẫu khảo sát').selectOption('hai-long-dich-vu-cong');
    await page.getByRole('button', { name: 'Tạo từ mẫu' }).click();
    await page.getByText('Từ mẫu: hai-long-dich-vu-cong').waitFor();
    expect((await surveysOf()).filter((x) => x.template === 'hai-long-dich-vu-cong')).toHaveLength(2);
    await page.getByRole('button', { name: 'Về danh sách' }).click();

    const made = (await surveysOf()).find((x) => !seeded.has(x.id))!;
    await app.t.admin.patch(`/v1/admin/surveys/${made.id}`).send({ closesAt: '2026-12-31T17:00:00+07:00' });
    await page.reload();
    // The demo site's seeded survey has the same title: the row is the one with the closing time just set.
    const row = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: made.title }) }).filter({ hasText: 'Đóng: 17:00, 31/12/2026' });
    await row.getByText('Đóng: 17:00, 31/12/2026').waitFor();
    expect(await row.textContent()).toContain('Đang mở0 phiếu trả lờiMở ngay khi tạo');
    await row.getByRole('button', { name: 'Đóng khảo sát' }).click();
    await row.getByRole('button', { name: 'Mở lại' }).waitFor();
    expect(await row.locator('.badge').textContent()).toBe('Đã đóng');
    expect((await app.t.admin.get(`/v1/admin/surveys/${made.id}`)).body.status).toBe('closed');
    await row.getByRole('button', { name: 'Mở lại' }).click();
    await row.getByRole('button', { name: 'Đóng khảo sát' }).waitFor();
    expect((await app.t.admin.get(`/v1/admin/surveys/${made.id}`)).body.status).toBe('open');
    expect(errors).toEqual([]);
    await context.close();
  }, BROWSER_TIMEOUT);

  it('an admin creates a poll in the console and a portal page with the poll widget shows it', async () => {
    const { context, page, errors } = await openConsole(browser, { width: 1280, height: 900 });
    await signIn(page, app.origin, 'quantri', `#/polls?site=${DEMO_SITE_ID}`);
    await page.getByRole('button', { name: 'Tạo bình chọn' }).click();
    await page.getByLabel('Câu hỏi').fill('Xã nên ưu tiên làm gì trong năm 2027?');
    await page.getByLabel('Phương án 1', { exact: true }).fill('Đường giao thông');
    await page.getByLabel('Phương án 2', { exact: true }).fill('Trường học');
    await page.getByRole('button', { name: 'Tạo bình chọn' }).click();
    await page.getByRole('heading', { name: 'Xã nên ưu tiên làm gì trong năm 2027?' }).waitFor();
    const poll = ((await app.t.admin.get(`/v1/admin/polls?site=${DEMO_SITE_ID}`)).body.polls as { id: string; question: string }[]).find((p) => p.question.startsWith('Xã nên'))!;

    const url = await portalWith(`<div id="poll" data-ykien-poll="${poll.id}"></div>`);
    const reader = await newPage(browser);
    await reader.page.goto(url);
    const w = reader.page.locator('#poll');
    await w.getByText('Xã nên ưu tiên làm gì trong năm 2027?').waitFor();
    await w.getByText('Trường học').waitFor();
    expect(reader.errors).toEqual([]);
    await reader.context.close();
    expect(errors).toEqual([]);
    await context.close();
  }, BROWSER_TIMEOUT);

  it('works on a 375 px phone: the list, the builder and the results; delete asks first, naming the survey and its responses', async () => {
    // The demo site's citizen-satisfaction survey (seeded from the template), answered twice.
    const [sv] = await surveysOf();
    expect(sv!.template).toBe('hai-long-dich-vu-cong');
    const answers: Record<string, unknown> = {};
    for (const q of sv!.questions) {
      if (q.type === 'single') answers[q.id] = q.options[0]!.id;
      if (q.type === 'scale') answers[q.id] = 4;
      if (q.type === 'matrix') answers[q.id] = Object.fromEntries(q.items.map((it, i) => [it.id, 3 + (i % 3)]));
      if (q.type === 'text') answers[q.id] = 'Đề nghị bố trí thêm ghế ngồi chờ.';
    }
    for (const n of [1, 2]) expect((await app.t.http.post(`/v1/surveys/${sv!.id}/responses`).send({ respondentId: `nguoi-dan-so-${n}`, answers })).status).toBe(201);

    const { context, page, errors } = await openConsole(browser, { width: 375, height: 812 }, { phone: true });
    await signIn(page, app.origin, 'quantri', `#/surveys?site=${DEMO_SITE_ID}`);
    await page.getByText('2 phiếu trả lời').waitFor();
    expect(await overflowing(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Tự soạn khảo sát' }).click();
    await page.getByLabel('Loại câu hỏi thêm vào').selectOption({ label: 'Bảng đánh giá nhiều tiêu chí' });
    await page.getByRole('button', { name: 'Thêm câu hỏi' }).click();
    await card(page, 2).getByLabel('Đặt tên cho từng mức').check();
    expect(await overflowing(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'console-survey-builder-phone');
    await page.getByRole('button', { name: 'Hủy' }).click();

    await page.getByRole('button', { name: /^Xem kết quả: Khảo sát mức độ hài lòng/ }).click();
    await page.getByRole('table').first().waitFor();
    expect(await page.getByRole('row', { name: /Có thái độ giao tiếp lịch sự/ }).textContent()).toContain('3: 2 (100%)');
    expect(await overflowing(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'console-survey-results-phone');

    let asked = '';
    page.once('dialog', (d) => {
      asked = d.message();
      void d.accept();
    });
    await page.getByRole('button', { name: 'Xóa', exact: true }).click();
    await page.getByText('Trang này chưa có khảo sát nào.').waitFor();
    expect(asked).toBe(`Xóa khảo sát “${sv!.title}” cùng 2 phiếu trả lời? Không thể hoàn tác.`);
    expect(await surveysOf()).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, BROWSER_TIMEOUT);
});
