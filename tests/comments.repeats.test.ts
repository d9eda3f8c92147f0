import { describe, expect, it } from 'vitest';
import { commentsService, type PostResult } from '../src/comments/comments.service.js';
import { fingerprint, idempotency } from '../src/comments/idempotency.js';
import { expectProblem, testClock, type TestApp } from './helpers/app.js';
import { base, commentsApp, form, newCaptcha } from './comments.fixtures.js';

const KEY = 'f3b1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const count = (t: TestApp) => t.sql.value<number>('SELECT COUNT(*) FROM comments');
const captchaLeft = (t: TestApp, id: string) => t.sql.value<number>('SELECT COUNT(*) FROM captchas WHERE id = ?', id);
const svg = { CAPTCHA: 'svg' as const, COMMENT_MIN_SECONDS: 0 };

describe('Idempotency-Key: "Thử lại" after a reply that came too late stores the comment once', () => {
  it('a repeat gets the first answer, stores no second row and needs no second captcha', async () => {
    const t = await commentsApp(svg);
    const c = await newCaptcha(t);
    const body = form({ captchaId: c.id, captchaAnswer: c.answer, pow: c.pow });
    const first = await t.http.post(base()).set('Idempotency-Key', `"${KEY}"`).send(body);
    expect(first.status).toBe(202);
    // The widget timed out before this answer arrived; the reader presses "Thử lại": the same request again.
    const again = await t.http.post(base()).set('Idempotency-Key', `"${KEY}"`).send(body);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(await count(t)).toBe(1);
    // Even with a fresh captcha in the repeat, nothing is consumed: the first answer is simply given back.
    const fresh = await newCaptcha(t);
    const third = await t.http.post(base()).set('Idempotency-Key', KEY).send({ ...body, captchaId: fresh.id, captchaAnswer: fresh.answer, pow: fresh.pow });
    expect([third.status, third.body]).toEqual([202, first.body]);
    expect(await captchaLeft(t, fresh.id)).toBe(1);
    expect(await count(t)).toBe(1);
  });

  it('replays a published comment with the same 201 and body, and the thread counts it once', async () => {
    const t = await commentsApp({}, { premoderation: false });
    const first = await t.http.post(base()).set('Idempotency-Key', KEY).send(form());
    expect(first.status).toBe(201);
    const again = await t.http.post(base()).set('Idempotency-Key', KEY).send(form());
    expect([again.status, again.body]).toEqual([201, first.body]);
    expect(again.headers['content-type']).toMatch(/^application\/json/);
    const thread = await t.http.get(base());
    expect(thread.body.total).toBe(1);
    expect(thread.body.comments.map((c: { id: string }) => c.id)).toEqual([first.body.id]);
  });

  it('many copies of one request at once make one row and one answer', async () => {
    const t = await commentsApp();
    const all = await Promise.all(Array.from({ length: 12 }, () => t.http.post(base()).set('Idempotency-Key', KEY).send(form())));
    expect(new Set(all.map((r) => `${r.status} ${JSON.stringify(r.body)}`)).size).toBe(1);
    expect(all[0]!.status).toBe(202);
    expect(await count(t)).toBe(1);
  });

  it('two requests with one key that both pass the look-up still make one row: the key is a constraint', async () => {
    const clock = testClock();
    const t = await commentsApp({}, {}, clock);
    const { sites, hasher } = t.services;
    const { captcha, webhooks } = t.services.comments;
    const service = commentsService(t.storage.comments, { sites, hasher, captcha, webhooks, mail: t.services.mail, maxLinks: 2, now: clock.now, events: t.services.events });
    const once = idempotency(t.storage.comments, { now: clock.now });
    const input = { ...form(), website: undefined };
    const print = fingerprint('bai-1', input);
    const client = { ip: '10.0.0.1', userAgent: 'ua' };
    let second: PostResult | undefined;
    // The first request has looked the key up and found nothing; before it writes, a second one
    // (another process) runs from start to end. A look-up followed by a write would store two rows.
    const first = await once.run('xa-a', KEY, print, async (claim) => {
      second = await once.run('xa-a', KEY, print, (claim2) => service.post('xa-a', 'bai-1', input, client, claim2));
      return service.post('xa-a', 'bai-1', input, client, claim);
    });
    expect(second).toBeDefined();
    expect(first).toEqual(second);
    expect(await count(t)).toBe(1);
  });

  it('the same key with a different comment is refused with 422 idempotency_key_reused', async () => {
    const t = await commentsApp();
    expect((await t.http.post(base()).set('Idempotency-Key', KEY).send(form())).status).toBe(202);
    for (const over of [{ content: 'Một nội dung khác.' }, { name: 'Trần Thị Bình' }, { email: 'khac@example.vn' }]) {
      const res = await t.http.post(base()).set('Idempotency-Key', KEY).send(form(over));
      expectProblem(res, 422, 'idempotency_key_reused');
      expect(res.body.errors).toEqual([{ field: 'Idempotency-Key', message: expect.any(String) }]);
    }
    expectProblem(await t.http.post(base('xa-a', 'bai-khac')).set('Idempotency-Key', KEY).send(form()), 422, 'idempotency_key_reused');
    expect(await count(t)).toBe(1);
  });

  it('keys belong to one site: another site may use the same key', async () => {
    const t = await commentsApp();
    expect((await t.admin.post('/v1/admin/sites', { id: 'xa-b', name: 'Xã B', origins: ['https://xa-b.example.vn'] })).status).toBe(201);
    const a = await t.http.post(base('xa-a')).set('Idempotency-Key', KEY).send(form());
    const b = await t.http.post(base('xa-b')).set('Idempotency-Key', KEY).send(form());
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.body.id).not.toBe(b.body.id);
    expect(await count(t)).toBe(2);
  });

  it('only accepted posts are remembered: after a wrong captcha, the same key sends the corrected post', async () => {
    const t = await commentsApp(svg);
    const bad = await newCaptcha(t);
    expectProblem(await t.http.post(base()).set('Idempotency-Key', KEY).send(form({ captchaId: bad.id, captchaAnswer: 'sai', pow: bad.pow })), 400, 'captcha_invalid');
    const good = await newCaptcha(t);
    const res = await t.http.post(base()).set('Idempotency-Key', KEY).send(form({ captchaId: good.id, captchaAnswer: good.answer, pow: good.pow }));
    expect(res.status).toBe(202);
    expect(await count(t)).toBe(1);
  });

  it('an answer is kept for 24 hours, and goes with its comment', async () => {
    const clock = testClock();
    const t = await commentsApp({}, {}, clock);
    const first = await t.http.post(base()).set('Idempotency-Key', KEY).send(form());
    clock.advance(24 * 3_600_000 - 1);
    expect((await t.http.post(base()).set('Idempotency-Key', KEY).send(form())).body).toEqual(first.body);
    clock.advance(2);
    const later = await t.http.post(base()).set('Idempotency-Key', KEY).send(form());
    expect(later.status).toBe(202);
    expect(later.body.id).not.toBe(first.body.id);
    expect(await t.sql.column('SELECT comment_id FROM comment_idempotency')).toEqual([later.body.id]);
    // Erasing a commenter's comments leaves no copy of them in the stored answers.
    expect((await t.admin.delete('/v1/admin/commenters?site=xa-a&email=an.nguyen%40example.vn')).status).toBe(200);
    expect(await t.sql.value('SELECT COUNT(*) FROM comment_idempotency')).toBe(0);
  });

  it('refuses a malformed key with 400 naming the header, before storing anything', async () => {
    const t = await commentsApp();
    for (const key of ['ngan', 'x'.repeat(129), 'semi;colon;1234567890', '"' + 'a'.repeat(10) + '"', 'a b c d e f g h i j k']) {
      const res = await t.http.post(base()).set('Idempotency-Key', key).send(form());
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors).toEqual([{ field: 'Idempotency-Key', message: expect.any(String), code: expect.any(String) }]);
    }
    expect(await count(t)).toBe(0);
  });

  it('the widget may send the header across origins (CORS preflight allows it)', async () => {
    const t = await commentsApp();
    const pre = await t.http
      .options(base())
      .set('Origin', 'https://xa-a.example.vn')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type, idempotency-key');
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-headers']).toMatch(/Idempotency-Key/i);
  });
});

