import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicSurvey, Question } from '../../src/api/surveys.js';
import { DEMO_SITE_ID } from '../../src/demo/seed.js';
import { axeViolations, keep, launch, newPage, startApp, startFixture } from './browser.js';

/** A whole questionnaire by keyboard with an axe scan per step: minutes, not seconds, on a loaded shared machine. */
const BROWSER_TIMEOUT = 180_000;

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/**
 * A commune portal's page with the survey, and CSS of the kind portals ship (big red labels,
 * fixed-width inputs, tables with borders) that must not reach into the widget.
 */
const portal = (api: string, id: string) => `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Khảo sát mức độ hài lòng – Cổng thông tin điện tử xã Tiên Ngọc</title><link rel="icon" href="data:,">
<style>body{font-family:Arial,sans-serif;margin:0;padding:12px;color:#222}label{color:red;font-size:30px}input,textarea{width:300px;height:10px}table,td,th{border:3px solid lime}button{display:none}h2,h3{font-size:40px}</style></head>
<body><main><h1>Khảo sát mức độ hài lòng của người dân</h1>
<div id="survey" data-ykien-survey="${id}"></div></main>
<script src="${api}/widget.js" async></script></body></html>`;

async function setup(body: Record<string, unknown> = { template: 'hai-long-dich-vu-cong' }) {
  const app = await startApp();
  const created = await app.t.admin.post('/v1/admin/surveys', { site: DEMO_SITE_ID, ...body });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id as string;
  const survey = (await app.t.http.get(`/v1/surveys/${id}`)).body as PublicSurvey;
  const fixture = await startFixture({ '/khao-sat.html': { body: portal(app.origin, id) } });
  await app.t.services.sites.update(DEMO_SITE_ID, { origins: [app.origin, fixture.origin] }, 'test');
  return {
    app,
    id,
    survey,
    url: `${fixture.origin}/khao-sat.html`,
    close: async () => {
      await fixture.close();
      await app.close();
    },
  };
}

/** What has the keyboard focus, looking inside the survey's shadow root. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const inner = document.activeElement?.shadowRoot?.activeElement ?? document.activeElement;
    const el = inner as HTMLInputElement | null;
    return { tag: el?.tagName.toLowerCase() ?? '', type: el?.type ?? '', text: (el?.textContent ?? '').trim(), name: el?.name ?? '', checked: !!el?.checked };
  });

/** Presses Tab until the focus is on what `match` accepts (at most 40 times). */
async function tabTo(page: Page, match: (f: Awaited<ReturnType<typeof focused>>) => boolean, what: string) {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if (match(await focused(page))) return;
  }
  throw new Error(`Tab never reached ${what}`);
}

const isButton = (name: string) => (f: Awaited<ReturnType<typeof focused>>) => f.tag === 'button' && f.text === name;

/** Answers the question on screen with the keyboard only: Tab into it, Space and arrows, typing. */
async function answerWithKeys(page: Page, q: Question, n: number) {
  const field = (f: Awaited<ReturnType<typeof focused>>) => f.tag === 'input' || f.tag === 'textarea';
  if (q.type === 'text') {
    await tabTo(page, field, q.title);
    await page.keyboard.type('Cán bộ một cửa hướng dẫn tận tình, đề nghị có thêm ghế chờ.');
  } else if (q.type === 'matrix') {
    for (let r = 0; r < q.items.length; r++) {
      await tabTo(page, (f) => f.tag === 'input' && f.type === 'radio' && f.name.endsWith(`-${r}`), `row ${r}`);
      await page.keyboard.press('Space');
      // Arrow keys move within the row's radio group, choosing as they go (native radio behaviour).
      for (let k = 0; k < 3 + (r % 2); k++) await page.keyboard.press('ArrowRight');
      expect((await focused(page)).checked).toBe(true);
    }
  } else {
    await tabTo(page, field, q.title);
    await page.keyboard.press('Space');
    if (q.type !== 'multiple') for (let k = 0; k < n % 2; k++) await page.keyboard.press('ArrowDown');
    expect((await focused(page)).checked).toBe(true);
  }
}

