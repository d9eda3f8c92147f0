import { createChallenge } from 'altcha-lib/v1';
import fc from 'fast-check';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { CAPTCHA_CHARS } from '../src/comments/captcha.render.js';
import { expectProblem, makeTestApp, createSite, testClock, type TestApp } from './helpers/app.js';
import { answerOf, base, commentsApp, form, newCaptcha, solvePow, type PowChallenge } from './comments.fixtures.js';

const svg = { CAPTCHA: 'svg' as const, CAPTCHA_TTL_SECONDS: 300, COMMENT_MIN_SECONDS: 3 };
const count = (t: Pick<TestApp, 'sql'>, table: string) => t.sql.value<number>(`SELECT COUNT(*) FROM ${table}`);
const paramsOf = (pow: { salt: string }) => Object.fromEntries(new URLSearchParams(pow.salt.split('?')[1]));

describe('captcha lifecycle (CAPTCHA=svg)', () => {
  it('issues a server-rendered PNG, never SVG, stored server-side with an expiry and a proof of work bound to it', async () => {
    const clock = testClock();
    const t = await commentsApp(svg, {}, clock);
    const res = await t.http.get('/v1/sites/xa-a/captcha');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(Object.keys(res.body).sort()).toEqual(['expiresAt', 'height', 'id', 'image', 'length', 'mode', 'pow', 'width']);
    expect(res.body).toMatchObject({ mode: 'image', width: 220, height: 80, length: 5 });
    expect(res.body.image).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
    // A real PNG, drawn at twice the size it is shown at (sharp on phones).
    const png = PNG.sync.read(Buffer.from(res.body.image.split(',')[1], 'base64'));
    expect([png.width, png.height]).toEqual([440, 160]);
    // No markup, no glyph outline anywhere in what is sent.
    expect(res.text).not.toMatch(/<svg|<path|\bd=|image\/svg/i);
    expect(res.body.expiresAt).toBe(new Date(clock.now() + 300_000).toISOString());
    const answer = await answerOf(t, res.body.id);
    expect(answer).toMatch(new RegExp(`^[${CAPTCHA_CHARS.toLowerCase()}]{5}$`));
    // The answer is never sent to the client.
    expect(res.text.toLowerCase()).not.toContain(answer);

    expect(Object.keys(res.body.pow).sort()).toEqual(['algorithm', 'challenge', 'maxnumber', 'salt', 'signature']);
    expect(res.body.pow).toMatchObject({ algorithm: 'SHA-256', maxnumber: t.config.POW_MAX_NUMBER });
    expect(paramsOf(res.body.pow)).toEqual({ expires: String((clock.now() + 300_000) / 1000), site: 'xa-a', id: res.body.id, mode: 'image' });
  });

  it('accepts the right answer in any letter case, once', async () => {
    const clock = testClock();
    const t = await commentsApp(svg, {}, clock);
    const c = await newCaptcha(t);
    clock.advance(5_000);
    const ok = await t.http.post(base()).send(form({ captchaId: c.id, captchaAnswer: ` ${c.answer.toUpperCase()} `, pow: c.pow }));
    expect(ok.status).toBe(202);
    expect(ok.body).toEqual({ id: expect.any(String), status: 'pending' });
    // Reuse: one solved captcha never buys two comments.
    const again = await t.http.post(base()).send(form({ content: 'Một ý kiến khác.', captchaId: c.id, captchaAnswer: c.answer, pow: c.pow }));
    expectProblem(again, 400, 'captcha_invalid');
    expect(again.body.errors).toEqual([{ field: 'captchaAnswer', message: expect.any(String) }]);
    expect(await count(t, 'comments')).toBe(1);
  });

  it('a wrong answer consumes the challenge: the right answer afterwards is refused', async () => {
    const clock = testClock();
    const t = await commentsApp(svg, {}, clock);
    const c = await newCaptcha(t);
    clock.advance(5_000);
    expectProblem(await t.http.post(base()).send(form({ captchaId: c.id, captchaAnswer: 'zzzzzz', pow: c.pow })), 400, 'captcha_invalid');
    expectProblem(await t.http.post(base()).send(form({ captchaId: c.id, captchaAnswer: c.answer, pow: c.pow })), 400, 'captcha_invalid');
    expect(await count(t, 'captchas')).toBe(0);
    expect(await count(t, 'comments')).toBe(0);
  });

  it('expires after CAPTCHA_TTL_SECONDS', async () => {
    const clock = testClock();
    const t = await commentsApp(svg, {}, clock);
    const c = await newCaptcha(t);
    clock.advance(300_000);
    const res = await t.http.post(base()).send(form({ captchaId: c.id, captchaAnswer: c.answer, pow: c.pow }));
    expectProblem(res, 400, 'captcha_invalid');
    expect(res.body.detail).toMatch(/expired/);
    // Just inside the lifetime still works.
    const d = await newCaptcha(t);
    clock.advance(299_000);
    expect((await t.http.post(base()).send(form({ captchaId: d.id, captchaAnswer: d.answer, pow: d.pow }))).status).toBe(202);
  });

  it('expired challenges and spent proofs of work are purged when new ones are issued', async () => {
    const clock = testClock();
    const t = await commentsApp({ ...svg, COMMENT_MIN_SECONDS: 0 }, {}, clock);
    await newCaptcha(t);
    const c = await newCaptcha(t);
    expect((await t.http.post(base()).send(form({ captchaId: c.id, captchaAnswer: c.answer, pow: c.pow }))).status).toBe(202);
    expect(await count(t, 'pow_used')).toBe(1);
    clock.advance(301_000);
    await newCaptcha(t);
    expect(await count(t, 'captchas')).toBe(1);
    expect(await count(t, 'pow_used')).toBe(0);
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
    expectProblem(await t.http.post(base()).send(form({ captchaId: c.id, captchaAnswer: c.answer, pow: c.pow })), 400, 'captcha_invalid');
  });

  it('validation errors do not burn the captcha, so the person can fix the field and send again', async () => {
    const clock = testClock();
    const t = await commentsApp(svg, {}, clock);
    const c = await newCaptcha(t);
    clock.advance(5_000);
    const bad = await t.http.post(base()).send(form({ name: '', captchaId: c.id, captchaAnswer: c.answer, pow: c.pow }));
    expectProblem(bad, 400, 'validation_failed');
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'name' })]);
    expect((await t.http.post(base()).send(form({ captchaId: c.id, captchaAnswer: c.answer, pow: c.pow }))).status).toBe(202);
  });

  it('answers { required: false } when CAPTCHA=off, and posting needs no captcha and no proof of work', async () => {
    const t = await commentsApp({ CAPTCHA: 'off' });
    const res = await t.http.get('/v1/sites/xa-a/captcha');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ required: false });
    expect((await t.http.post(base()).send(form())).status).toBe(202);
  });

  it('404 for an unknown site, 400 for an unknown mode', async () => {
    const t = await commentsApp(svg);
    expectProblem(await t.http.get('/v1/sites/khong-co/captcha'), 404, 'not_found');
    const bad = await t.http.get('/v1/sites/xa-a/captcha?mode=audio');
    expectProblem(bad, 400, 'validation_failed');
    expect(bad.body.errors[0].field).toBe('mode');
  });
});

