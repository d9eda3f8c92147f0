import { describe, expect, it } from 'vitest';
import { sqlFingerprint } from './helpers/dbState.js';
import { createSite, expectProblem } from './helpers/app.js';
import { accountsApp, createUser, ORIGIN, signIn } from './accounts.helpers.js';
import { sha256 } from '../src/util/hash.js';

describe('/v1/admin/keys: API keys from the console, by the rules of `ykien keys`', () => {
  it('creates a key shown once, stores only its hash, lists it without secrets, and audits it', async () => {
    const t = await accountsApp();
    await createSite(t);
    await createUser(t, { username: 'boss', role: 'admin' });
    const boss = await signIn(t, 'boss');
    const res = await boss.post('/v1/admin/keys', { name: '  Cổng xã A  ', role: 'moderator', siteId: 'xa-a' });
    expect(res.status).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const key = res.body.key as string;
    expect(key).toMatch(/^yk_[A-Za-z0-9_-]{43}$/);
    expect(res.body).toMatchObject({ name: 'Cổng xã A', role: 'moderator', siteId: 'xa-a', keyPrefix: key.slice(0, 7), revokedAt: null, lastUsedAt: null });
    expect(res.body.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    // It works, for its site only.
    await t.http.get('/v1/admin/comments?site=xa-a').set('Authorization', `Bearer ${key}`).expect(200);
    // Never again: not in the list, not in storage (only its SHA-256).
    const list = await boss.get('/v1/admin/keys');
    const mine = (list.body.keys as { id: string }[]).find((k) => k.id === res.body.id);
    expect(mine).toMatchObject({ id: res.body.id, name: 'Cổng xã A', keyPrefix: key.slice(0, 7) });
    expect(mine).not.toHaveProperty('key');
    expect(mine).not.toHaveProperty('keyHash');
    expect((mine as unknown as { lastUsedAt: string | null }).lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list.body)).not.toContain(key);
    expect(JSON.stringify(list.body)).not.toContain(sha256(key));
    expect(JSON.stringify(await t.sql.rows('SELECT * FROM api_keys'))).not.toContain(key);
    expect(await t.sql.value('SELECT COUNT(*) AS n FROM api_keys WHERE key_hash = ?', sha256(key))).toBe(1);
    const log = (await t.admin.get('/v1/admin/audit?action=key.create')).body.entries;
    expect(log[0]).toMatchObject({ actorId: 'user:boss', targetType: 'key', targetId: res.body.id, site: 'xa-a', detail: { name: 'Cổng xã A', role: 'moderator', siteId: 'xa-a' } });
    expect(JSON.stringify(log)).not.toContain(key);
  });

  it('a revoked key stops working at once; revoking twice is 404; the CLI is audited too', async () => {
    const t = await accountsApp();
    await createUser(t, { username: 'boss', role: 'admin' });
    const boss = await signIn(t, 'boss');
    const made = (await boss.post('/v1/admin/keys', { name: 'Kịch bản sao lưu', role: 'admin' })).body as { id: string; key: string };
    const asKey = () => t.http.get('/v1/admin/sites').set('Authorization', `Bearer ${made.key}`);
    await asKey().expect(200);
    expect((await boss.delete(`/v1/admin/keys/${made.id}`)).status).toBe(204);
    expectProblem(await asKey(), 401, 'unauthorized');
    expectProblem(await boss.delete(`/v1/admin/keys/${made.id}`), 404, 'not_found');
    expect(((await boss.get('/v1/admin/keys')).body.keys as { id: string; revokedAt: string | null }[]).find((k) => k.id === made.id)!.revokedAt).not.toBeNull();
    const log = (await t.admin.get('/v1/admin/audit?action=key.revoke')).body.entries;
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ actorId: 'user:boss', targetId: made.id, detail: { name: 'Kịch bản sao lưu' } });
    // A key may revoke another, as scripts do.
    const other = (await t.admin.post('/v1/admin/keys', { name: 'Khác', role: 'admin' })).body as { id: string };
    await t.admin.delete(`/v1/admin/keys/${other.id}`).expect(204);
  });

  it('refuses moderators, cookie writes without the console\'s origin or CSRF token, and bad input; nothing is written', async () => {
    const t = await accountsApp();
    await createSite(t);
    await createUser(t, { username: 'boss', role: 'admin' });
    await createUser(t, { username: 'mod', sites: ['xa-a'] });
    const target = (await t.admin.post('/v1/admin/keys', { name: 'Mục tiêu', role: 'admin' })).body as { id: string; key: string };
    const boss = await signIn(t, 'boss');
    const mod = await signIn(t, 'mod');
    const modKey = (await t.services.keys.create({ name: 'M', role: 'moderator', siteId: 'xa-a' })).key;
    const fp = await sqlFingerprint(t.sql);
    const cookie = `__Host-ykien_session=${boss.token}`;
    const body = { name: 'Lén', role: 'admin' };

    expectProblem(await mod.get('/v1/admin/keys'), 403, 'forbidden');
    expectProblem(await mod.post('/v1/admin/keys', body), 403, 'forbidden');
    expectProblem(await mod.delete(`/v1/admin/keys/${target.id}`), 403, 'forbidden');
    for (const req of [t.http.get('/v1/admin/keys'), t.http.post('/v1/admin/keys').send(body), t.http.delete(`/v1/admin/keys/${target.id}`)])
      expectProblem(await req.set('Authorization', `Bearer ${modKey}`), 403, 'forbidden');
    // Cross-site writes with the admin's cookie.
    expectProblem(await t.http.post('/v1/admin/keys').set('Cookie', cookie).set('Origin', ORIGIN).send(body), 403, 'csrf_invalid');
    expectProblem(await t.http.post('/v1/admin/keys').set('Cookie', cookie).set('Origin', 'https://evil.example').set('X-CSRF-Token', boss.csrf).send(body), 403, 'origin_not_allowed');
    expectProblem(await t.http.delete(`/v1/admin/keys/${target.id}`).set('Cookie', cookie).set('Origin', ORIGIN).set('X-CSRF-Token', 'doan-bua'), 403, 'csrf_invalid');
    expectProblem(await t.http.delete(`/v1/admin/keys/${target.id}`).set('Cookie', cookie), 403, 'origin_not_allowed');
    // Bad input.
    for (const b of [{}, { name: '', role: 'admin' }, { name: 'x'.repeat(101), role: 'admin' }, { name: 'a\u0000b', role: 'admin' }, { name: 'A', role: 'root' }, { name: 'A', role: 'admin', siteId: 'xa-a' }, { name: 'A', role: 'moderator', siteId: 'xa a' }, { name: 'A', role: 'admin', keyHash: 'x' }])
      expectProblem(await boss.post('/v1/admin/keys', b), 400, 'validation_failed');
    expectProblem(await boss.post('/v1/admin/keys', { name: 'A', role: 'moderator', siteId: 'khong-co' }), 404, 'not_found');
    expectProblem(await boss.delete('/v1/admin/keys/khong-co'), 404, 'not_found');
    expectProblem(await boss.delete('/v1/admin/keys/%00'), 404, 'not_found');
    expect(await sqlFingerprint(t.sql)).toBe(fp);
    await t.http.get('/v1/admin/sites').set('Authorization', `Bearer ${target.key}`).expect(200);
  });
});