/** Every visible button and choice inside the survey, measured (WCAG 2.2 target size: 24 px; ours aim at 44). */
const targets = (page: Page) =>
  page.evaluate(() => {
    const root = document.querySelector('#survey')!.shadowRoot!;
    return [...root.querySelectorAll('button, label, input, textarea')]
      .filter((el) => el.getBoundingClientRect().width > 0)
      .filter((el) => !(el instanceof HTMLInputElement && el.closest('label')))
      .map((el) => ({ what: `${el.tagName} ${(el.textContent || '').trim().slice(0, 30)}`, w: el.getBoundingClientRect().width, h: el.getBoundingClientRect().height }))
      .filter((b) => b.w < 24 || b.h < 24);
  });

const progress = (s: Locator) => s.locator('.prog').textContent();

/** Whether the page, or any element of the widget's shadow root, is wider than its box (would scroll sideways). */
const overflow = (page: Page) =>
  page.evaluate(() => {
    const host = document.querySelector('#survey');
    const root = [host, ...(host?.querySelectorAll('*') ?? [])].find((e) => e?.shadowRoot)?.shadowRoot;
    const wider = (e: Element) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'hidden';
    return { page: document.documentElement.scrollWidth > window.innerWidth, widget: root ? [...root.querySelectorAll('*')].some(wider) : 'no widget' };
  });