describe('proof of work (attacks on it)', () => {
  it('refuses a post without one (pow_required), leaving the captcha usable', async () => {
    const clock = testClock();
    const t = await commentsApp(svg, {}, clock);
    const c = await newCaptcha(t);
    clock.advance(5_000);
    const res = await t.http.post(base()).send(form({ captchaId: c.id, captchaAnswer: c.answer }));
    expectProblem(res, 400, 'pow_required');
    expect(res.body.errors).toEqual([{ field: 'pow', message: expect.any(String) }]);
    expect(await count(t, 'comments')).toBe(0);
    expect((await t.http.post(base()).send(form({ captchaId: c.id, captchaAnswer: c.answer, pow: c.pow }))).status).toBe(202);
  });

  it('refuses a guessed number, a forged signature, an edited salt and a malformed solution', async () => {
    const clock = testClock();
    const t = await commentsApp(svg, {}, clock);
    const c = await newCaptcha(t);
    clock.advance(5_000);
    const pow = c.pow!;
    const send = (p: unknown) => t.http.post(base()).send(form({ captchaId: c.id, captchaAnswer: c.answer, pow: p }));
    expectProblem(await send({ ...pow, number: pow.number + 1 }), 400, 'pow_invalid');
    expectProblem(await send({ ...pow, signature: 'ab'.repeat(32) }), 400, 'pow_invalid');
    // A cheap challenge of one's own making, with the same parameters: signed with the wrong key.
    const forged = await createChallenge({ hmacKey: 'a-guess-at-the-key', maxNumber: 10, params: paramsOf(pow) });
    expectProblem(await send(await solvePow(forged as PowChallenge)), 400, 'pow_invalid');
    expectProblem(await send({ ...pow, salt: pow.salt.replace('mode=image', 'mode=image&x=1') }), 400, 'pow_invalid');
    const malformed = await send({ ...pow, algorithm: 'SHA-1' });
    expectProblem(malformed, 400, 'validation_failed');
    expect(malformed.body.errors[0].field).toMatch(/^pow/);
    // None of this used up the captcha or stored anything.
    expect(await count(t, 'comments')).toBe(0);
    expect((await send(pow)).status).toBe(202);
  });

  it('a solution works once, and only for the captcha, site and mode it was issued with', async () => {
    const clock = testClock();
    const t = await commentsApp({ ...svg, COMMENT_MIN_SECONDS: 0 }, {}, clock);
    await t.admin.post('/v1/admin/sites', { id: 'xa-b', name: 'Xã B' });
    const a = await newCaptcha(t);
    const b = await newCaptcha(t);
    // a's proof of work on b's captcha.
    expectProblem(await t.http.post(base()).send(form({ captchaId: b.id, captchaAnswer: b.answer, pow: a.pow })), 400, 'pow_invalid');
    // Another site's proof of work.
    const other = await newCaptcha(t, 'xa-b');
    expectProblem(await t.http.post(base()).send(form({ captchaId: b.id, captchaAnswer: b.answer, pow: other.pow })), 400, 'pow_invalid');
    // The cheap picture's proof of work on an accessible (heavier) challenge.
    const acc = await newCaptcha(t, 'xa-a', 'accessible');
    const cheap = await t.http.post(base()).send(form({ captchaId: acc.id, pow: a.pow }));
    expectProblem(cheap, 400, 'pow_invalid');
    expect(cheap.body.detail).toMatch(/another form/);
    expect((await t.http.post(base()).send(form({ captchaId: b.id, captchaAnswer: b.answer, pow: b.pow }))).status).toBe(202);
  });

  it('is single-use across processes: a solution replayed to a second app on the same database is refused', async () => {
    // CAPTCHA off, POW on: nothing but the spent-challenge table stands between a replay and a second comment.
    const clock = testClock();
    const t = await makeTestApp({ CAPTCHA: 'off', POW: 'on' }, { clock });
    await createSite(t, { premoderation: false });
    const other = await t.otherInstance();
    const res = await t.http.get('/v1/sites/xa-a/captcha');
    expect(Object.keys(res.body).sort()).toEqual(['expiresAt', 'pow', 'required']);
    expect(res.body.required).toBe(false);
    expectProblem(await t.http.post(base()).send(form()), 400, 'pow_required');
    const pow = await solvePow(res.body.pow);
    expect((await t.http.post(base()).send(form({ pow }))).status).toBe(201);
    const replay = await other.post(base()).send(form({ pow, content: 'Bình luận thứ hai, cùng một lời giải.' }));
    expectProblem(replay, 400, 'pow_invalid');
    expect(replay.body.detail).toMatch(/already used/);
    expectProblem(await t.http.post(base()).send(form({ pow, content: 'Bình luận thứ ba, vẫn lời giải cũ.' })), 400, 'pow_invalid');
    expect(await count(t, 'comments')).toBe(1);
    // It expires with the challenge, on the app's clock.
    const late = await t.http.get('/v1/sites/xa-a/captcha');
    const latePow = await solvePow(late.body.pow);
    clock.advance(301_000);
    const expired = await t.http.post(base()).send(form({ pow: latePow, content: 'Bình luận gửi quá hạn.' }));
    expectProblem(expired, 400, 'pow_invalid');
    expect(expired.body.detail).toMatch(/expired/);
  });
});

