import { describe, expect, it } from 'vitest';
import type { Config } from '../src/config.js';
import { createPoll, createSite, makeTestApp, type TestApp } from './helpers/app.js';

const PUBLIC = 'https://ykien.tinh.gov.vn';

const setCookies = (res: { headers: Record<string, unknown> }) => (res.headers['set-cookie'] as string[] | undefined) ?? [];
const cookiePair = (res: { headers: Record<string, unknown> }, name: string) => setCookies(res).find((c) => c.startsWith(`${name}=`))?.split(';')[0];
const tokenOf = (html: string) => /<input type="hidden" name="token" value="([^"]+)">/.exec(html)?.[1];

async function setup(over: Partial<Config> = {}) {
  const t = await makeTestApp(over);
  await createSite(t, { origins: ['https://xa-a.example.vn'] });
  const poll = await createPoll(t);
  return { t, poll, option: poll.options[0]!.id };
}

/** What a real browser holds after opening /p/:id: the form cookie and the token in the page. */
async function openForm(t: TestApp, id: string, headers: Record<string, string> = {}) {
  const page = await t.http.get(`/p/${id}`).set(headers);
  expect(page.status).toBe(200);
  const cookie = cookiePair(page, 'ykien_form');
  const token = tokenOf(page.text);
  expect(cookie).toMatch(/^ykien_form=[A-Za-z0-9_-]{16,}$/);
  expect(token).toMatch(/^[A-Za-z0-9_-]{16,}$/);
  return { cookie: cookie!, token: token!, page };
}

const total = async (t: TestApp, id: string) => (await t.admin.get(`/v1/admin/polls/${id}`)).body.results.total as number;

