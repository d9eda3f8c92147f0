import { describe, expect, it } from 'vitest';
import { expectProblem, testClock } from './helpers/app.js';
import { answerOf, base, commentsApp, form, newCaptcha } from './comments.fixtures.js';

const svg = { CAPTCHA: 'svg' as const, CAPTCHA_TTL_SECONDS: 300, COMMENT_MIN_SECONDS: 3 };

describe('captcha lifecycle (CAPTCHA=svg)', () => {
  it('issues an SVG challenge stored server-side with an expiry', async () => {
    const clock = testClock();
    const t = await commentsApp(svg, {}, clock);
    const res = await t.http.get('/v1/sites/xa-a/captcha');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(Object.keys(res.body).sort()).toEqual(['expiresAt', 'id', 'svg']);
    expect(res.body.svg).toMatch(/^<svg[\s\S]*<\/svg>$/);
    expect(res.body.expiresAt).toBe(new Date(clock.now() + 300_000).toISOString());
    const answer = answerOf(t, res.body.id);
    expect(answer).toMatch(/^[a-z2-9]{5}$/);
    // The answer is never sent to the client.
    expect(JSON.stringify(res.body).toLowerCase()).not.toContain(`"${answer}"`);
  });

  it('accepts the right answer in any letter case, once', async () => {
    const clock = testClock();
    const t = await commentsApp(svg, {}, clock);
    const c = await newCaptcha(t);
    clock.advance(5_000);
    const ok = await t.http.post(base()).send(form({ captchaId: c.id, captchaAnswer: ` ${c.answer.toUpperCase()} ` }));
    expect(ok.status).toBe(202);
    expect(ok.body).toEqual({ id: expect.any(String), status: 'pending' });
    // Reuse: one solved captcha never buys two comments.
    const again = await t.http.post(base()).send(form({ content: 'Một ý kiến khác.', captchaId: c.id, captchaAnswer: c.answer }));
    expectProblem(again, 400, 'captcha_invalid');
    expect(again.body.errors).toEqual([{ field: 'captchaAnswer', message: expect.any(String) }]);
    expect(t.db.prepare('SELECT COUNT(*) FROM comments').pluck().get()).toBe(1);
  });

  it('a wrong answer consumes the challenge: the right answer afterwards is refused', async () => {
    const clock = testClock();
    const t = await commentsApp(svg, {}, clock);
    const c = await newCaptcha(t);
    clock.advance(5_000);
    expectProblem(await t.http.post(base()).send(form({ captchaId: c.id, captchaAnswer: 'zzzzzz' })), 400, 'captcha_invalid');
    expectProblem(await t.http.post(base()).send(form({ captchaId: c.id, captchaAnswer: c.answer })), 400, 'captcha_invalid');
    expect(t.db.prepare('SELECT COUNT(*) FROM captchas').pluck().get()).toBe(0);
    expect(t.db.prepare('SELECT COUNT(*) FROM comments').pluck().get()).toBe(0);
  });

  it('expires after CAPTCHA_TTL_SECONDS', async () => {
    const clock = testClock();
    const t = await commentsApp(svg, {}, clock);
    const c = await newCaptcha(t);
    clock.advance(300_000);
    const res = await t.http.post(base()).send(form({ captchaId: c.id, captchaAnswer: c.answer }));
    expectProblem(res, 400, 'captcha_invalid');
    expect(res.body.detail).toMatch(/expired/);
    // Just inside the lifetime still works.
    const d = await newCaptcha(t);
    clock.advance(299_000);
    expect((await t.http.post(base()).send(form({ captchaId: d.id, captchaAnswer: d.answer }))).status).toBe(202);
  });

  it('expired challenges are purged when new ones are issued', async () => {
    const clock = testClock();
    const t = await commentsApp(svg, {}, clock);
    await newCaptcha(t);
    await newCaptcha(t);
    clock.advance(301_000);
    await newCaptcha(t);
    expect(t.db.prepare('SELECT COUNT(*) FROM captchas').pluck().get()).toBe(1);
  });

  it('is required when on, and bound to the site that issued it', async () => {
    const clock = testClock();
    const t = await commentsApp(svg, {}, clock);
    await t.admin.post('/v1/admin/sites', { id: 'xa-b', name: 'Xã B' });
    const missing = await t.http.post(base()).send(form());
    expectProblem(missing, 400, 'captcha_required');
    expect(missing.body.errors[0].field).toBe('captchaAnswer');
    const c = await newCaptcha(t, 'xa-b');
    clock.advance(5_000);
    expectProblem(await t.http.post(base()).send(form({ captchaId: c.id, captchaAnswer: c.answer })), 400, 'captcha_invalid');
  });

  it('validation errors do not burn the captcha, so the person can fix the field and send again', async () => {
    const clock = testClock();
    const t = await commentsApp(svg, {}, clock);
    const c = await newCaptcha(t);
    clock.advance(5_000);
    const bad = await t.http.post(base()).send(form({ name: '', captchaId: c.id, captchaAnswer: c.answer }));
    expectProblem(bad, 400, 'validation_failed');
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'name' })]);
    expect((await t.http.post(base()).send(form({ captchaId: c.id, captchaAnswer: c.answer }))).status).toBe(202);
  });

  it('answers { required: false } when CAPTCHA=off, and posting needs no captcha', async () => {
    const t = await commentsApp({ CAPTCHA: 'off' });
    const res = await t.http.get('/v1/sites/xa-a/captcha');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ required: false });
    expect((await t.http.post(base()).send(form())).status).toBe(202);
  });

  it('404 for an unknown site', async () => {
    const t = await commentsApp(svg);
    expectProblem(await t.http.get('/v1/sites/khong-co/captcha'), 404, 'not_found');
  });
});
