import { describe, expect, it } from 'vitest';
import { createSite, expectProblem, makeTestApp, testClock } from './helpers/app.js';
import { accountsApp, COOKIE, createUser, GOOD_PASSWORD, login, ORIGIN, personOf, signIn, tokenOf } from './accounts.helpers.js';

const MIN = 60_000;

describe('login', () => {
  it('signs a person in with a cookie that is HttpOnly, SameSite=Strict, __Host- and Secure behind https', async () => {
    const t = await accountsApp();
    await createSite(t);
    await createUser(t, { username: 'Lan.Nguyen', sites: ['xa-a'], displayName: 'Nguyễn Thị Lan' });
    const res = await login(t, 'lan.nguyen');
    expect(res.status).toBe(200);
    const set = String(res.headers['set-cookie']);
    expect(set).toMatch(new RegExp(`^${COOKIE}=[A-Za-z0-9_-]{43}; `));
    expect(set).toContain('HttpOnly');
    expect(set).toContain('SameSite=Strict');
    expect(set).toContain('Secure');
    expect(set).toContain('Path=/');
    expect(set).not.toMatch(/Domain=/i);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.user).toEqual({ username: 'lan.nguyen', displayName: 'Nguyễn Thị Lan', role: 'moderator', sites: ['xa-a'], totpEnabled: false });
    // The token is in the cookie only, never in the body.
    expect(JSON.stringify(res.body)).not.toContain(tokenOf(res)!);

    const me = await t.http.get('/v1/session').set('Cookie', `${COOKIE}=${tokenOf(res)}`);
    expect(me.status).toBe(200);
    expect(me.body.user.username).toBe('lan.nguyen');
    expect(me.body.csrfToken).toBe(res.body.csrfToken);
  });

  it('on plain http the cookie has its plain name and no Secure (a browser would refuse __Host- there)', async () => {
    const t = await makeTestApp({ PUBLIC_URL: 'http://localhost:8080/' });
    await createUser(t, { username: 'admin1', role: 'admin' });
    const res = await t.http.post('/v1/session').send({ username: 'admin1', password: GOOD_PASSWORD });
    expect(res.status).toBe(200);
    const set = String(res.headers['set-cookie']);
    expect(set).toMatch(/^ykien_session=/);
    expect(set).not.toContain('Secure');
    expect(set).toContain('HttpOnly');
    expect(set).toContain('SameSite=Strict');
  });

  it('gives one answer for a wrong password, an unknown user and a disabled account', async () => {
    const t = await accountsApp();
    await createUser(t, { username: 'an', role: 'admin' });
    await createUser(t, { username: 'binh', role: 'admin' });
    await t.admin.patch('/v1/admin/users/binh', { disabled: true }).expect(200);
    const wrong = await login(t, 'an', 'Sai-mat-khau-roi-2026');
    const unknown = await login(t, 'khong-co-ai', GOOD_PASSWORD);
    const disabled = await login(t, 'binh', GOOD_PASSWORD);
    for (const r of [wrong, unknown, disabled]) {
      expectProblem(r, 401, 'login_failed');
      expect(r.headers['set-cookie']).toBeUndefined();
    }
    expect(unknown.body).toEqual(wrong.body);
    expect(disabled.body).toEqual(wrong.body);
    expect(wrong.body.detail).toBe('Tên đăng nhập hoặc mật khẩu không đúng.');
  });

  it('treats the username without regard to case', async () => {
    const t = await accountsApp();
    await createUser(t, { username: 'Hoa', role: 'admin' });
    expect((await login(t, 'HOA')).status).toBe(200);
    expectProblem(await t.admin.post('/v1/admin/users', { username: 'hoa', role: 'admin', password: GOOD_PASSWORD }), 409, 'username_taken');
  });
});

