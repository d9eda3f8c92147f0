import { expect, it } from 'vitest';
import type { Storage } from '../../src/storage/storage.js';
import type { NewUser, SessionRecord } from '../../src/users/users.store.js';
import { auditOf, forEachBackend, openAnother, seedSite } from './backends.js';

const T0 = 1_780_000_000_000;
const MIN = 60_000;

const user = (id: string, over: Partial<NewUser> = {}): NewUser => ({ id, username: id, displayName: `Người ${id}`, passwordHash: `scrypt$hash-of-${id}`, role: 'moderator', sites: ['xa-a'], at: T0, ...over });
const session = (tokenHash: string, userId: string, over: Partial<SessionRecord> = {}): SessionRecord => ({ tokenHash, userId, createdAt: T0, lastSeenAt: T0, expiresAt: T0 + 12 * 60 * MIN, limited: false, ...over });
const auditCount = async (s: Storage, action: string) => (await s.audit.list({ sites: null, limit: 100 })).filter((e) => e.action === action).length;

forEachBackend('users store', (open) => {
  it('inserts a user with its sites and its audit entry; a taken username or a missing site writes nothing', async () => {
    const s = await open();
    await seedSite(s, 'xa-a');
    await seedSite(s, 'xa-b');
    expect(await s.users.insert(user('an', { sites: ['xa-b', 'xa-a'] }), auditOf('user.create', T0, null))).toBe('ok');
    expect(await s.users.byUsername('an')).toMatchObject({ id: 'an', sites: ['xa-a', 'xa-b'], disabled: false, totpEnabled: false, passwordHash: 'scrypt$hash-of-an', lastLoginAt: null, totpLastStep: 0 });
    expect(await s.users.insert(user('an2', { username: 'an' }), auditOf('user.create', T0, null))).toBe('taken');
    expect(await s.users.insert(user('binh', { sites: ['xa-a', 'khong-co'] }), auditOf('user.create', T0, null))).toBe('no_site');
    expect((await s.users.list()).map((u) => u.username)).toEqual(['an']);
    expect(await s.users.byId('binh')).toBeUndefined();
    expect(await auditCount(s, 'user.create')).toBe(1);
    // Listings carry no hash.
    expect(JSON.stringify(await s.users.list())).not.toContain('scrypt');
  });

  it('refuses, whole, a change that would leave no active admin; two at once leave one', async () => {
    const s = await open();
    await seedSite(s, 'xa-a');
    await s.users.insert(user('an', { role: 'admin', sites: [] }), auditOf('user.create', T0, null));
    await s.users.insert(user('binh', { role: 'admin', sites: [] }), auditOf('user.create', T0, null));
    await s.users.createSession(session('t-an', 'an'), null);
    const [a, b] = await Promise.all([
      s.users.update('an', { disabled: true, endSessions: { except: null } }, T0 + 1, auditOf('user.disable', T0, null)),
      s.users.update('binh', { role: 'moderator', sites: ['xa-a'] }, T0 + 1, auditOf('user.update', T0, null)),
    ]);
    expect([a, b].sort()).toEqual(['last_admin', true].sort());
    const admins = (await s.users.list()).filter((u) => u.role === 'admin' && !u.disabled);
    expect(admins).toHaveLength(1);
    // The refused change wrote nothing: no audit entry, its sessions kept, its sites unchanged.
    expect((await auditCount(s, 'user.disable')) + (await auditCount(s, 'user.update'))).toBe(1);
    if (a === 'last_admin') expect(await s.users.session('t-an')).toBeDefined();
    // A moderator is never concerned, and neither is a change that keeps the admin active.
    expect(await s.users.update(admins[0]!.id, { displayName: 'Vẫn quản trị' }, T0 + 2, null)).toBe(true);
  });

  it('updates in one transaction: a missing site rolls back the whole change', async () => {
    const s = await open();
    await seedSite(s, 'xa-a');
    await s.users.insert(user('an'), auditOf('user.create', T0, null));
    expect(await s.users.update('an', { displayName: 'Mới', sites: ['khong-co'] }, T0 + 1, auditOf('user.update', T0, null))).toBe('no_site');
    expect(await s.users.byId('an')).toMatchObject({ displayName: 'Người an', sites: ['xa-a'], updatedAt: T0 });
    expect(await auditCount(s, 'user.update')).toBe(0);
    expect(await s.users.update('an', { displayName: 'Mới', role: 'admin', sites: [], disabled: true }, T0 + 2, auditOf('user.update', T0, null))).toBe(true);
    expect(await s.users.byId('an')).toMatchObject({ displayName: 'Mới', role: 'admin', sites: [], disabled: true, updatedAt: T0 + 2 });
    expect(await s.users.update('khong-co', { disabled: true }, T0, null)).toBe(false);
    // A moderator's site deleted: the user stays, without it.
    await s.users.update('an', { role: 'moderator', sites: ['xa-a'] }, T0 + 3, null);
    await s.sites.remove('xa-a', () => auditOf('site.delete'));
    expect((await s.users.byId('an'))!.sites).toEqual([]);
  });

  it('keeps sessions by token hash; a login replaces the session it was given; ending one, all, or all but one', async () => {
    const s = await open();
    await seedSite(s, 'xa-a');
    await s.users.insert(user('an'), auditOf('user.create', T0, null));
    await s.users.createSession(session('h1', 'an'), null);
    await s.users.createSession(session('h2', 'an'), 'h1');
    expect(await s.users.session('h1')).toBeUndefined();
    expect(await s.users.session('h2')).toMatchObject({ session: session('h2', 'an'), user: { username: 'an' } });
    await s.users.createSession(session('h3', 'an'), null);
    await s.users.createSession(session('h4', 'an'), null);
    await s.users.update('an', { endSessions: { except: 'h3' } }, T0, null);
    expect(await s.users.session('h2')).toBeUndefined();
    expect(await s.users.session('h3')).toBeDefined();
    await s.users.update('an', { endSessions: { except: null } }, T0, null);
    expect(await s.users.session('h3')).toBeUndefined();
    await s.users.createSession(session('h5', 'an'), null);
    await s.users.endSession('h5');
    expect(await s.users.session('h5')).toBeUndefined();
  });

  it('touches a session at most once a minute, and prunes by absolute end and by idleness', async () => {
    const s = await open();
    await seedSite(s, 'xa-a');
    await s.users.insert(user('an'), auditOf('user.create', T0, null));
    await s.users.createSession(session('h1', 'an'), null);
    await s.users.touchSession('h1', T0 + 30_000);
    expect((await s.users.session('h1'))!.session.lastSeenAt).toBe(T0);
    await s.users.touchSession('h1', T0 + MIN + 1);
    expect((await s.users.session('h1'))!.session.lastSeenAt).toBe(T0 + MIN + 1);
    await s.users.createSession(session('h2', 'an', { expiresAt: T0 + 5 * MIN }), null);
    await s.users.createSession(session('h3', 'an', { lastSeenAt: T0 + 40 * MIN }), null);
    await s.users.unlimitSession('h3');
    // At T0 + 45 min with 30 min idle: h1 idle since T0+1 min, h2 past its end; h3 seen 5 minutes ago.
    expect(await s.users.pruneSessions(T0 + 45 * MIN, T0 + 15 * MIN)).toBe(2);
    expect(await s.users.session('h3')).toBeDefined();
  });

  it('takes each TOTP step once and each recovery code once, also when two instances race', async () => {
    const s = await open();
    await seedSite(s, 'xa-a');
    await s.users.insert(user('an'), auditOf('user.create', T0, null));
    await s.users.update('an', { totpSecret: 'SECRET', recoveryCodeHashes: ['c1', 'c2'] }, T0, null);
    expect((await s.users.byId('an'))!.totpEnabled).toBe(true);
    const other = await openAnother(s);
    const steps = await Promise.all([s.users.takeTotpStep('an', 100), other.users.takeTotpStep('an', 100), s.users.takeTotpStep('an', 100)]);
    expect(steps.filter(Boolean)).toHaveLength(1);
    expect(await s.users.takeTotpStep('an', 99)).toBe(false);
    expect(await s.users.takeTotpStep('an', 101)).toBe(true);
    const codes = await Promise.all([s.users.takeRecoveryCode('an', 'c1'), other.users.takeRecoveryCode('an', 'c1')]);
    expect(codes.filter(Boolean)).toHaveLength(1);
    expect(await s.users.recoveryCodesLeft('an')).toBe(1);
    await s.users.update('an', { totpSecret: null, recoveryCodeHashes: [] }, T0, null);
    expect(await s.users.recoveryCodesLeft('an')).toBe(0);
  });

  it('counts login attempts per key within a window, shared by two instances; removes, clears and prunes them', async () => {
    const s = await open();
    const other = await openAnother(s);
    await s.users.addAttempt(['user:an', 'ip:1.2.3.4'], T0, T0 - 15 * MIN);
    await other.users.addAttempt(['user:an', 'ip:5.6.7.8'], T0 + MIN, T0 - 14 * MIN);
    const third = await s.users.addAttempt(['user:an', 'ip:1.2.3.4'], T0 + 2 * MIN, T0 - 13 * MIN);
    expect(third.counts).toEqual([
      { key: 'user:an', count: 3, oldest: T0 },
      { key: 'ip:1.2.3.4', count: 2, oldest: T0 },
    ]);
    await s.users.removeAttempts(third.ids);
    const later = await other.users.addAttempt(['user:an'], T0 + 16 * MIN, T0 + MIN);
    // Outside the window: T0's attempt no longer counts, T0 + 1 min's neither (only after it).
    expect(later.counts).toEqual([{ key: 'user:an', count: 1, oldest: T0 + 16 * MIN }]);
    await s.users.clearAttempts('user:an');
    expect((await s.users.addAttempt(['user:an'], T0 + 17 * MIN, T0)).counts[0]!.count).toBe(1);
    expect(await s.users.pruneAttempts(T0 + 17 * MIN)).toBe(2);
  });

  it('counts racing attempts of two instances exactly', async () => {
    const s = await open();
    const other = await openAnother(s);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? other : s).users.addAttempt(['user:an'], T0 + i, T0 - MIN)));
    expect(results.map((r) => r.counts[0]!.count).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});