describe('proof of work: generated garbage', () => {
  it('any value as pow, or as a solution field, is a 400 with a code and stores nothing', { timeout: 60_000 }, async () => {
    const t = await commentsApp({ ...svg, COMMENT_MIN_SECONDS: 0 });
    const c = await newCaptcha(t);
    const pow = c.pow!;
    const field = fc.oneof(fc.anything(), fc.string({ maxLength: 500 }), fc.integer(), fc.double(), fc.stringMatching(/^[0-9a-f]{64}$/));
    const value = fc.oneof(
      fc.anything(),
      fc.record({ algorithm: field, challenge: field, number: field, salt: field, signature: field }, { requiredKeys: [] }),
      fc
        .constantFrom('algorithm', 'challenge', 'number', 'salt', 'signature')
        // One field changed (never back to its right value: that would be the valid solution).
        .chain((k) => field.filter((v) => v !== pow[k]).map((v) => ({ ...pow, [k]: v }))),
    );
    await fc.assert(
      fc.asyncProperty(value, async (p) => {
        const res = await t.http.post(base()).send(form({ captchaId: c.id, captchaAnswer: c.answer, pow: p }));
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(['validation_failed', 'pow_required', 'pow_invalid']).toContain(res.body.code);
      }),
      { numRuns: 150 },
    );
    expect(await count(t, 'comments')).toBe(0);
    expect(await count(t, 'pow_used')).toBe(0);
    // And the captcha was never used up.
    expect((await t.http.post(base()).send(form({ captchaId: c.id, captchaAnswer: c.answer, pow }))).status).toBe(202);
  });
});