describe('sessions end', () => {
  it('after SESSION_IDLE_MINUTES without a request, and after SESSION_MAX_HOURS whatever the activity', async () => {
    const clock = testClock();
    const t = await accountsApp({ SESSION_IDLE_MINUTES: 30, SESSION_MAX_HOURS: 12 }, { clock });
    await createUser(t, { username: 'an', role: 'admin' });

    const idle = await signIn(t, 'an');
    clock.advance(29 * MIN);
    await idle.get('/v1/session').expect(200);
    clock.advance(29 * MIN); // 29 minutes since the last request: still alive
    await idle.get('/v1/admin/users').expect(200);
    clock.advance(30 * MIN);
    const gone = await idle.get('/v1/admin/users');
    expectProblem(gone, 401, 'session_expired');
    expect(String(gone.headers['set-cookie'])).toContain('Max-Age=0');
    // Still gone when the clock is put back: it was ended, not only refused.
    clock.advance(-30 * MIN);
    expectProblem(await idle.get('/v1/session'), 401, 'session_expired');

    const busy = await signIn(t, 'an');
    for (let h = 0; h < 12 * 4 - 1; h++) {
      clock.advance(15 * MIN);
      await busy.get('/v1/session').expect(200);
    }
    clock.advance(15 * MIN);
    expectProblem(await busy.get('/v1/session'), 401, 'session_expired');
  });

  it('logout ends this session; logout-all ends every session of the person', async () => {
    const t = await accountsApp();
    await createUser(t, { username: 'an', role: 'admin' });
    const a = await signIn(t, 'an');
    const b = await signIn(t, 'an');
    const c = await signIn(t, 'an');
    const out = await a.delete('/v1/session');
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expectProblem(await a.get('/v1/session'), 401, 'session_expired');
    await b.get('/v1/session').expect(200);
    await b.post('/v1/session/logout-all').expect(204);
    expectProblem(await b.get('/v1/session'), 401, 'session_expired');
    expectProblem(await c.get('/v1/admin/users'), 401, 'session_expired');
    expect(await t.sql.value('SELECT COUNT(*) AS n FROM sessions')).toBe(0);
  });

  it('a password reset or disabling the account by an admin ends every session of that person', async () => {
    const t = await accountsApp();
    await createSite(t);
    await createUser(t, { username: 'mod', sites: ['xa-a'] });
    const one = await signIn(t, 'mod');
    const two = await signIn(t, 'mod');
    await t.admin.patch('/v1/admin/users/mod', { password: 'Mat-khau-moi-cua-mod-1' }).expect(200);
    for (const p of [one, two]) expectProblem(await p.get('/v1/session'), 401, 'session_expired');
    expectProblem(await login(t, 'mod'), 401, 'login_failed');
    const three = await signIn(t, 'mod', 'Mat-khau-moi-cua-mod-1');
    await t.admin.patch('/v1/admin/users/mod', { disabled: true }).expect(200);
    expectProblem(await three.get('/v1/session'), 401, 'session_expired');
  });

  it('changing one\'s own password needs the current one and ends the other sessions, not this one', async () => {
    const t = await accountsApp();
    await createUser(t, { username: 'an', role: 'admin' });
    const here = await signIn(t, 'an');
    const elsewhere = await signIn(t, 'an');
    expectProblem(await here.post('/v1/session/password', { currentPassword: 'khong-dung-dau-nhe', newPassword: 'Mot-mat-khau-moi-2026' }), 403, 'wrong_password');
    expectProblem(await here.post('/v1/session/password', { currentPassword: GOOD_PASSWORD, newPassword: 'password123' }), 400, 'weak_password');
    await here.post('/v1/session/password', { currentPassword: GOOD_PASSWORD, newPassword: 'Mot-mat-khau-moi-2026' }).expect(204);
    await here.get('/v1/session').expect(200);
    expectProblem(await elsewhere.get('/v1/session'), 401, 'session_expired');
    expect((await login(t, 'an', 'Mot-mat-khau-moi-2026')).status).toBe(200);
  });

  it('the prune job removes expired sessions and login attempts that no longer count', async () => {
    const clock = testClock();
    const t = await accountsApp({}, { clock });
    await createUser(t, { username: 'an', role: 'admin' });
    await signIn(t, 'an');
    await login(t, 'an', 'sai-mat-khau-nhe-ban');
    expect(await t.sql.value('SELECT COUNT(*) AS n FROM sessions')).toBe(1);
    expect(await t.sql.value('SELECT COUNT(*) AS n FROM login_attempts')).toBeGreaterThan(0);
    clock.advance(31 * MIN);
    await t.services.sessions.prune();
    expect(await t.sql.value('SELECT COUNT(*) AS n FROM sessions')).toBe(0);
    expect(await t.sql.value('SELECT COUNT(*) AS n FROM login_attempts')).toBe(0);
  });
});

