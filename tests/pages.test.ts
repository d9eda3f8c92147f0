import { describe, expect, it } from 'vitest';
import { DEMO_POLL_ID, DEMO_SITE_ID, DEMO_THREAD, seedDemo } from '../src/demo/seed.js';
import { createPoll, createSite, makeTestApp, type TestApp } from './helpers/app.js';

const cookieOf = (res: { headers: Record<string, unknown> }, name = 'ykien_voter') => {
  const set = res.headers['set-cookie'] as string[] | undefined;
  return set?.find((c) => c.startsWith(`${name}=`))?.split(';')[0];
};

/** Votes as a browser does: opens the form (its cookie and token), then posts it from the same origin. */
async function vote(t: TestApp, id: string, form: string, cookie?: string) {
  const page = await t.http.get(`/p/${id}`).set('Cookie', cookie ?? '');
  const cookies = [cookie, cookieOf(page, 'ykien_form')].filter(Boolean).join('; ');
  const browser = /ykien_form=([^;]+)/.exec(cookies)![1]!;
  // A page showing results has no form: the voter posts a copy opened earlier (before voting, or before the poll closed).
  const token = /name="token" value="([^"]+)"/.exec(page.text)?.[1] ?? t.services.hasher.formToken(browser, id);
  return t.http.post(`/p/${id}`).set('Sec-Fetch-Site', 'same-origin').set('Cookie', cookies).type('form').send(form ? `${form}&token=${token}` : `token=${token}`);
}

describe('demo page', () => {
  it('serves the portal article page with the widget embedded, under the strict CSP', async () => {
    const t = await makeTestApp();
    await seedDemo(t.services, ['http://localhost:8080']);
    const res = await t.http.get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    const body = res.text;
    for (const s of ['Chi tiết tin', 'Kế hoạch số 206-KH/HU', 'Lượt xem:', 'Thăm dò ý kiến', 'Tổng số lượt truy cập', 'Đang truy cập', 'Tác giả: Đảng uỷ xã'])
      expect(body).toContain(s);
    expect(body).toContain(`data-ykien-poll="${DEMO_POLL_ID}"`);
    expect(body).toContain(`data-ykien-comments="${DEMO_THREAD}" data-ykien-site="${DEMO_SITE_ID}"`);
    expect(body).toContain(`data-ykien-views="${DEMO_THREAD}"`);
    expect(body).toContain('<script src="/widget.js" async></script>');
    expect(body).toContain(`<a href="/p/${DEMO_POLL_ID}">`);
    // Without JavaScript: the poll's form page, a note for comments, a dash for each counter.
    expect(body).toContain('<noscript><p>Bật JavaScript để xem và gửi ý kiến.</p></noscript>');
    expect(body).toContain(`<span data-ykien-views="${DEMO_THREAD}" data-ykien-site="${DEMO_SITE_ID}"><noscript>–</noscript></span>`);
    expect(body.match(/<noscript>–<\/noscript>/g)).toHaveLength(3);
    expect(body).toContain('<link rel="stylesheet" href="/demo.css">');
    // Nothing inline that a strict CSP would block.
    expect(body).not.toMatch(/<style|style=|<script>| on[a-z]+=/i);
  });

  it('serves the stylesheets as CSS', async () => {
    const t = await makeTestApp();
    for (const path of ['/demo.css', '/p.css']) {
      const res = await t.http.get(path);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/css/);
      expect(res.text.length).toBeGreaterThan(200);
    }
  });
});

