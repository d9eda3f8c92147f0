import express from 'express';
import helmet from 'helmet';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { HELMET_OPTIONS } from '../src/app.js';
import { createPoll, createSite, expectProblem, makeTestApp, newVoter, PORTAL_POLL } from './helpers/app.js';

describe('sites API', () => {
  it('creates a site with defaults: Asia/Ho_Chi_Minh and pre-moderation on', async () => {
    const t = await makeTestApp();
    const res = await t.admin.post('/v1/admin/sites', { id: 'tienngoc', name: 'Cổng thông tin điện tử xã Tiên Ngọc', origins: ['https://tienngoc.quangnam.gov.vn'] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: 'tienngoc', timezone: 'Asia/Ho_Chi_Minh', premoderation: true, origins: ['https://tienngoc.quangnam.gov.vn'] });
    expectProblem(await t.admin.post('/v1/admin/sites', { id: 'tienngoc', name: 'Lần hai' }), 409, 'site_exists');
    expect((await t.admin.get('/v1/admin/sites')).body.sites).toHaveLength(1);
    expect((await t.admin.get('/v1/admin/sites/tienngoc')).body.name).toBe('Cổng thông tin điện tử xã Tiên Ngọc');
    expectProblem(await t.admin.get('/v1/admin/sites/khong-co'), 404, 'not_found');
  });

  it('validates ids, origins and time zones', async () => {
    const t = await makeTestApp();
    const bad = [
      { id: '../etc', name: 'x' },
      { id: 'ok', name: '' },
      { id: 'ok', name: 'x', origins: ['https://a.vn/path'] },
      { id: 'ok', name: 'x', origins: ['javascript:alert(1)'] },
      { id: 'ok', name: 'x', origins: ['https://a.vn/'] },
      { id: 'ok', name: 'x', timezone: 'Mars/Olympus' },
      { id: 'ok', name: 'x', premoderation: 'yes' },
    ];
    for (const body of bad) expectProblem(await t.admin.post('/v1/admin/sites', body), 400, 'validation_failed');
    expect(await t.sql.value('SELECT COUNT(*) FROM sites')).toBe(0);
  });

  it('patches a site and records who did it', async () => {
    const t = await makeTestApp();
    await createSite(t);
    const res = await t.admin.patch('/v1/admin/sites/xa-a', { premoderation: false, timezone: 'Asia/Bangkok', origins: ['https://a.vn', 'http://localhost:3000'] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ premoderation: false, timezone: 'Asia/Bangkok', origins: ['https://a.vn', 'http://localhost:3000'] });
    expectProblem(await t.admin.patch('/v1/admin/sites/none', { name: 'x' }), 404, 'not_found');
    expectProblem(await t.admin.patch('/v1/admin/sites/xa-a', { id: 'other' }), 400, 'validation_failed');
    const audit = (await t.admin.get('/v1/admin/audit?site=xa-a')).body.entries;
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['site.update', 'site.create']);
  });

  it('lets a moderator read only its own site and never write sites', async () => {
    const t = await makeTestApp();
    await createSite(t);
    await createSite(t, { id: 'xa-b', name: 'Xã B' });
    const mod = (await t.services.keys.create({ name: 'Mod A', role: 'moderator', siteId: 'xa-a' })).key;
    const as = (r: import('supertest').Test) => r.set('Authorization', `Bearer ${mod}`);
    expect((await as(t.http.get('/v1/admin/sites'))).body.sites.map((s: { id: string }) => s.id)).toEqual(['xa-a']);
    expectProblem(await as(t.http.get('/v1/admin/sites/xa-b')), 403, 'forbidden');
    expectProblem(await as(t.http.post('/v1/admin/sites').send({ id: 'c', name: 'C' })), 403, 'forbidden');
    expectProblem(await as(t.http.patch('/v1/admin/sites/xa-a').send({ name: 'C' })), 403, 'forbidden');
  });
});