describe('no-JS vote forgery (issue 10 §2)', () => {
  it('refuses Origin: null, the origin of a sandboxed iframe on any website', async () => {
    const { t, poll, option } = await setup();
    // The attacker's hidden <iframe sandbox="allow-forms"> posts our form on every visit to their page.
    const res = await t.http.post(`/p/${poll.id}`).set('Origin', 'null').type('form').send(`option=${option}`);
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('Biểu mẫu này chỉ gửi được từ trang bình chọn.');
    expect(await total(t, poll.id)).toBe(0);
  });

  it('refuses a post with no Origin unless Sec-Fetch-Site or the Referer says it came from this service', async () => {
    const { t, poll, option } = await setup();
    const { cookie, token } = await openForm(t, poll.id);
    const post = () => t.http.post(`/p/${poll.id}`).set('Cookie', cookie).type('form');
    const body = `option=${option}&token=${token}`;
    expect((await post().send(body)).status).toBe(403);
    expect((await post().set('Sec-Fetch-Site', 'cross-site').send(body)).status).toBe(403);
    expect((await post().set('Sec-Fetch-Site', 'same-site').send(body)).status).toBe(403);
    expect((await post().set('Referer', 'https://evil.example/trang').send(body)).status).toBe(403);
    expect((await post().set('Referer', 'not a url').send(body)).status).toBe(403);
    expect(await total(t, poll.id)).toBe(0);
    // An old browser that sends no Origin but does send a same-origin Referer is let in
    // (without PUBLIC_URL, "same origin" is the request's own scheme and Host).
    expect((await post().set('Host', 'ykien.test').set('Referer', `http://ykien.test/p/${poll.id}`).send(body)).status).toBe(303);
    expect(await total(t, poll.id)).toBe(1);
  });

  it('Sec-Fetch-Site: same-origin or none is a same-origin post', async () => {
    for (const site of ['same-origin', 'none']) {
      const { t, poll, option } = await setup();
      const { cookie, token } = await openForm(t, poll.id);
      const res = await t.http.post(`/p/${poll.id}`).set('Cookie', cookie).set('Sec-Fetch-Site', site).type('form').send(`option=${option}&token=${token}`);
      expect(res.status).toBe(303);
    }
  });

  it('refuses a same-origin post without the form cookie and token pair, with a clear Vietnamese page', async () => {
    const { t, poll, option } = await setup();
    const post = (body: string, cookie?: string) => {
      const r = t.http.post(`/p/${poll.id}`).set('Host', 'ykien.test').set('Origin', 'http://ykien.test').type('form');
      if (cookie) r.set('Cookie', cookie);
      return r.send(body);
    };
    const mine = await openForm(t, poll.id);
    const theirs = await openForm(t, poll.id);
    const other = await createPoll(t);
    const forOther = await openForm(t, other.id);
    const refused = [
      await post(`option=${option}`),                                  // no cookie, no token: a fresh voter per post
      await post(`option=${option}&token=${mine.token}`),              // a token without its cookie
      await post(`option=${option}`, mine.cookie),                     // a cookie without a token
      await post(`option=${option}&token=${theirs.token}`, mine.cookie), // another browser's token
      await post(`option=${option}&token=${mine.token}x`, mine.cookie),
      await post(`option=${option}&token=${forOther.token}`, forOther.cookie), // another poll's token
      await post(`option=${option}&token=${mine.token}&token=${mine.token}`, mine.cookie),
    ];
    for (const res of refused) {
      expect(res.status).toBe(403);
      expect(res.text).toContain('Phiên bình chọn đã hết hạn hoặc biểu mẫu không gửi từ trang này. Vui lòng bình chọn lại.');
      // The page offers the form again, with a token that works.
      expect(tokenOf(res.text)).toBeTruthy();
    }
    expect(await total(t, poll.id)).toBe(0);
    const ok = await post(`option=${option}&token=${mine.token}`, mine.cookie);
    expect(ok.status).toBe(303);
    expect(await total(t, poll.id)).toBe(1);
  });

  it('sets the form cookie HttpOnly, SameSite=Lax, Path=/p, and keeps it across visits', async () => {
    const { t, poll } = await setup();
    const { cookie, page } = await openForm(t, poll.id);
    const set = setCookies(page).find((c) => c.startsWith('ykien_form='))!;
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Lax/i);
    expect(set).toMatch(/Path=\/p(;|$)/);
    expect(set).not.toMatch(/Secure/i);
    const again = await t.http.get(`/p/${poll.id}`).set('Cookie', cookie);
    expect(cookiePair(again, 'ykien_form')).toBeUndefined();
    expect(tokenOf(again.text)).toBeTruthy();
    // The page sends its own address with the post, for browsers that do not send Origin.
    expect(page.headers['referrer-policy']).toBe('same-origin');
  });

  it('behind a TLS proxy compares with PUBLIC_URL: real voters get in, a post naming the internal origin does not', async () => {
    // Attack (issue 10 §2): nginx talks plain http to the service, so req.protocol://Host was
    // "http://ykien.tinh.gov.vn" and every real browser (Origin: https://…) got 403.
    const { t, poll, option } = await setup({ PUBLIC_URL: `${PUBLIC}/` });
    const { cookie, token, page } = await openForm(t, poll.id);
    expect(setCookies(page).find((c) => c.startsWith('ykien_form='))).toMatch(/Secure/i);
    const post = (origin: string, host = 'ykien.tinh.gov.vn') =>
      t.http.post(`/p/${poll.id}`).set('Host', host).set('Origin', origin).set('Cookie', cookie).type('form').send(`option=${option}&token=${token}`);
    expect((await post('http://ykien.tinh.gov.vn')).status).toBe(403);
    expect((await post('http://evil.example', 'evil.example')).status).toBe(403);
    expect(await total(t, poll.id)).toBe(0);
    const ok = await post(PUBLIC);
    expect(ok.status).toBe(303);
    expect(await total(t, poll.id)).toBe(1);
    const voter = setCookies(ok).find((c) => c.startsWith('ykien_voter='))!;
    expect(voter).toMatch(/Secure/i);
  });

  it('the public API answers the PUBLIC_URL origin as its own (siteCors), and not a Host a client made up', async () => {
    const { t, poll, option } = await setup({ PUBLIC_URL: PUBLIC });
    const vote = (origin: string, host?: string) => {
      const r = t.http.post(`/v1/polls/${poll.id}/votes`).set('Origin', origin);
      if (host) r.set('Host', host);
      return r.send({ optionIds: [option], voterId: `voter-${Math.random().toString(36).slice(2, 12)}` });
    };
    expect((await vote(PUBLIC)).status).toBe(201);
    expect((await vote('http://evil.example', 'evil.example')).status).toBe(403);
  });

  it('links back to the article it came from, only when that is one of the site\'s origins', async () => {
    const { t, poll, option } = await setup();
    const article = 'https://xa-a.example.vn/tin-tuc/ke-hoach-206.html';
    const { cookie, token, page } = await openForm(t, poll.id, { Referer: article });
    expect(page.text).toContain(`<a href="${article}">Quay lại trang trước</a>`);
    expect(page.text).toContain(`<input type="hidden" name="back" value="${article}">`);
    // The link survives the vote and the redirect to the results.
    const res = await t.http.post(`/p/${poll.id}`).set('Cookie', cookie).set('Sec-Fetch-Site', 'same-origin').type('form')
      .send(`option=${option}&token=${token}&back=${encodeURIComponent(article)}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/p/${poll.id}?voted=1&back=${encodeURIComponent(article)}`);
    const results = await t.http.get(String(res.headers.location)).set('Cookie', `${cookie}; ${cookiePair(res, 'ykien_voter')!}`);
    expect(results.text).toContain('Cảm ơn bạn đã bình chọn.');
    expect(results.text).toContain(`<a href="${article}">Quay lại trang trước</a>`);

    // Never an open redirect or a script link: anything else gives no back link at all.
    for (const bad of ['https://evil.example/x', 'javascript:alert(1)', 'https://xa-a.example.vn.evil.example/', '//evil.example/', 'http://xa-a.example.vn/khac-scheme', 'not a url']) {
      const p1 = await t.http.get(`/p/${poll.id}`).set('Referer', bad);
      expect(p1.text).not.toContain('Quay lại trang trước');
      const p2 = await t.http.get(`/p/${poll.id}?back=${encodeURIComponent(bad)}`);
      expect(p2.text).not.toContain('Quay lại trang trước');
      const r = await t.http.post(`/p/${poll.id}`).set('Cookie', cookie).set('Sec-Fetch-Site', 'same-origin').type('form')
        .send(`option=${option}&token=${token}&back=${encodeURIComponent(bad)}`);
      expect(String(r.headers.location ?? '')).not.toContain('back=');
    }
  });
});
