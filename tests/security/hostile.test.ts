import { describe, expect, it } from 'vitest';
import { createPoll, createSite, expectProblem, makeTestApp, newVoter } from '../helpers/app.js';
import { sqlFingerprint } from '../helpers/dbState.js';

export const SQL_INJECTION = [
  "' OR '1'='1",
  "'; DROP TABLE polls; --",
  '" OR 1=1 --',
  "1; DELETE FROM ballots WHERE 1=1",
  "xa-a' UNION SELECT key_hash FROM api_keys --",
];

export const XSS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg/onload=alert(1)>',
  "javascript:alert('ý kiến')",
  '<iframe srcdoc="<script>parent.alert(1)</script>">',
  '{{constructor.constructor("alert(1)")()}}',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">xem</a>',
  '\u003cscript\u003ealert(1)\u003c/script\u003e',
];

export const CSV_INJECTION = ['=HYPERLINK("http://evil.example","Bấm vào đây")', '+cmd|" /C calc"!A0', '-2+3', '@SUM(1+1)', '\t=1+1', '\r=1+1'];

describe('hostile inputs', () => {
  it('stores SQL-looking text literally and never executes it', async () => {
    const t = await makeTestApp();
    await createSite(t);
    for (const s of SQL_INJECTION) {
      const res = await t.admin.post('/v1/admin/polls', { site: 'xa-a', question: s, options: [s, `${s} (2)`] });
      expect(res.status).toBe(201);
      expect(res.body.question).toBe(s);
      expectProblem(await t.http.get(`/v1/polls/${encodeURIComponent(s)}`), 404, 'not_found');
      expectProblem(await t.admin.get(`/v1/admin/polls?site=${encodeURIComponent(s)}`), 400, 'validation_failed');
    }
    expect(await t.sql.value('SELECT COUNT(*) FROM polls')).toBe(SQL_INJECTION.length);
    expect(await t.sql.value('SELECT COUNT(*) FROM api_keys')).toBe(1);
  });

  it('returns XSS payloads as inert JSON text, byte for byte', async () => {
    const t = await makeTestApp();
    await createSite(t, { name: XSS[0] });
    for (const s of XSS) {
      const created = await t.admin.post('/v1/admin/polls', { site: 'xa-a', question: s, options: [s, 'Bình thường'] });
      expect(created.status).toBe(201);
      const pub = await t.http.get(`/v1/polls/${created.body.id}`);
      expect(pub.headers['content-type']).toMatch(/^application\/json/);
      expect(pub.headers['x-content-type-options']).toBe('nosniff');
      expect(pub.body.question).toBe(s.normalize('NFC'));
      expect(pub.body.options[0].label).toBe(s.normalize('NFC'));
    }
  });

  it('refuses NUL bytes, control characters, overlong text and invalid UTF-8 with 4xx', async () => {
    const t = await makeTestApp();
    await createSite(t);
    const before = await sqlFingerprint(t.sql);
    for (const question of ['Câu\u0000hỏi', 'Câu\u0007hỏi', 'ế'.repeat(501), '\ud800 lone surrogate'])
      expectProblem(await t.admin.post('/v1/admin/polls', { site: 'xa-a', question, options: ['A', 'B'] }), 400, 'validation_failed');
    const invalidUtf8 = Buffer.concat([Buffer.from('{"site":"xa-a","question":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('","options":["A","B"]}')]);
    expectProblem(
      await t.http.post('/v1/admin/polls').set('Authorization', `Bearer ${t.adminKey}`).set('Content-Type', 'application/json').serialize(() => invalidUtf8 as unknown as string).send({}),
      400,
      'invalid_utf8',
    );
    expectProblem(await t.admin.post('/v1/admin/polls', { site: 'xa-a', question: 'x'.repeat(200_000), options: ['A', 'B'] }), 413, 'body_too_large');
    expect(await sqlFingerprint(t.sql)).toBe(before);
  });

  it('survives deeply nested JSON', async () => {
    const t = await makeTestApp();
    await createSite(t);
    const p = await createPoll(t);
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const res = await t.http.post(`/v1/polls/${p.id}/votes`).set('Content-Type', 'application/json').send(`{"optionIds":${deep},"voterId":"abcdefgh1"}`);
    expectProblem(res, 400, 'validation_failed');
    const deepObj = '{"a":'.repeat(2500) + '1' + '}'.repeat(2500);
    expectProblem(
      await t.http.post('/v1/admin/sites').set('Authorization', `Bearer ${t.adminKey}`).set('Content-Type', 'application/json').send(deepObj),
      400,
      'validation_failed',
    );
  });

  it('refuses prototype-pollution keys and leaves Object.prototype alone', async () => {
    const t = await makeTestApp();
    await createSite(t);
    const p = await createPoll(t);
    const bodies = [
      `{"optionIds":["${p.options[0]!.id}"],"voterId":"${newVoter()}","__proto__":{"polluted":true}}`,
      `{"optionIds":["${p.options[0]!.id}"],"voterId":"${newVoter()}","constructor":{"prototype":{"polluted":true}}}`,
    ];
    for (const b of bodies) expectProblem(await t.http.post(`/v1/polls/${p.id}/votes`).set('Content-Type', 'application/json').send(b), 400, 'validation_failed');
    expectProblem(
      await t.admin.patch('/v1/admin/sites/xa-a').set('Content-Type', 'application/json').send('{"__proto__":{"premoderation":false}}'),
      400,
      'validation_failed',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await t.admin.get('/v1/admin/sites/xa-a')).body.premoderation).toBe(true);
    expect(await t.sql.value('SELECT COUNT(*) FROM ballots')).toBe(0);
  });

  it('refuses path traversal in ids and keys', async () => {
    const t = await makeTestApp();
    await createSite(t);
    for (const id of ['..%2F..%2Fetc%2Fpasswd', '%2e%2e', '..', '%00', '%ZZ']) {
      const res = await t.http.get(`/v1/polls/${id}`);
      expect([400, 404]).toContain(res.status);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
  });

  it('ignores a forged X-Forwarded-For when no proxy is trusted', async () => {
    const t = await makeTestApp({ VOTE_LIMIT_PER_IP: 2 });
    await createSite(t);
    const p = await createPoll(t);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push(
        (await t.http.post(`/v1/polls/${p.id}/votes`).set('X-Forwarded-For', `198.51.100.${i}`).send({ optionIds: [p.options[0]!.id], voterId: newVoter() })).status,
      );
    expect(statuses).toEqual([201, 201, 429, 429]);
  });

  it('refuses admin calls with missing, malformed, unknown, revoked and wrong-scope keys', async () => {
    const t = await makeTestApp();
    await createSite(t);
    await createSite(t, { id: 'xa-b', name: 'Xã B' });
    const revoked = await t.services.keys.create({ name: 'Cũ', role: 'admin' });
    await t.services.keys.revoke(revoked.row.id);
    const scoped = await t.services.keys.create({ name: 'Mod B', role: 'moderator', siteId: 'xa-b' });
    const cases: [string | undefined, number, string][] = [
      [undefined, 401, 'unauthorized'],
      ['', 401, 'unauthorized'],
      ['Bearer', 401, 'unauthorized'],
      [`Bearer ${t.adminKey}x`, 401, 'unauthorized'],
      [`Bearer ${t.adminKey.toLowerCase()}`, 401, 'unauthorized'],
      [`Token ${t.adminKey}`, 401, 'unauthorized'],
      [`Bearer ${"' OR 1=1 --"}`, 401, 'unauthorized'],
      [`Bearer ${revoked.key}`, 401, 'unauthorized'],
      [`Bearer ${scoped.key}`, 403, 'forbidden'],
    ];
    for (const [auth, status, code] of cases) {
      let r = t.http.get('/v1/admin/sites/xa-a');
      if (auth !== undefined) r = r.set('Authorization', auth);
      const res = await r;
      expectProblem(res, status, code);
      expect(JSON.stringify(res.body)).not.toContain('yk_');
    }
  });
});