describe('CORS', () => {
  it("allows a site's own origins on its public endpoints and nothing else", async () => {
    const t = await makeTestApp();
    await createSite(t, { origins: ['https://xa-a.example.vn'] });
    const p = await createPoll(t);
    const ok = await t.http.get(`/v1/polls/${p.id}`).set('Origin', 'https://xa-a.example.vn');
    expect(ok.headers['access-control-allow-origin']).toBe('https://xa-a.example.vn');
    expect(ok.headers.vary).toMatch(/Origin/);
    const pre = await t.http.options(`/v1/polls/${p.id}/votes`).set('Origin', 'https://xa-a.example.vn').set('Access-Control-Request-Method', 'POST');
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-methods']).toContain('POST');
    expect(pre.headers['access-control-allow-headers']).toMatch(/content-type/i);

    // A read from a foreign origin is refused READABLY, so the widget can name the origin to add; no data goes with it.
    const evil = await t.http.get(`/v1/polls/${p.id}`).set('Origin', 'https://evil.example');
    expectProblem(evil, 403, 'origin_not_allowed');
    expect(evil.headers['access-control-allow-origin']).toBe('https://evil.example');
    expect(evil.headers['access-control-expose-headers']).toBeUndefined();
    expect(evil.headers['cache-control']).toBe('no-store');
    const { type: _type, title: _title, status: _status, detail, ...rest } = evil.body;
    expect(rest).toEqual({ code: 'origin_not_allowed', origin: 'https://evil.example', site: 'xa-a' });
    expect(detail).toBe('Origin https://evil.example is not in the origins of site "xa-a". An admin adds it with: ykien sites origins add xa-a https://evil.example');
    expect(JSON.stringify(evil.body)).not.toContain(PORTAL_POLL.question);
    expect(JSON.stringify(evil.body)).not.toContain('xa-a.example.vn');
    for (const url of ['/v1/sites/xa-a/stats', '/v1/sites/xa-a/threads/bai-1/comments', '/v1/sites/xa-a/pages/bai-1/views', `/v1/polls/${p.id}/results`])
      expectProblem(await t.http.get(url).set('Origin', 'https://evil.example'), 403, 'origin_not_allowed');
    // Without an Origin (curl, the server's own pages) reads are unchanged.
    expect((await t.http.get(`/v1/polls/${p.id}`)).status).toBe(200);
    const evilPre = await t.http.options(`/v1/polls/${p.id}/votes`).set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
    expect(evilPre.headers['access-control-allow-origin']).toBeUndefined();
    const evilVote = await t.http.post(`/v1/polls/${p.id}/votes`).set('Origin', 'https://evil.example').send({ optionIds: [p.options[0]!.id], voterId: newVoter() });
    expectProblem(evilVote, 403, 'origin_not_allowed');
    expect(await t.sql.value('SELECT COUNT(*) FROM ballots')).toBe(0);
    // Another site's origin is foreign too.
    await createSite(t, { id: 'xa-b', name: 'Xã B', origins: ['https://xa-b.example.vn'] });
    const other = await t.http.get(`/v1/polls/${p.id}`).set('Origin', 'https://xa-b.example.vn');
    expectProblem(other, 403, 'origin_not_allowed');
    expect(other.body.site).toBe('xa-a');
    // An unknown poll has no site: its 404 is readable, so the widget can say "not found" rather than "network error".
    const missing = await t.http.get('/v1/polls/khong-co').set('Origin', 'https://xa-b.example.vn');
    expect(missing.status).toBe(404);
    expect(missing.headers['access-control-allow-origin']).toBe('https://xa-b.example.vn');
    expectProblem(await t.http.post('/v1/polls/khong-co/votes').set('Origin', 'https://xa-b.example.vn').send({}), 403, 'origin_not_allowed');
  });

  it('never gives admin endpoints a CORS allowance', async () => {
    const t = await makeTestApp();
    await createSite(t, { origins: ['https://xa-a.example.vn'] });
    const res = await t.admin.get('/v1/admin/polls').set('Origin', 'https://xa-a.example.vn');
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const pre = await t.http.options('/v1/admin/polls').set('Origin', 'https://xa-a.example.vn').set('Access-Control-Request-Method', 'GET');
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sends helmet security headers', async () => {
    const t = await makeTestApp();
    const res = await t.http.get('/healthz');
    expect(res.status).toBe(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    // Portals on plain http must still load the widget and the demo page's assets.
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(res.headers['x-powered-by']).toBeUndefined();
    // Exactly the headers helmet itself sends per request with the same options.
    const reference = express().use(helmet(HELMET_OPTIONS)).get('/healthz', (_req, r) => void r.json({ status: 'ok' }));
    const expected = (await request(reference).get('/healthz')).headers;
    for (const name of ['content-security-policy', 'cross-origin-opener-policy', 'cross-origin-resource-policy', 'origin-agent-cluster', 'referrer-policy', 'strict-transport-security', 'x-content-type-options', 'x-dns-prefetch-control', 'x-download-options', 'x-frame-options', 'x-permitted-cross-domain-policies', 'x-xss-protection'])
      expect(res.headers[name], name).toBe(expected[name]);
  });
});