describe('survey widget on a 375 px phone, keyboard only', () => {
  it('answers the citizen-satisfaction template step by step, survives a reload mid-way, and ends on the thank-you with results', async () => {
    const env = await setup();
    const { page, errors, context } = await newPage(browser, { phone: true });
    await page.setViewportSize({ width: 375, height: 740 });
    try {
      const qs = env.survey.questions;
      expect(qs.length).toBeGreaterThan(3);
      expect(qs.some((q) => q.type === 'matrix')).toBe(true);
      await page.goto(env.url);
      const s = page.locator('#survey');
      await expect.poll(() => progress(s)).toBe(`Câu 1/${qs.length}`);
      // One question at a time: only the current fieldset is shown.
      expect(await s.locator('fieldset:visible').count()).toBe(1);
      await keep(page, 'survey-phone-1', { survey: s.locator('.yk') });

      // Required and unanswered: "Tiếp" keeps the step and says why, at the question.
      const firstRequired = qs.findIndex((q) => q.required);
      const half = Math.ceil(qs.length / 2);
      for (let i = 0; i < qs.length; i++) {
        const q = qs[i]!;
        await expect.poll(() => progress(s)).toBe(`Câu ${i + 1}/${qs.length}`);
        await expect.poll(() => s.locator('fieldset:visible legend').textContent()).toContain(q.title);
        expect(await axeViolations(page), `step ${i + 1}`).toEqual([]);
        expect(await targets(page), `step ${i + 1}`).toEqual([]);
        if (i === firstRequired) {
          await tabTo(page, isButton(i === qs.length - 1 ? 'Gửi khảo sát' : 'Tiếp'), 'the next button');
          await page.keyboard.press('Enter');
          await expect.poll(() => s.locator('fieldset:visible .fe').textContent()).toMatch(/^Vui lòng/);
          expect(await progress(s)).toBe(`Câu ${i + 1}/${qs.length}`);
          const f = await focused(page);
          expect(['input', 'textarea']).toContain(f.tag); // the question's first field has the focus
          expect(await s.locator('fieldset:visible [aria-invalid=true]').count()).toBeGreaterThan(0);
          await keep(page, 'survey-phone-required', { survey: s.locator('.yk') });
          await page.keyboard.press('Shift+Tab'); // back out so the answering starts from before the question
        }
        if (q.type === 'matrix') {
          // The matrix (a 5-point scale of three items) fits the phone: nothing scrolls sideways.
          expect(await overflow(page)).toEqual({ page: false, widget: false });
          await keep(page, 'survey-phone-matrix', { survey: s.locator('.yk') });
        }
        await answerWithKeys(page, q, i);
        if (i === half) {
          // A reload mid-way keeps every answer and the step.
          await page.reload();
          await expect.poll(() => progress(s)).toBe(`Câu ${i + 1}/${qs.length}`);
          expect(await s.locator('fieldset:visible input:checked, fieldset:visible textarea').count()).toBeGreaterThan(0);
          await tabTo(page, isButton('Quay lại'), 'Quay lại');
          await page.keyboard.press('Enter');
          await expect.poll(() => progress(s)).toBe(`Câu ${i}/${qs.length}`);
          expect(await s.locator('fieldset:visible input:checked, fieldset:visible textarea').count()).toBeGreaterThan(0);
          await tabTo(page, isButton('Tiếp'), 'Tiếp');
          await page.keyboard.press('Enter');
          await expect.poll(() => progress(s)).toBe(`Câu ${i + 1}/${qs.length}`);
        }
        const last = i === qs.length - 1;
        await tabTo(page, isButton(last ? 'Gửi khảo sát' : 'Tiếp'), last ? 'Gửi khảo sát' : 'Tiếp');
        await page.keyboard.press('Enter');
      }
      await expect.poll(() => s.locator('.msg.ok').textContent()).toBe('Cảm ơn bạn đã tham gia khảo sát.');
      expect(await focused(page)).toMatchObject({ tag: 'p', text: 'Cảm ơn bạn đã tham gia khảo sát.' });
      // Stored: one response, and the draft is gone from the tab's storage.
      const results = (await env.app.t.admin.get(`/v1/admin/surveys/${env.id}/results`)).body;
      expect(results.responses).toBe(1);
      expect(await page.evaluate((id) => sessionStorage.getItem(`ykien:survey:${id}`), env.id)).toBeNull();
      if (env.survey.resultsVisible || env.survey.resultsVisibility !== 'after_close') {
        await expect.poll(() => s.locator('.rt').textContent()).toBe('Kết quả khảo sát');
        expect(await s.locator('.res').textContent()).not.toContain('ghế chờ'); // free text is never shown
        expect(await overflow(page)).toEqual({ page: false, widget: false }); // the matrix's results fit too
        expect(await axeViolations(page)).toEqual([]);
      }
      await keep(page, 'survey-phone-thanks', { survey: s.locator('.yk') });

      // Back later: the thank-you state, not the form.
      await page.reload();
      await expect.poll(() => s.locator('.msg.ok').textContent()).toBe('Cảm ơn bạn đã tham gia khảo sát.');
      expect(await s.locator('form').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await env.close();
    }
  }, BROWSER_TIMEOUT);
});

describe('survey widget on a wide screen', () => {
  it('shows the whole form, passes axe, maps a server refusal to its question, keeps everything through a network failure', async () => {
    const env = await setup();
    const { page, errors, context } = await newPage(browser);
    try {
      const qs = env.survey.questions;
      const single = qs.findIndex((q) => q.type === 'single');
      expect(single).toBeGreaterThanOrEqual(0);
      // The widget is shown an option the survey does not have: the server, not the widget, refuses it.
      await page.route(`**/v1/surveys/${env.id}?*`, async (route) => {
        const res = await route.fetch();
        const body = (await res.json()) as PublicSurvey;
        const q = body.questions[single]!;
        if (q.type === 'single') q.options.push({ id: 'khong-co-that', label: 'Phương án không có thật' });
        await route.fulfill({ response: res, json: body });
      });

      await page.goto(env.url);
      const s = page.locator('#survey');
      await s.locator('fieldset').first().waitFor();
      expect(await s.locator('fieldset:visible').count()).toBe(qs.length);
      expect(await s.locator('.prog').isVisible()).toBe(false);
      for (const q of qs) if (q.section) expect(await s.locator('h3:visible', { hasText: q.section }).count()).toBe(1);
      expect(await axeViolations(page)).toEqual([]);
      expect(await targets(page)).toEqual([]);
      await keep(page, 'survey-wide', { survey: s.locator('.yk') });

      // Sending nothing: every required question says so, the first one has the focus.
      await s.getByRole('button', { name: 'Gửi khảo sát' }).click();
      const required = qs.filter((q) => q.required).length;
      await expect.poll(() => s.locator('.fe:not(:empty)').count()).toBe(required);
      expect(await s.getByRole('alert').textContent()).toBe('Vui lòng kiểm tra lại các câu được đánh dấu.');
      expect(await axeViolations(page)).toEqual([]);

      // Answer everything, the bogus option at the single-choice question.
      for (const [i, q] of qs.entries()) {
        const fs = s.locator('fieldset').nth(i);
        if (q.type === 'single' && i === single) await fs.getByLabel('Phương án không có thật').check();
        else if (q.type === 'single' || q.type === 'multiple') await fs.locator('input').first().check();
        else if (q.type === 'scale') await fs.locator('input').last().check();
        else if (q.type === 'matrix') for (let r = 0; r < q.items.length; r++) await fs.locator(`tbody tr:nth-child(${r + 1}) input`).nth(3).check();
        else await fs.locator('textarea, input').fill('Góp ý của tôi');
      }
      await s.getByRole('button', { name: 'Gửi khảo sát' }).click();
      const bad = s.locator('fieldset').nth(single);
      await expect.poll(() => bad.locator('.fe').textContent()).toBe('Thông tin không hợp lệ.');
      expect(await s.locator('.fe:not(:empty)').count()).toBe(1);
      expect(await bad.getByLabel('Phương án không có thật').getAttribute('aria-invalid')).toBe('true');
      expect(await focused(page)).toMatchObject({ tag: 'input', type: 'radio' });
      await keep(page, 'survey-wide-refused', { survey: s.locator('.yk') });

      // The network fails: everything typed stays, "Thử lại" sends it.
      await bad.locator('input').first().check();
      await page.route(`**/v1/surveys/${env.id}/responses`, (route) => route.abort('internetdisconnected'));
      await s.getByRole('button', { name: 'Gửi khảo sát' }).click();
      await expect.poll(() => s.getByRole('alert').textContent()).toBe('Không kết nối được máy chủ. Thử lại');
      expect(await s.locator('input:checked').count()).toBeGreaterThan(qs.length - 2);
      await page.unroute(`**/v1/surveys/${env.id}/responses`);
      await s.getByRole('button', { name: 'Thử lại' }).click();
      await expect.poll(() => s.locator('.msg.ok').textContent()).toBe('Cảm ơn bạn đã tham gia khảo sát.');
      expect((await env.app.t.admin.get(`/v1/admin/surveys/${env.id}/results`)).body.responses).toBe(1);
      expect(errors.filter((e) => !/Failed to load resource|400 |ERR_INTERNET_DISCONNECTED/.test(e))).toEqual([]);
    } finally {
      await context.close();
      await env.close();
    }
  }, BROWSER_TIMEOUT);

  it('renders planted markup as text, and says when a survey is closed', async () => {
    const planted = '<img src=x onerror="window.__pwned=1">';
    const env = await setup({
      title: `Khảo sát ${planted}`,
      intro: `Giới thiệu ${planted}`,
      resultsVisibility: 'always',
      questions: [
        { type: 'single', title: `Câu hỏi ${planted}`, options: [`Có ${planted}`, 'Không'], required: true },
        { type: 'matrix', title: 'Đánh giá', items: [`Mục ${planted}`], scale: { min: 1, max: 3, labels: ['Kém', 'Được', `Tốt ${planted}`] } },
      ],
    });
    const { page, errors, context } = await newPage(browser);
    try {
      await page.goto(env.url);
      const s = page.locator('#survey');
      await s.locator('fieldset').first().waitFor();
      const text = await s.locator('.yk').textContent();
      expect(text?.split(planted).length).toBe(7); // title, intro, question, option, item, level: all as text
      expect(await page.evaluate(() => document.querySelector('#survey')!.shadowRoot!.querySelectorAll('img').length)).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

      expect((await env.app.t.admin.post(`/v1/admin/surveys/${env.id}/close`)).status).toBe(200);
      await page.reload();
      await expect.poll(() => s.locator('.note').first().textContent()).toBe('Cuộc khảo sát đã kết thúc.');
      expect(await s.locator('form').count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await env.close();
    }
  }, BROWSER_TIMEOUT);
});
