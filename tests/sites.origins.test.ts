import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { sqlFingerprint } from './helpers/dbState.js';
import { createSite, expectProblem, makeTestApp } from './helpers/app.js';

const A = 'https://xa-a.example.vn';

describe('POST /v1/admin/sites/:site/origins: add and remove without replacing the list', () => {
  it('adds and removes, keeping the others, and records exactly what changed', async () => {
    const t = await makeTestApp();
    await createSite(t, { origins: [A] });
    let res = await t.admin.post('/v1/admin/sites/xa-a/origins', { add: ['https://tienky.quangnam.gov.vn', A] });
    expect(res.status).toBe(200);
    expect(res.body.origins).toEqual([A, 'https://tienky.quangnam.gov.vn']);
    res = await t.admin.post('/v1/admin/sites/xa-a/origins', { add: ['http://localhost:3000'], remove: [A, 'https://khong-co.vn'] });
    expect(res.body.origins).toEqual(['https://tienky.quangnam.gov.vn', 'http://localhost:3000']);
    const log = (await t.admin.get('/v1/admin/audit?site=xa-a&action=site.origins')).body.entries;
    expect(log.map((e: { detail: unknown }) => e.detail)).toEqual([
      { added: ['http://localhost:3000'], removed: [A] },
      { added: ['https://tienky.quangnam.gov.vn'], removed: [] },
    ]);
    // Nothing to do: no write, no audit entry.
    const fp = await sqlFingerprint(t.sql);
    expect((await t.admin.post('/v1/admin/sites/xa-a/origins', { add: ['http://localhost:3000'] })).status).toBe(200);
    expect(await sqlFingerprint(t.sql)).toBe(fp);
  });

  it('refuses bad origins, empty or contradictory changes, too many origins, moderators and unknown sites', async () => {
    const t = await makeTestApp();
    await createSite(t, { origins: [A] });
    const mod = (await t.services.keys.create({ name: 'M', role: 'moderator', siteId: 'xa-a' })).key;
    const fp = await sqlFingerprint(t.sql);
    for (const body of [{}, { add: [] }, { add: ['https://a.vn/'] }, { add: ['tienky.vn'] }, { add: [A], remove: [A] }, { add: 'https://a.vn' }, { replace: [A] }])
      expectProblem(await t.admin.post('/v1/admin/sites/xa-a/origins', body), 400, 'validation_failed');
    const many = Array.from({ length: 50 }, (_, i) => `https://x${i}.vn`);
    expectProblem(await t.admin.post('/v1/admin/sites/xa-a/origins', { add: many }), 400, 'validation_failed');
    expectProblem(await t.http.post('/v1/admin/sites/xa-a/origins').set('Authorization', `Bearer ${mod}`).send({ add: ['https://b.vn'] }), 403, 'forbidden');
    expectProblem(await t.admin.post('/v1/admin/sites/khong-co/origins', { add: ['https://b.vn'] }), 404, 'not_found');
    expect(await sqlFingerprint(t.sql)).toBe(fp);
  });

  it('a change made with the CLI in another process is seen by the running service within a second, not 30 s', async () => {
    const t = await makeTestApp();
    await createSite(t, { origins: [A] });
    const portal = 'https://tienky.quangnam.gov.vn';
    // The service has the site cached (30 s) from this read, which it refuses.
    expectProblem(await t.http.get('/v1/sites/xa-a/stats').set('Origin', portal), 403, 'origin_not_allowed');
    const out: string[] = [];
    const code = await runCli(['sites', 'origins', 'add', 'xa-a', portal], { ...t.databaseEnv, LOG_LEVEL: 'silent' }, (l) => out.push(l), (l) => out.push(l));
    expect(code).toBe(0);
    expect(out).toEqual([`Site xa-a: added ${portal}.`, `Origins now: ${A} ${portal}`]);
    // Within a second (the service asks the database at most once a second whether another connection wrote), not 30 s.
    t.clock.advance(1_000);
    const res = await t.http.get('/v1/sites/xa-a/stats').set('Origin', portal);
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(portal);
  });
});
