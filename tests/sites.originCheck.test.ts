import { describe, expect, it } from 'vitest';
import { createSite, expectProblem, makeTestApp, type TestApp } from './helpers/app.js';
import { accountsApp, createUser, signIn } from './accounts.helpers.js';

const A = 'https://xa-a.example.vn';
const check = (t: TestApp, url: string, site = 'xa-a') => t.admin.get(`/v1/admin/sites/${site}/origin-check?url=${encodeURIComponent(url)}`);

/** What a browser on a page of `origin` meets when it reads the site's comments: the rule the helper must agree with. */
async function corsLetsIn(t: TestApp, origin: string): Promise<boolean> {
  const res = await t.http.get('/v1/sites/xa-a/threads/bai-1/comments').set('Origin', origin);
  return res.status !== 403;
}

describe('GET /v1/admin/sites/:site/origin-check: "Kiểm tra trang" asks the server', () => {
  it('answers with the origin a browser sends from that page, and agrees with the public endpoints', async () => {
    const t = await makeTestApp();
    await createSite(t, { origins: [A] });
    for (const [url, origin, allowed] of [
      [`${A}/tin-tuc/2026/ke-hoach-206.html?id=3#binh-luan`, A, true],
      ['  HTTPS://XA-A.Example.VN:443/trang-chu  ', A, true],
      ['https://user:mat-khau@xa-a.example.vn/', A, true],
      ['http://xa-a.example.vn/', 'http://xa-a.example.vn', false],
      ['https://xa-a.example.vn:8443/', 'https://xa-a.example.vn:8443', false],
      ['https://xa-a.example.vn.evil.vn/', 'https://xa-a.example.vn.evil.vn', false],
      ['https://tiên-ngọc.vn/tin', 'https://xn--tin-ngc-kya7799d.vn', false],
    ] as const) {
      const res = await check(t, url);
      expect(res.status, url).toBe(200);
      expect(res.body, url).toEqual({ origin, allowed, reason: allowed ? 'listed' : 'not_listed' });
      expect(await corsLetsIn(t, origin), url).toBe(allowed);
    }
    // Offered and added: the same page is then allowed, at once.
    await t.admin.post('/v1/admin/sites/xa-a/origins', { add: ['http://xa-a.example.vn'] }).expect(200);
    expect((await check(t, 'http://xa-a.example.vn/bai-viet')).body).toEqual({ origin: 'http://xa-a.example.vn', allowed: true, reason: 'listed' });
    expect(await corsLetsIn(t, 'http://xa-a.example.vn')).toBe(true);
  });

  it('refuses hostile addresses with a 400, never a 500 or an echo', async () => {
    const t = await makeTestApp();
    await createSite(t, { origins: [A] });
    for (const url of [
      'javascript:alert(document.cookie)',
      'JaVaScRiPt://xa-a.example.vn/%0aalert(1)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'ftp://xa-a.example.vn/',
      'blob:https://xa-a.example.vn/1',
      'xa-a.example.vn/tin-tuc',
      '',
      '   ',
      `${A}/\u0000`,
      `https://xa-a.example.vn\u0000.evil.vn/`,
      `${A}/\r\nSet-Cookie: x=1`,
      `${A}/${'a'.repeat(10_000)}`,
      'https://',
      'http://[::1/',
    ]) {
      const res = await check(t, url);
      expectProblem(res, 400, 'validation_failed');
      expect(JSON.stringify(res.body)).not.toContain('<script>');
    }
    // %00 written in the query itself, and the parameter given twice or not at all.
    expectProblem(await t.admin.get('/v1/admin/sites/xa-a/origin-check?url=https://xa-a.example.vn/%00'), 400, 'validation_failed');
    expectProblem(await t.admin.get(`/v1/admin/sites/xa-a/origin-check?url=${A}&url=https://b.vn`), 400, 'validation_failed');
    expectProblem(await t.admin.get('/v1/admin/sites/xa-a/origin-check'), 400, 'validation_failed');
    expectProblem(await t.admin.get(`/v1/admin/sites/xa-a/origin-check?url=${A}&extra=1`), 400, 'validation_failed');
    expectProblem(await check(t, A, 'khong-co'), 404, 'not_found');
    expectProblem(await check(t, A, 'xa%00a'), 404, 'not_found');
  });

  it('is for admins: a moderator key or a moderator signed in is refused', async () => {
    const t = await accountsApp();
    await createSite(t, { origins: [A] });
    const key = (await t.services.keys.create({ name: 'M', role: 'moderator', siteId: 'xa-a' })).key;
    expectProblem(await t.http.get(`/v1/admin/sites/xa-a/origin-check?url=${A}`).set('Authorization', `Bearer ${key}`), 403, 'forbidden');
    await createUser(t, { username: 'mod', sites: ['xa-a'] });
    const mod = await signIn(t, 'mod');
    expectProblem(await mod.get(`/v1/admin/sites/xa-a/origin-check?url=${A}`), 403, 'forbidden');
    expectProblem(await t.http.get(`/v1/admin/sites/xa-a/origin-check?url=${A}`), 401, 'unauthorized');
  });
});