describe('duplicate_comment: the same words from the same writer in the same place, twice in a day', () => {
  it('is refused with 409, even with other spacing or letter case, without using up the captcha', async () => {
    const t = await commentsApp(svg);
    const c1 = await newCaptcha(t);
    expect((await t.http.post(base()).send(form({ content: 'Đồng ý với kế hoạch.', captchaId: c1.id, captchaAnswer: c1.answer, pow: c1.pow }))).status).toBe(202);
    const c2 = await newCaptcha(t);
    for (const content of ['Đồng ý với kế hoạch.', '  đồng Ý   với\nkế hoạch. ', 'Đồng ý với kế hoạch.'.normalize('NFD')]) {
      const res = await t.http.post(base()).send(form({ content, name: 'nguyễn văn  an', captchaId: c2.id, captchaAnswer: c2.answer, pow: c2.pow }));
      expectProblem(res, 409, 'duplicate_comment');
      expect(JSON.stringify(res.body)).not.toMatch(/an\.nguyen|pending|spam/);
    }
    // The captcha the reader solved is still good for what they write next.
    expect(await captchaLeft(t, c2.id)).toBe(1);
    expect((await t.http.post(base()).send(form({ content: 'Đồng ý, và đề nghị thêm lịch họp thôn.', captchaId: c2.id, captchaAnswer: c2.answer, pow: c2.pow }))).status).toBe(202);
    expect(await count(t)).toBe(2);
  });

  it('is allowed from another writer, in another thread, as a reply to another comment, or a day later', async () => {
    const clock = testClock();
    const t = await commentsApp({}, { premoderation: false }, clock);
    const words = { content: 'Cảm ơn anh.' };
    const parents = [];
    for (const content of ['Ý kiến thứ nhất.', 'Ý kiến thứ hai.']) parents.push((await t.http.post(base()).send(form({ content, name: 'Lê Văn Cường', email: '' }))).body.id);
    expect((await t.http.post(base()).send(form({ ...words, parentId: parents[0] }))).status).toBe(201);
    expectProblem(await t.http.post(base()).send(form({ ...words, parentId: parents[0] })), 409, 'duplicate_comment');
    expect((await t.http.post(base()).send(form({ ...words, parentId: parents[1] }))).status).toBe(201);
    expect((await t.http.post(base()).send(form({ ...words, parentId: parents[0], name: 'Trần Thị Bình' }))).status).toBe(201);
    expect((await t.http.post(base()).send(form({ ...words, parentId: parents[0], email: 'an.khac@example.vn' }))).status).toBe(201);
    expect((await t.http.post(base('xa-a', 'bai-khac')).send(form(words))).status).toBe(201);
    expectProblem(await t.http.post(base()).send(form({ content: 'Ý kiến thứ nhất.', name: 'Lê Văn Cường', email: '' })), 409, 'duplicate_comment');
    clock.advance(24 * 3_600_000 + 1);
    expect((await t.http.post(base()).send(form({ ...words, parentId: parents[0] }))).status).toBe(201);
    expect(await count(t)).toBe(8);
  });

  it('a repeat with the Idempotency-Key is answered, not refused as a duplicate', async () => {
    const t = await commentsApp();
    const first = await t.http.post(base()).set('Idempotency-Key', KEY).send(form());
    const again = await t.http.post(base()).set('Idempotency-Key', KEY).send(form());
    expect([again.status, again.body]).toEqual([202, first.body]);
    expectProblem(await t.http.post(base()).set('Idempotency-Key', `${KEY}-2`).send(form()), 409, 'duplicate_comment');
  });
});
