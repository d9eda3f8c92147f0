import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_POLL_ID, DEMO_SITE_ID, DEMO_THREAD } from '../../src/demo/seed.js';
import { launch, newPage, startApp, startFixture } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Someone else's portal page embedding the widget from the service's origin. */
const hostPage = (api: string, opts: { css?: string; extra?: string } = {}) => `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><link rel="icon" href="data:,">${opts.css ? `<link rel="stylesheet" href="${opts.css}">` : ''}</head>
<body><div class="sidebar"><div id="poll" data-ykien-poll="${DEMO_POLL_ID}"></div></div>
<div class="content"><div id="comments" data-ykien-comments="${DEMO_THREAD}" data-ykien-site="${DEMO_SITE_ID}"></div></div>
${opts.extra ?? ''}
<script src="${api}/widget.js" async></script></body></html>`;

/** Everything a careless or hostile portal stylesheet might throw at embedded content. */
const HOSTILE_CSS = `
* { color: red !important; background: yellow !important; font-size: 31px !important; line-height: 4 !important;
    letter-spacing: 6px !important; text-transform: uppercase !important; padding: 23px !important; margin: 17px !important;
    border: 5px dashed magenta !important; font-family: "Comic Sans MS", cursive !important; font-weight: 100 !important;
    text-align: right !important; box-sizing: content-box !important; display: inline !important; visibility: visible !important;
    text-decoration: line-through !important; opacity: .9 !important }
div, form, fieldset, label, input, button, textarea, legend, p, ul, li, span, h2 { all: unset !important; display: inline !important }
button { width: 3px !important; height: 3px !important }
[data-ykien-poll], [data-ykien-comments] { font-size: 3px !important; color: lime !important; display: none !important }
html, body { font-size: 40px !important; color: blue !important }
`;

const PROPS = ['color', 'backgroundColor', 'fontSize', 'fontWeight', 'lineHeight', 'letterSpacing', 'textTransform', 'textAlign', 'textDecorationLine',
  'paddingTop', 'paddingLeft', 'marginTop', 'marginLeft', 'borderTopWidth', 'borderTopStyle', 'borderTopColor', 'display', 'boxSizing', 'opacity'] as const;

/** Computed styles of the widget's insides (font family excluded: it inherits from the page by design). */
async function widgetStyles(page: Page) {
  return page.evaluate((props) => {
    const pick = (host: string, sel: string) => {
      const el = document.querySelector(host)?.shadowRoot?.querySelector(sel);
      if (!el) return null;
      const cs = getComputedStyle(el) as unknown as Record<string, string>;
      return Object.fromEntries(props.map((p) => [p, cs[p]]));
    };
    const host = getComputedStyle(document.querySelector('#poll')!);
    return {
      host: { display: host.display, fontSize: host.fontSize, color: host.color },
      legend: pick('#poll', 'legend'),
      option: pick('#poll', 'label.opt'),
      radio: pick('#poll', 'input[type=radio]'),
      vote: pick('#poll', 'button.btn'),
      results: pick('#poll', 'button.lk'),
      title: pick('#comments', 'h2'),
      label: pick('#comments', 'label[for=f-name]'),
      name: pick('#comments', '#f-name'),
      content: pick('#comments', '#f-content'),
      send: pick('#comments', 'button.btn'),
    };
  }, PROPS as unknown as string[]);
}