describe('no-JS poll page /p/:id', () => {
  async function setup(body: Record<string, unknown> = {}) {
    const t = await makeTestApp();
    await createSite(t, { timezone: 'Asia/Ho_Chi_Minh' });
    const poll = await createPoll(t, body);
    return { t, poll };
  }

  it('shows a plain form, takes a vote, redirects (303) to the results and remembers the voter', async () => {
    const { t, poll } = await setup();
    const page = await t.http.get(`/p/${poll.id}`);
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('private, no-store');
    expect(page.text).toContain(`<form method="post" action="/p/${poll.id}">`);
    expect(page.text.match(/type="radio" name="option"/g)).toHaveLength(3);
    expect(page.text).toContain('Xin bạn cho ý kiến về cổng thông tin của chúng tôi?');
    expect(page.text).toContain('Xã A');

    const res = await vote(t, poll.id, `option=${poll.options[1]!.id}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/p/${poll.id}?voted=1`);
    const cookie = cookieOf(res);
    expect(cookie).toMatch(/^ykien_voter=[A-Za-z0-9_-]{8,}$/);
    expect(String(res.headers['set-cookie'])).toMatch(/HttpOnly/i);
    expect(String(res.headers['set-cookie'])).toMatch(/SameSite=Lax/i);

    const after = await t.http.get(`/p/${poll.id}?voted=1`).set('Cookie', cookie!);
    expect(after.text).toContain('Cảm ơn bạn đã bình chọn.');
    expect(after.text).toContain('Tổng cộng: 1 Phiếu');
    expect(after.text).toContain('100.0%');
    expect(after.text).not.toContain('<form');

    // Same voter again: refused by the same rule as the API, results shown.
    const again = await vote(t, poll.id, `option=${poll.options[0]!.id}`, cookie);
    expect(again.status).toBe(409);
    expect(again.text).toContain('Bạn đã bình chọn trong cuộc thăm dò này.');
    expect(again.text).toContain('Tổng cộng: 1 Phiếu');
    const api = await t.http.get(`/v1/polls/${poll.id}/results`);
    expect(api.body.total).toBe(1);
  });

  it('refuses an empty choice, an unknown option and too many choices without counting', async () => {
    const { t, poll } = await setup({ maxChoices: 2 });
    const form = await t.http.get(`/p/${poll.id}`);
    expect(form.text.match(/type="checkbox"/g)).toHaveLength(3);
    expect(form.text).toContain('Chọn tối đa 2 phương án.');

    const empty = await vote(t, poll.id, '');
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Vui lòng chọn một phương án.');
    const unknown = await vote(t, poll.id, 'option=nope');
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain('không có trong cuộc thăm dò');
    const [a, b, c] = poll.options.map((o) => o.id);
    const many = await vote(t, poll.id, `option=${a}&option=${b}&option=${c}`);
    expect(many.status).toBe(422);
    // What was ticked stays ticked.
    expect(many.text).toContain(`value="${a}" checked`);
    const two = await vote(t, poll.id, `option=${a}&option=${b}`);
    expect(two.status).toBe(303);
    const api = await t.http.get(`/v1/polls/${poll.id}/results`);
    expect(api.body.voters).toBe(1);
    expect(api.body.total).toBe(2);
  });

  it('refuses a post from another origin', async () => {
    const { t, poll } = await setup();
    const res = await t.http.post(`/p/${poll.id}`).set('Origin', 'https://evil.example').type('form').send(`option=${poll.options[0]!.id}`);
    expect(res.status).toBe(403);
    expect((await t.http.get(`/v1/polls/${poll.id}/results`)).body.total).toBe(0);
  });

  it('says when a poll is closed, scheduled, or hides its results, with dates in the site time zone', async () => {
    const { t, poll } = await setup({ resultsVisibility: 'after_close', closesAt: '2099-12-01T01:00:00Z' });
    const res = await vote(t, poll.id, `option=${poll.options[0]!.id}`);
    const cookie = cookieOf(res)!;
    const hidden = await t.http.get(`/p/${poll.id}`).set('Cookie', cookie);
    expect(hidden.text).toContain('Kết quả sẽ được công bố khi cuộc thăm dò kết thúc (08:00 01/12/2099).');
    expect(hidden.text).not.toContain('Tổng cộng');

    const later = await createPoll(t, { opensAt: '2099-01-01T00:00:00Z' });
    const scheduled = await t.http.get(`/p/${later.id}`);
    expect(scheduled.text).toContain('Cuộc thăm dò sẽ bắt đầu lúc 07:00 01/01/2099.');
    expect(scheduled.text).not.toContain('<form');
    const early = await vote(t, later.id, `option=${later.options[0]!.id}`);
    expect(early.status).toBe(409);
    expect(early.text).toContain('Cuộc thăm dò chưa bắt đầu.');

    await t.admin.post(`/v1/admin/polls/${poll.id}/close`);
    const closed = await t.http.get(`/p/${poll.id}`);
    expect(closed.text).toContain('Cuộc thăm dò đã kết thúc.');
    expect(closed.text).toContain('Tổng cộng: 1 Phiếu');
    const late = await vote(t, poll.id, `option=${poll.options[0]!.id}`);
    expect(late.status).toBe(409);
  });

  it('escapes poll text and answers 404 for an unknown poll', async () => {
    const t = await makeTestApp();
    await createSite(t);
    const poll = await createPoll(t, { question: '<script>alert(1)</script> "quoted"', options: ['<b>A</b>', 'B & C'] });
    const res = await t.http.get(`/p/${poll.id}`);
    expect(res.text).not.toContain('<script>alert');
    expect(res.text).toContain('&#60;script&#62;alert(1)&#60;/script&#62; &#34;quoted&#34;');
    expect(res.text).toContain('&#60;b&#62;A&#60;/b&#62;');
    const missing = await t.http.get('/p/nope');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('Không tìm thấy');
  });

  it('works for the seeded demo poll', async () => {
    const t = await makeTestApp();
    await seedDemo(t.services, ['http://localhost:8080']);
    const res = await t.http.get(`/p/${DEMO_POLL_ID}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Cổng thông tin điện tử xã Tiên Ngọc');
    expect(res.text).toContain('Đẹp, tiện lợi tra cứu');
  });
});