describe('the accessible path ("Tôi không đọc được mã")', () => {
  it('gives no picture and a proof of work POW_ACCESSIBLE_FACTOR times heavier', async () => {
    const t = await commentsApp(svg);
    const res = await t.http.get('/v1/sites/xa-a/captcha?mode=accessible');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(Object.keys(res.body).sort()).toEqual(['expiresAt', 'id', 'mode', 'pow']);
    expect(res.body.mode).toBe('accessible');
    expect(res.body.pow.maxnumber).toBe(t.config.POW_MAX_NUMBER * t.config.POW_ACCESSIBLE_FACTOR);
    expect(paramsOf(res.body.pow)).toMatchObject({ site: 'xa-a', id: res.body.id, mode: 'accessible' });
    expect(await answerOf(t, res.body.id)).toBe('');
  });

  it('always goes to a moderator, even where premoderation is off; links still make it spam', async () => {
    const clock = testClock();
    const t = await commentsApp(svg, { premoderation: false }, clock);
    const a = await newCaptcha(t, 'xa-a', 'accessible');
    clock.advance(5_000);
    // No answer to type: the proof of work is the whole test.
    const res = await t.http.post(base()).send(form({ captchaId: a.id, pow: a.pow }));
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: expect.any(String), status: 'pending' });
    expect(await t.sql.value('SELECT status FROM comments WHERE id = ?', res.body.id)).toBe('pending');
    expect((await t.http.get(base())).body.total).toBe(0);
    // Used once, like any captcha.
    expectProblem(await t.http.post(base()).send(form({ captchaId: a.id, pow: a.pow, content: 'Một ý kiến khác, cùng mã.' })), 400, 'captcha_invalid');
    // Without the proof of work, nothing.
    const b = await newCaptcha(t, 'xa-a', 'accessible');
    clock.advance(5_000);
    expectProblem(await t.http.post(base()).send(form({ captchaId: b.id, content: 'Gửi khi chưa xong bằng chứng.' })), 400, 'pow_required');
    const spam = await t.http.post(base()).send(form({ captchaId: b.id, pow: b.pow, content: 'Mua https://a.example.com https://b.example.com https://c.example.com' }));
    expect(spam.status).toBe(202);
    expect(await t.sql.value('SELECT status FROM comments WHERE id = ?', spam.body.id)).toBe('spam');
    // The picture still publishes at once on this site.
    const c = await newCaptcha(t);
    clock.advance(5_000);
    expect((await t.http.post(base()).send(form({ captchaId: c.id, captchaAnswer: c.answer, pow: c.pow, content: 'Ý kiến gửi bằng mã hình ảnh.' }))).status).toBe(201);
  });
});