describe('widget on a host page of another origin', () => {
  it('is not changed by a hostile host stylesheet', async () => {
    const app = await startApp();
    const fixture = await startFixture({
      '/plain.html': { body: hostPage(app.origin) },
      '/hostile.html': { body: hostPage(app.origin, { css: '/hostile.css' }) },
      '/hostile.css': { type: 'text/css', body: HOSTILE_CSS },
    });
    await app.t.services.sites.update(DEMO_SITE_ID, { origins: [app.origin, fixture.origin] }, 'test');
    const { page, errors, context } = await newPage(browser);
    try {
      const ready = async (url: string) => {
        await page.goto(url);
        await page.locator('#poll legend').waitFor();
        await page.locator('#comments #f-name').waitFor();
        return widgetStyles(page);
      };
      const plain = await ready(`${fixture.origin}/plain.html`);
      const hostile = await ready(`${fixture.origin}/hostile.html`);
      expect(plain.legend).not.toBeNull();
      expect(plain.legend!.color).toBe('rgb(34, 34, 34)');
      expect(plain.vote!.backgroundColor).toBe('rgb(11, 90, 162)');
      expect(hostile).toEqual(plain);
      // And it still works there: a vote from the foreign origin (CORS for the site's origins).
      await page.getByLabel('Bình thường').check();
      await page.getByRole('button', { name: 'Bình chọn' }).click();
      await expect.poll(() => page.locator('#poll .tot').textContent()).toBe('Tổng cộng: 1 Phiếu');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await fixture.close();
      await app.close();
    }
  });

  it('works under a strict host Content-Security-Policy, with no console errors', async () => {
    const app = await startApp();
    let fixtureOrigin = '';
    const pages: Parameters<typeof startFixture>[0] = {};
    const fixture = await startFixture(pages);
    fixtureOrigin = fixture.origin;
    pages['/csp.html'] = {
      headers: {
        'Content-Security-Policy': `default-src 'none'; script-src ${app.origin}; connect-src ${app.origin}; img-src data:; style-src 'self'; base-uri 'none'; form-action 'none'`,
      },
      body: hostPage(app.origin, { extra: '<span id="views" data-ykien-views="csp-page" data-ykien-site="tienngoc">–</span>' }),
    };
    await app.t.services.sites.update(DEMO_SITE_ID, { origins: [app.origin, fixtureOrigin] }, 'test');
    const { page, errors, context } = await newPage(browser);
    const violations: string[] = [];
    page.on('console', (m) => /Content Security Policy/i.test(m.text()) && violations.push(m.text()));
    try {
      await page.goto(`${fixtureOrigin}/csp.html`);
      await page.locator('#poll legend').waitFor();
      // Styles applied (constructable stylesheet, not blocked by style-src).
      expect(await page.locator('#poll button.btn').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(11, 90, 162)');
      await expect.poll(() => page.locator('#views').textContent()).toBe('1');
      await page.getByLabel('Cần chỉnh sửa thêm').check();
      await page.getByRole('button', { name: 'Bình chọn' }).click();
      await expect.poll(() => page.locator('#poll .tot').textContent()).toBe('Tổng cộng: 1 Phiếu');
      await page.locator('#comments').getByLabel('Họ và tên').fill('Trần Thị Bình');
      await page.locator('#comments').getByLabel('Nội dung').fill('Góp ý từ trang có CSP chặt.');
      await page.locator('#comments').getByRole('button', { name: 'Gửi ý kiến' }).click();
      await expect.poll(() => page.locator('#comments [role=status]').textContent()).toBe('Ý kiến của bạn đã được gửi và đang chờ kiểm duyệt.');
      expect(violations).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await fixture.close();
      await app.close();
    }
  });

  it('runs several widgets independently, mounts later elements, speaks English on request', async () => {
    const app = await startApp();
    const second = await app.t.admin.post('/v1/admin/polls', {
      site: DEMO_SITE_ID,
      question: 'Bạn quan tâm lĩnh vực nào?',
      options: ['Giáo dục', 'Y tế', 'Nhà ở'],
      maxChoices: 2,
    });
    expect(second.status).toBe(201);
    const fixture = await startFixture({
      '/many.html': {
        body: hostPage(app.origin, {
          extra: `<div id="poll2" data-ykien-poll="${second.body.id}"></div><div id="en" data-ykien-poll="${DEMO_POLL_ID}" data-ykien-lang="en"></div><div id="nosite" data-ykien-comments="x"></div>`,
        }),
      },
    });
    await app.t.services.sites.update(DEMO_SITE_ID, { origins: [app.origin, fixture.origin] }, 'test');
    const { page, errors, context } = await newPage(browser);
    try {
      await page.goto(`${fixture.origin}/many.html`);
      const p2 = page.locator('#poll2');
      await p2.locator('legend').waitFor();
      expect(await p2.locator('input[type=checkbox]').count()).toBe(3);
      expect(await p2.locator('.hint').textContent()).toBe('Chọn tối đa 2 phương án.');
      // At most maxChoices: the third box is disabled once two are ticked.
      await p2.getByLabel('Giáo dục').check();
      await p2.getByLabel('Y tế').check();
      expect(await p2.getByLabel('Nhà ở').isDisabled()).toBe(true);
      await p2.getByRole('button', { name: 'Bình chọn' }).click();
      await expect.poll(() => p2.locator('.tot').textContent()).toBe('Tổng cộng: 2 Phiếu');
      // A thread without its site says so, quietly.
      expect(await page.locator('#nosite [role=alert]').textContent()).toBe('Không tìm thấy nội dung này.');
      // The other polls on the page are untouched.
      expect(await page.locator('#poll form').count()).toBe(1);
      const en = page.locator('#en');
      expect(await en.getByRole('button', { name: 'Vote' }).count()).toBe(1);
      await en.getByRole('button', { name: 'Results' }).click();
      await expect.poll(() => en.locator('.tot').textContent()).toBe('Total: 0 votes');
      expect(await en.locator('.rt').textContent()).toBe('Poll results');

      // An element added later, mounted through window.ykien.mount.
      await page.evaluate(() => {
        const el = document.createElement('div');
        el.id = 'late';
        el.setAttribute('data-ykien-poll', 'cong-thong-tin');
        document.body.append(el);
        (window as unknown as { ykien: { mount(el: Element): void } }).ykien.mount(el);
        // Mounting twice is harmless.
        (window as unknown as { ykien: { mount(el: Element): void } }).ykien.mount(el);
      });
      await expect.poll(() => page.locator('#late legend').textContent()).toBe('Xin bạn cho ý kiến về cổng thông tin của chúng tôi?');
      // An unknown poll: a message in the widget, nothing thrown into the page. Its 404 is readable
      // cross-origin (siteCors lets any page read a 404 for an unknown object), so it says "not found".
      await page.evaluate(() => {
        const el = document.createElement('div');
        el.id = 'missing';
        el.setAttribute('data-ykien-poll', 'khong-co');
        document.body.append(el);
        (window as unknown as { ykien: { mount(el: Element): void } }).ykien.mount(el);
      });
      await expect.poll(() => page.locator('#missing [role=alert]').textContent()).toMatch(/^Không tìm thấy nội dung này\./);
      expect(errors.filter((e) => !/khong-co|CORS|Failed to load resource/.test(e))).toEqual([]);
    } finally {
      await context.close();
      await fixture.close();
      await app.close();
    }
  });

  it('says when a poll is closed or not open yet, and when hidden results will show', async () => {
    const app = await startApp();
    const mk = async (body: Record<string, unknown>) => {
      const res = await app.t.admin.post('/v1/admin/polls', { site: DEMO_SITE_ID, question: 'Câu hỏi?', options: ['Có', 'Không'], ...body });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const closed = await mk({});
    expect((await app.t.admin.post(`/v1/admin/polls/${closed}/close`)).status).toBe(200);
    const scheduled = await mk({ opensAt: '2099-01-01T00:00:00Z', resultsVisibility: 'after_close' });
    const hidden = await mk({ resultsVisibility: 'after_close', closesAt: '2099-12-01T01:00:00Z' });
    const afterVote = await mk({ resultsVisibility: 'after_vote' });
    const fixture = await startFixture({
      '/status.html': {
        body: hostPage(app.origin, {
          extra: [['closed', closed], ['scheduled', scheduled], ['hidden', hidden], ['after', afterVote]].map(([k, id]) => `<div id="${k}" data-ykien-poll="${id}"></div>`).join(''),
        }),
      },
    });
    await app.t.services.sites.update(DEMO_SITE_ID, { origins: [app.origin, fixture.origin] }, 'test');
    const { page, errors, context } = await newPage(browser);
    try {
      await page.goto(`${fixture.origin}/status.html`);
      await expect.poll(() => page.locator('#closed .tot').textContent()).toBe('Tổng cộng: 0 Phiếu');
      expect(await page.locator('#closed .note').textContent()).toBe('Cuộc thăm dò đã kết thúc.');
      expect(await page.locator('#closed form').count()).toBe(0);
      await expect.poll(() => page.locator('#scheduled .note').first().textContent()).toBe('Cuộc thăm dò sẽ bắt đầu lúc 07:00 01/01/2099.');
      expect(await page.locator('#scheduled form').count()).toBe(0);

      // Results after the close: "Kết quả" says when; after voting, the same.
      const h = page.locator('#hidden');
      await h.locator('legend').waitFor();
      expect(await h.locator('.hint').textContent()).toBe('Hạn bình chọn: 08:00 01/12/2099.');
      await h.getByRole('button', { name: 'Kết quả' }).click();
      await expect.poll(() => h.getByRole('alert').textContent()).toBe('Kết quả sẽ được công bố khi cuộc thăm dò kết thúc (08:00 01/12/2099).');
      await h.getByLabel('Có').check();
      await h.getByRole('button', { name: 'Bình chọn' }).click();
      await expect.poll(() => h.locator('.msg.ok').textContent()).toBe('Cảm ơn bạn đã bình chọn.');
      expect(await h.locator('.note').allTextContents()).toEqual(['Bạn đã bình chọn trong cuộc thăm dò này.', 'Kết quả sẽ được công bố khi cuộc thăm dò kết thúc (08:00 01/12/2099).']);
      expect(await h.locator('.tot').count()).toBe(0);

      // Results after the vote: shown once voted.
      const a = page.locator('#after');
      await a.getByRole('button', { name: 'Kết quả' }).click();
      await expect.poll(() => a.getByRole('alert').textContent()).toBe('Kết quả sẽ hiển thị sau khi bạn bình chọn.');
      await a.getByLabel('Không').check();
      await a.getByRole('button', { name: 'Bình chọn' }).click();
      await expect.poll(() => a.locator('.tot').textContent()).toBe('Tổng cộng: 1 Phiếu');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await fixture.close();
      await app.close();
    }
  });

  it('can be used with the keyboard alone, with a visible focus ring', async () => {
    const app = await startApp();
    const fixture = await startFixture({ '/kb.html': { body: hostPage(app.origin) } });
    await app.t.services.sites.update(DEMO_SITE_ID, { origins: [app.origin, fixture.origin] }, 'test');
    const { page, errors, context } = await newPage(browser);
    try {
      await page.goto(`${fixture.origin}/kb.html`);
      await page.locator('#poll legend').waitFor();
      const focused = () =>
        page.evaluate(() => {
          const el = document.activeElement?.shadowRoot?.activeElement as HTMLElement | null | undefined;
          if (!el) return null;
          const cs = getComputedStyle(el);
          return { tag: el.tagName, value: (el as HTMLInputElement).value || el.textContent, outline: `${cs.outlineStyle} ${cs.outlineWidth}` };
        });
      await page.keyboard.press('Tab');
      expect((await focused())?.tag).toBe('INPUT');
      await page.keyboard.press('ArrowDown'); // radio group: moves and selects
      expect((await focused())?.value).toBe('cong-thong-tin-2');
      await page.keyboard.press('Tab');
      expect(await focused()).toEqual({ tag: 'BUTTON', value: 'Bình chọn', outline: 'solid 2px' });
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('#poll .tot').textContent()).toBe('Tổng cộng: 1 Phiếu');
      expect(await page.locator('#poll .vc').allTextContents()).toEqual(['0 Phiếu', '1 Phiếu', '0 Phiếu']);
      // Focus moved to the results heading, so a screen reader starts there.
      expect((await focused())?.value).toBe('Kết quả bình chọn');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await fixture.close();
      await app.close();
    }
  });

  it('shows a retry message when the network fails, and recovers', async () => {
    const app = await startApp();
    const { page, context } = await newPage(browser);
    try {
      await page.route('**/v1/polls/**', (route) => route.abort('internetdisconnected'));
      await page.goto(`${app.origin}/`);
      const poll = page.locator(`[data-ykien-poll="${DEMO_POLL_ID}"]`);
      await expect.poll(() => poll.getByRole('alert').textContent()).toBe('Không kết nối được máy chủ. Thử lại');
      await page.unroute('**/v1/polls/**');
      await poll.getByRole('button', { name: 'Thử lại' }).click();
      await poll.locator('legend').waitFor();

      // A failure while voting keeps the choice and offers to resend it.
      await poll.getByLabel('Bình thường').check();
      await page.route('**/v1/polls/**/votes', (route) => route.abort('internetdisconnected'));
      await poll.getByRole('button', { name: 'Bình chọn' }).click();
      await expect.poll(() => poll.getByRole('alert').textContent()).toBe('Không kết nối được máy chủ. Thử lại');
      expect(await poll.getByLabel('Bình thường').isChecked()).toBe(true);
      await page.unroute('**/v1/polls/**/votes');
      await poll.getByRole('button', { name: 'Thử lại' }).click();
      await expect.poll(() => poll.locator('.tot').textContent()).toBe('Tổng cộng: 1 Phiếu');
    } finally {
      await context.close();
      await app.close();
    }
  });
});
