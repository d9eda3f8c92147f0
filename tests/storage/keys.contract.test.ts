import { expect, it } from 'vitest';
import { auditOf, forEachBackend, seedSite } from './backends.js';

const T0 = 1_780_000_000_000;

forEachBackend('keys store', (open) => {
  const key = (id: string, siteId: string | null = null) => ({ id, name: 'Quản trị', role: 'admin' as const, siteId, keyPrefix: 'yk_abcd', createdAt: T0, revokedAt: null, lastUsedAt: null });

  it('stores a key by its hash only, finds it, lists it, revokes it once', async () => {
    const s = await open();
    expect(await s.keys.insert(key('k1'), 'hash-1')).toBe(true);
    expect(await s.keys.findByHash('hash-1')).toEqual(key('k1'));
    expect(await s.keys.findByHash('hash-2')).toBeUndefined();
    await s.keys.touch('k1', T0 + 60_000);
    expect((await s.keys.list())[0]).toMatchObject({ id: 'k1', lastUsedAt: T0 + 60_000 });
    expect(await s.keys.revoke('k1', T0 + 1)).toBe(true);
    expect(await s.keys.revoke('k1', T0 + 2)).toBe(false);
    expect((await s.keys.findByHash('hash-1'))?.revokedAt).toBe(T0 + 1);
  });

  it('refuses a key scoped to a site that does not exist, and the key goes with its site', async () => {
    const s = await open();
    expect(await s.keys.insert({ ...key('k1', 'nope'), role: 'moderator' }, 'h1')).toBe(false);
    await seedSite(s, 'xa-a');
    expect(await s.keys.insert({ ...key('k2', 'xa-a'), role: 'moderator' }, 'h2')).toBe(true);
    await s.sites.remove('xa-a', () => auditOf('site.delete'));
    expect(await s.keys.list()).toEqual([]);
  });

  it('writes the audit entry of a create or revoke in its transaction, and none for a refused one', async () => {
    const s = await open();
    const logged = async () => (await s.audit.list({ sites: null, limit: 100 })).map((e) => e.action).sort();
    expect(await s.keys.insert({ ...key('k1', 'nope'), role: 'moderator' }, 'h1', auditOf('key.create'))).toBe(false);
    expect(await s.keys.insert(key('k2'), 'h2', auditOf('key.create'))).toBe(true);
    expect(await s.keys.revoke('k2', T0 + 1, auditOf('key.revoke'))).toBe(true);
    expect(await s.keys.revoke('k2', T0 + 2, auditOf('key.revoke'))).toBe(false);
    expect(await s.keys.revoke('k\u0000', T0 + 2, auditOf('key.revoke'))).toBe(false);
    expect(await logged()).toEqual(['key.create', 'key.revoke']);
  });

  it('refuses a second key with the same hash', async () => {
    const s = await open();
    await s.keys.insert(key('k1'), 'same');
    await expect(s.keys.insert(key('k2'), 'same')).rejects.toThrow();
    expect((await s.keys.list()).map((k) => k.id)).toEqual(['k1']);
  });
});
