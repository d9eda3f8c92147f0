import { describe, expect, it } from 'vitest';
import { createSite, expectProblem, makeTestApp } from './helpers/app.js';

const site = '/v1/admin/sites/xa-a';

async function app() {
  const t = await makeTestApp();
  await createSite(t);
  const modKey = (await t.services.keys.create({ name: 'Mod A', role: 'moderator', siteId: 'xa-a' })).key;
  const mod = {
    get: (url: string) => t.http.get(url).set('Authorization', `Bearer ${modKey}`),
    patch: (url: string, body: object) => t.http.patch(url).set('Authorization', `Bearer ${modKey}`).send(body),
  };
  return { ...t, mod };
}

describe("a site's notifyEmails and notifyDigestMinutes", () => {
  it('are set through PATCH, normalised (trimmed, lower case, no duplicates) and shown to admins', async () => {
    const t = await app();
    expect((await t.admin.get(site)).body).toMatchObject({ notifyEmails: [], notifyDigestMinutes: 0 });
    const res = await t.admin.patch(site, { notifyEmails: [' VanThu@TienNgoc.gov.vn ', 'vanthu@tienngoc.gov.vn', 'chutich@tienngoc.gov.vn'], notifyDigestMinutes: 60 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ notifyEmails: ['vanthu@tienngoc.gov.vn', 'chutich@tienngoc.gov.vn'], notifyDigestMinutes: 60 });
    expect((await t.admin.get(site)).body.notifyEmails).toEqual(['vanthu@tienngoc.gov.vn', 'chutich@tienngoc.gov.vn']);
    // Other fields are kept by a PATCH that does not name them, and the other way round.
    const renamed = await t.admin.patch(site, { name: 'Xã A mới' });
    expect(renamed.body).toMatchObject({ name: 'Xã A mới', notifyEmails: ['vanthu@tienngoc.gov.vn', 'chutich@tienngoc.gov.vn'], notifyDigestMinutes: 60 });
    expect((await t.admin.patch(site, { notifyEmails: [] })).body).toMatchObject({ notifyEmails: [], notifyDigestMinutes: 60 });
  });

  it('refuses a bad address, too many, U+0000 or a header break, and a bad interval, with 400 validation_failed naming the field', async () => {
    const t = await app();
    const cases: [unknown, string][] = [
      [{ notifyEmails: ['not-an-address'] }, 'notifyEmails.0'],
      [{ notifyEmails: ['a@xa.vn', 'vanthu@xa.vn\u0000'] }, 'notifyEmails.1'],
      [{ notifyEmails: ['vanthu@xa.vn\r\nBcc: attacker@evil.example'] }, 'notifyEmails.0'],
      [{ notifyEmails: ['"Văn thư" <vanthu@xa.vn>'] }, 'notifyEmails.0'],
      [{ notifyEmails: Array.from({ length: 21 }, (_, i) => `mod${i}@xa.vn`) }, 'notifyEmails'],
      [{ notifyEmails: 'vanthu@xa.vn' }, 'notifyEmails'],
      [{ notifyEmails: [`${'a'.repeat(250)}@xa.vn`] }, 'notifyEmails.0'],
      [{ notifyDigestMinutes: 3 }, 'notifyDigestMinutes'],
      [{ notifyDigestMinutes: 1441 }, 'notifyDigestMinutes'],
      [{ notifyDigestMinutes: 7.5 }, 'notifyDigestMinutes'],
      [{ notifyDigestMinutes: '15' }, 'notifyDigestMinutes'],
    ];
    for (const [body, field] of cases) {
      const res = await t.admin.patch(site, body as object);
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await t.admin.get(site)).body).toMatchObject({ notifyEmails: [], notifyDigestMinutes: 0 });
    // Twenty is allowed.
    expect((await t.admin.patch(site, { notifyEmails: Array.from({ length: 20 }, (_, i) => `mod${i}@xa.vn`) })).status).toBe(200);
  });

  it('a moderator may not set them (403), and sees how many addresses there are, not who, in the site and the audit log', async () => {
    const t = await app();
    expectProblem(await t.mod.patch(site, { notifyEmails: ['me@xa.vn'] }), 403, 'forbidden');
    await t.admin.patch(site, { notifyEmails: ['vanthu@tienngoc.gov.vn', 'chutich@tienngoc.gov.vn'], notifyDigestMinutes: 15 });
    const one = await t.mod.get(site);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: 'xa-a', notifyEmailCount: 2, notifyDigestMinutes: 15 });
    expect(one.body).not.toHaveProperty('notifyEmails');
    const list = await t.mod.get('/v1/admin/sites');
    expect(list.body.sites).toHaveLength(1);
    for (const res of [one, list, await t.mod.get('/v1/admin/audit?site=xa-a')]) {
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toContain('tienngoc.gov.vn');
    }
    const audit = await t.admin.get('/v1/admin/audit?action=site.update');
    expect(audit.body.entries[0].detail).toEqual({ notifyEmails: { count: 2 }, notifyDigestMinutes: 15 });
  });
});
