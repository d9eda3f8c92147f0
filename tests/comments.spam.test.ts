import { describe, expect, it } from 'vitest';
import { expectProblem, testClock } from './helpers/app.js';
import { base, commentsApp, form, newCaptcha, post } from './comments.fixtures.js';

describe('spam defences', () => {
  it('refuses a filled honeypot with a clear code, without storing anything', async () => {
    const t = await commentsApp();
    const res = await t.http.post(base()).send(form({ website: 'http://spam.example' }));
    expectProblem(res, 400, 'honeypot_filled');
    expect(res.body.errors).toEqual([{ field: 'website', message: expect.any(String) }]);
    expect(await t.sql.value('SELECT COUNT(*) FROM comments')).toBe(0);
    // Absent, null or empty is what people send.
    expect((await t.http.post(base()).send(form({ website: '' }))).status).toBe(202);
    expect((await t.http.post(base()).send(form({ website: null, content: 'Ý kiến thứ hai.' }))).status).toBe(202);
  });

  it('refuses a post sooner than COMMENT_MIN_SECONDS after the captcha, keeping the captcha usable', async () => {
    const clock = testClock();
    const t = await commentsApp({ CAPTCHA: 'svg', COMMENT_MIN_SECONDS: 3 }, {}, clock);
    const c = await newCaptcha(t);
    clock.advance(1_000);
    const fast = await t.http.post(base()).send(form({ captchaId: c.id, captchaAnswer: c.answer, pow: c.pow }));
    expectProblem(fast, 400, 'too_fast');
    expect(fast.body.retryAfterSeconds).toBe(2);
    clock.advance(2_000);
    expect((await t.http.post(base()).send(form({ captchaId: c.id, captchaAnswer: c.answer, pow: c.pow }))).status).toBe(202);
  });

  it('files a comment with more than COMMENT_MAX_LINKS links under spam, answering like any pending comment', async () => {
    const t = await commentsApp({ COMMENT_MAX_LINKS: 2 }, { premoderation: false });
    const spammy = 'Mua ngay https://a.example.com và www.b-shop.xyz hoặc ghé c-store.top/khuyen-mai';
    const res = await t.http.post(base()).send(form({ content: spammy }));
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: expect.any(String), status: 'pending' });
    const row = (await t.sql.rows('SELECT status, spam_reason FROM comments WHERE id = ?', res.body.id))[0];
    expect(row).toEqual({ status: 'spam', spam_reason: 'links:3' });
    // Not published, even with premoderation off; visible in the spam queue.
    expect((await t.http.get(base())).body.total).toBe(0);
    const queue = await t.admin.get('/v1/admin/comments?site=xa-a&status=spam');
    expect(queue.body.comments.map((c: { id: string }) => c.id)).toEqual([res.body.id]);
    // Two links are fine; Vietnamese abbreviations are not links.
    const ok = await t.http.post(base()).send(form({ content: 'Xem https://xa-a.example.vn/a và https://xa-a.example.vn/b, TP.HCM, v.v.' }));
    expect(ok.status).toBe(201);
    const metrics = await t.services.metrics.text();
    expect(metrics).toContain('ykien_comments_posted_total{status="spam"} 1');
    expect(metrics).toContain('ykien_comments_posted_total{status="approved"} 1');
  });

  it('rate-limits comment posts and captcha fetches per IP with 429 rate_limited', async () => {
    const t = await commentsApp({ RATE_LIMIT_COMMENT_PER_MIN: 2, RATE_LIMIT_CAPTCHA_PER_MIN: 3 });
    await post(t);
    await post(t);
    const third = await t.http.post(base()).send(form());
    expectProblem(third, 429, 'rate_limited');
    expect(third.headers['retry-after']).toBeDefined();
    for (let i = 0; i < 3; i++) expect((await t.http.get('/v1/sites/xa-a/captcha')).status).toBe(200);
    expectProblem(await t.http.get('/v1/sites/xa-a/captcha'), 429, 'rate_limited');
    // Reading is not limited by these tiers.
    expect((await t.http.get(base())).status).toBe(200);
    expect(await t.sql.value('SELECT COUNT(*) FROM comments')).toBe(2);
  });

  it('validates each field and names it', async () => {
    const t = await commentsApp();
    const cases: [Record<string, unknown>, string][] = [
      [{ name: '   ' }, 'name'],
      [{ name: 'a'.repeat(101) }, 'name'],
      [{ address: 'x'.repeat(201) }, 'address'],
      [{ email: 'not-an-email' }, 'email'],
      [{ content: ' \n ' }, 'content'],
      [{ content: 'ý'.repeat(5001) }, 'content'],
      [{ content: 'a\u0000b' }, 'content'],
      [{ name: 42 }, 'name'],
      [{ parentId: 'NOT AN ID!' }, 'parentId'],
    ];
    for (const [over, field] of cases) {
      const res = await t.http.post(base()).send(form(over));
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
    // Limits count characters, not bytes: 5000 Vietnamese letters and 100-letter names pass.
    expect((await t.http.post(base()).send(form({ content: 'ệ'.repeat(5000), name: 'Đ'.repeat(100) }))).status).toBe(202);
    expect((await t.http.post(base()).send(form({ email: '', address: '' }))).status).toBe(202);
    expectProblem(await t.http.post('/v1/sites/xa-a/threads/bad%00key/comments').send(form()), 400, 'validation_failed');
    expectProblem(await t.http.post(base('khong-co')).send(form()), 404, 'not_found');
    expect(await t.sql.value('SELECT COUNT(*) FROM comments')).toBe(2);
  });

  it('refuses a write from a foreign origin (CORS per site)', async () => {
    const t = await commentsApp();
    expectProblem(await t.http.post(base()).set('Origin', 'https://evil.example').send(form()), 403, 'origin_not_allowed');
    const ok = await t.http.post(base()).set('Origin', 'https://xa-a.example.vn').send(form());
    expect(ok.status).toBe(202);
    expect(ok.headers['access-control-allow-origin']).toBe('https://xa-a.example.vn');
  });
});
