import { describe, expect, it } from 'vitest';
import { sqlFingerprint } from './helpers/dbState.js';
import { runCommand } from './helpers/cli.js';
import { createSite, expectProblem } from './helpers/app.js';
import { accountsApp, createUser, signIn } from './accounts.helpers.js';

describe('the last active admin cannot be disabled or demoted (409 last_admin)', () => {
  it('refuses it by key, by the admin themself, and leaves everything as it was', async () => {
    const t = await accountsApp();
    await createSite(t);
    await createUser(t, { username: 'boss', role: 'admin' });
    await createUser(t, { username: 'mod', sites: ['xa-a'] });
    const boss = await signIn(t, 'boss');
    const fp = await sqlFingerprint(t.sql);
    for (const change of [{ disabled: true }, { role: 'moderator', sites: ['xa-a'] }]) {
      const res = await t.admin.patch('/v1/admin/users/boss', change);
      expectProblem(res, 409, 'last_admin');
      expect(res.body.detail).toContain('boss');
      expectProblem(await boss.patch('/v1/admin/users/boss', change), 409, 'last_admin');
    }
    expect(await sqlFingerprint(t.sql)).toBe(fp);
    // Still signed in and still an admin; other changes to the last admin are fine.
    await boss.get('/v1/admin/users').expect(200);
    await t.admin.patch('/v1/admin/users/boss', { displayName: 'Trần Văn Quản' }).expect(200);
    // A moderator is not concerned.
    await t.admin.patch('/v1/admin/users/mod', { disabled: true }).expect(200);
  });

  it('lets an admin go once another is active; a disabled admin does not count', async () => {
    const t = await accountsApp();
    await createSite(t);
    await createUser(t, { username: 'boss', role: 'admin' });
    await createUser(t, { username: 'pho', role: 'admin' });
    await t.admin.patch('/v1/admin/users/pho', { disabled: true }).expect(200);
    expectProblem(await t.admin.patch('/v1/admin/users/boss', { disabled: true }), 409, 'last_admin');
    await t.admin.patch('/v1/admin/users/pho', { disabled: false }).expect(200);
    await t.admin.patch('/v1/admin/users/boss', { role: 'moderator', sites: ['xa-a'] }).expect(200);
    expectProblem(await t.admin.patch('/v1/admin/users/pho', { disabled: true }), 409, 'last_admin');
    await t.admin.patch('/v1/admin/users/boss', { role: 'admin' }).expect(200);
    await t.admin.patch('/v1/admin/users/pho', { disabled: true }).expect(200);
  });

  it('two admins disabling each other at once: one of them stays', async () => {
    const t = await accountsApp();
    await createUser(t, { username: 'an', role: 'admin' });
    await createUser(t, { username: 'binh', role: 'admin' });
    const an = await signIn(t, 'an');
    const binh = await signIn(t, 'binh');
    const [a, b] = await Promise.all([an.patch('/v1/admin/users/binh', { disabled: true }), binh.patch('/v1/admin/users/an', { disabled: true })]);
    const statuses = [a.status, b.status].sort();
    // The second may also find its own session already ended by the first (401): never both 200.
    expect(statuses[0]).toBe(200);
    expect([401, 409]).toContain(statuses[1]);
    expect(await t.sql.value("SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND NOT disabled")).toBe(1);
  });

  it('the CLI says so too: users disable of the last admin fails and changes nothing', async () => {
    const t = await accountsApp();
    await createUser(t, { username: 'boss', role: 'admin' });
    const cli = (args: string[]) => runCommand(args, { env: t.databaseEnv as Record<string, string> });
    const res = await cli(['users', 'disable', 'boss']);
    expect(res.code).not.toBe(0);
    expect(res.err.join('\n')).toContain('last active admin');
    expect((await cli(['users', 'list'])).out[0]).toContain('active');
    await signIn(t, 'boss');
  });
});
