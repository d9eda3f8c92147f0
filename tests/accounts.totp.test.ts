import { describe, expect, it } from 'vitest';
import { totpCode } from '../src/users/totp.js';
import { expectProblem, testClock } from './helpers/app.js';
import { accountsApp, createUser, login, signIn, tokenOf, personOf } from './accounts.helpers.js';

const STEP = 30_000;

describe('two-factor login (TOTP)', () => {
  it('setup, enable with a code, then login needs a code; each code and each recovery code works once', async () => {
    const clock = testClock();
    const t = await accountsApp({}, { clock });
    await createUser(t, { username: 'an', role: 'admin' });
    const p = await signIn(t, 'an');
    const setup = await p.post('/v1/session/totp/setup');
    expect(setup.status).toBe(200);
    const secret = setup.body.secret as string;
    expect(setup.body.uri).toMatch(/^otpauth:\/\/totp\/ykien:an\?/);
    expect(setup.body.uri).toContain(`secret=${secret}`);
    expectProblem(await p.post('/v1/session/totp/enable', { code: '000000' }), 400, 'totp_invalid');

    const enabled = await p.post('/v1/session/totp/enable', { code: totpCode(secret, clock.now()) });
    expect(enabled.status).toBe(200);
    const codes = enabled.body.recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    // Shown once; stored only hashed.
    const stored = JSON.stringify(await t.sql.rows('SELECT * FROM user_recovery_codes'));
    for (const c of codes) expect(stored).not.toContain(c);
    expect((await p.get('/v1/session')).body.user.totpEnabled).toBe(true);

    expectProblem(await login(t, 'an'), 401, 'totp_required');
    expectProblem(await login(t, 'an', undefined, { totp: '123456' }), 401, 'totp_invalid');
    clock.advance(STEP);
    const code = totpCode(secret, clock.now());
    expect((await login(t, 'an', undefined, { totp: code })).status).toBe(200);
    // The same code again, within its 30 seconds: refused (a code seen over a shoulder is spent).
    expectProblem(await login(t, 'an', undefined, { totp: code }), 401, 'totp_invalid');

    expect((await login(t, 'an', undefined, { totp: codes[0]!.toUpperCase() })).status).toBe(200);
    expectProblem(await login(t, 'an', undefined, { totp: codes[0] }), 401, 'totp_invalid');
    expect((await login(t, 'an', undefined, { totp: codes[1]!.replace('-', ' ') })).status).toBe(200);
    expect(await t.sql.value('SELECT COUNT(*) AS n FROM user_recovery_codes')).toBe(8);
  });

  it('turning it off needs the password; an admin can turn it off for a person who lost the phone', async () => {
    const clock = testClock();
    const t = await accountsApp({}, { clock });
    await createUser(t, { username: 'an', role: 'admin' });
    const p = await signIn(t, 'an');
    const secret = (await p.post('/v1/session/totp/setup')).body.secret as string;
    await p.post('/v1/session/totp/enable', { code: totpCode(secret, clock.now()) }).expect(200);
    expectProblem(await p.post('/v1/session/totp/setup'), 409, 'totp_already_enabled');
    expectProblem(await p.post('/v1/session/totp/disable', { password: 'khong-dung-dau' }), 403, 'wrong_password');
    await p.post('/v1/session/totp/disable', { password: 'Hoa-sen-no-giua-dam-2026' }).expect(204);
    expect((await login(t, 'an')).status).toBe(200);

    const again = (await p.post('/v1/session/totp/setup')).body.secret as string;
    clock.advance(STEP);
    await p.post('/v1/session/totp/enable', { code: totpCode(again, clock.now()) }).expect(200);
    expectProblem(await login(t, 'an'), 401, 'totp_required');
    const reset = await t.admin.patch('/v1/admin/users/an', { totp: false });
    expect(reset.body.totpEnabled).toBe(false);
    expect((await login(t, 'an')).status).toBe(200);
  });
});

describe('REQUIRE_TOTP_FOR_ADMINS', () => {
  it('gives an admin without two-factor login a session that can only set it up; a moderator is not affected', async () => {
    const clock = testClock();
    const t = await accountsApp({ REQUIRE_TOTP_FOR_ADMINS: true }, { clock });
    await t.admin.post('/v1/admin/sites', { id: 'xa-a', name: 'Xã A', origins: [] }).expect(201);
    await createUser(t, { username: 'an', role: 'admin' });
    await createUser(t, { username: 'mod', sites: ['xa-a'] });
    expect((await signIn(t, 'mod').then((m) => m.get('/v1/admin/comments?site=xa-a'))).status).toBe(200);

    const res = await login(t, 'an');
    expect(res.status).toBe(200);
    expect(res.body.totpSetupRequired).toBe(true);
    const p = personOf(t, tokenOf(res)!, res.body.csrfToken);
    expectProblem(await p.get('/v1/admin/users'), 403, 'totp_setup_required');
    expectProblem(await p.get('/v1/admin/comments?site=xa-a'), 403, 'totp_setup_required');
    expectProblem(await p.post('/v1/session/logout-all'), 403, 'totp_setup_required');
    expect((await p.get('/v1/session')).body.totpSetupRequired).toBe(true);

    const secret = (await p.post('/v1/session/totp/setup')).body.secret as string;
    await p.post('/v1/session/totp/enable', { code: totpCode(secret, clock.now()) }).expect(200);
    await p.get('/v1/admin/users').expect(200);
    expect((await p.get('/v1/session')).body.totpSetupRequired).toBe(false);
    expectProblem(await p.post('/v1/session/totp/disable', { password: 'Hoa-sen-no-giua-dam-2026' }), 403, 'forbidden');
    clock.advance(STEP);
    const full = await login(t, 'an', undefined, { totp: totpCode(secret, clock.now()) });
    expect(full.body.totpSetupRequired).toBe(false);
  });
});