describe('CSRF', () => {
  it('refuses a state-changing call with the cookie but without the token, with a wrong token, or from a foreign Origin', async () => {
    const t = await accountsApp();
    await createSite(t);
    await createUser(t, { username: 'an', role: 'admin' });
    const p = await signIn(t, 'an');
    const cookie = `${COOKIE}=${p.token}`;
    const body = { question: 'Câu hỏi?', options: ['Có', 'Không'], site: 'xa-a' };

    expectProblem(await t.http.post('/v1/admin/polls').set('Cookie', cookie).set('Origin', ORIGIN).send(body), 403, 'csrf_invalid');
    expectProblem(await t.http.post('/v1/admin/polls').set('Cookie', cookie).set('Origin', ORIGIN).set('X-CSRF-Token', 'x'.repeat(43)).send(body), 403, 'csrf_invalid');
    expectProblem(await t.http.post('/v1/admin/polls').set('Cookie', cookie).set('Origin', 'https://evil.example').set('X-CSRF-Token', p.csrf).send(body), 403, 'origin_not_allowed');
    expectProblem(await t.http.post('/v1/admin/polls').set('Cookie', cookie).set('X-CSRF-Token', p.csrf).send(body), 403, 'origin_not_allowed');
    expectProblem(await t.http.delete('/v1/session').set('Cookie', cookie).set('Origin', ORIGIN), 403, 'csrf_invalid');
    expect(await t.sql.value('SELECT COUNT(*) AS n FROM polls')).toBe(0);

    await p.post('/v1/admin/polls', body).expect(201);
    // Reads need no token.
    await p.get('/v1/admin/polls?site=xa-a').expect(200);
  });

  it('refuses a CSRF token stolen from another session, even of the same person', async () => {
    const t = await accountsApp();
    await createUser(t, { username: 'an', role: 'admin' });
    await createUser(t, { username: 'binh', role: 'admin' });
    const victim = await signIn(t, 'an');
    const attacker = await signIn(t, 'binh');
    const sameUserOther = await signIn(t, 'an');
    for (const csrf of [attacker.csrf, sameUserOther.csrf]) {
      const res = await personOf(t, victim.token, csrf).post('/v1/admin/users', { username: 'ke-gian', role: 'admin', password: GOOD_PASSWORD });
      expectProblem(res, 403, 'csrf_invalid');
    }
    expect(await t.sql.value("SELECT COUNT(*) AS n FROM users WHERE username = 'ke-gian'")).toBe(0);
  });

  it('API keys keep working for scripts with no CSRF token and no Origin', async () => {
    const t = await accountsApp();
    await createSite(t);
    await t.admin.post('/v1/admin/polls', { site: 'xa-a', question: 'Câu hỏi?', options: ['Có', 'Không'] }).expect(201);
  });

  it('refuses a login form posted from another site (login CSRF)', async () => {
    const t = await accountsApp();
    await createUser(t, { username: 'an', role: 'admin' });
    const res = await t.http.post('/v1/session').set('Origin', 'https://evil.example').send({ username: 'an', password: GOOD_PASSWORD });
    expectProblem(res, 403, 'origin_not_allowed');
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

describe('session fixation', () => {
  it('never keeps a token the browser brought to the login, and ends it if it was a session', async () => {
    const t = await accountsApp();
    await createUser(t, { username: 'an', role: 'admin' });
    await createUser(t, { username: 'ke-gian', role: 'admin' });
    const planted = 'A'.repeat(43);
    const res = await t.http.post('/v1/session').set('Origin', ORIGIN).set('Cookie', `${COOKIE}=${planted}`).send({ username: 'an', password: GOOD_PASSWORD });
    expect(res.status).toBe(200);
    expect(tokenOf(res)).not.toBe(planted);
    expectProblem(await t.http.get('/v1/session').set('Cookie', `${COOKIE}=${planted}`), 401, 'session_expired');

    // The attacker's own live session, planted in the victim's browser, is replaced (and ended) by the login.
    const attacker = await signIn(t, 'ke-gian');
    const again = await t.http.post('/v1/session').set('Origin', ORIGIN).set('Cookie', `${COOKIE}=${attacker.token}`).send({ username: 'an', password: GOOD_PASSWORD });
    expect(tokenOf(again)).not.toBe(attacker.token);
    expectProblem(await attacker.get('/v1/session'), 401, 'session_expired');
  });
});

describe('a session is the same principal as a key', () => {
  it("refuses a moderator's session another site's queue and the admin routes", async () => {
    const t = await accountsApp();
    await createSite(t);
    await createSite(t, { id: 'xa-b', name: 'Xã B', origins: ['https://xa-b.example.vn'] });
    await createUser(t, { username: 'mod-a', sites: ['xa-a'] });
    const m = await signIn(t, 'mod-a');
    await m.get('/v1/admin/comments?site=xa-a').expect(200);
    expectProblem(await m.get('/v1/admin/comments?site=xa-b'), 403, 'forbidden');
    expectProblem(await m.get('/v1/admin/users'), 403, 'forbidden');
    expectProblem(await m.post('/v1/admin/sites', { id: 'xa-c', name: 'Xã C', origins: [] }), 403, 'forbidden');
    expectProblem(await m.patch('/v1/admin/users/mod-a', { role: 'admin' }), 403, 'forbidden');
    const me = await m.get('/v1/session');
    expect(me.body.user).toMatchObject({ role: 'moderator', sites: ['xa-a'] });
  });
});
