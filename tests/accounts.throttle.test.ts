import { describe, expect, it } from 'vitest';
import { expectProblem, testClock } from './helpers/app.js';
import { accountsApp, createUser, GOOD_PASSWORD, login, ORIGIN } from './accounts.helpers.js';

const MIN = 60_000;
const WRONG = 'Khong-phai-mat-khau-nay';

describe('login throttling', () => {
  it('per username: after LOGIN_MAX_FAILURES_PER_USER failures even the right password waits, with the minutes in Vietnamese', async () => {
    const clock = testClock();
    const t = await accountsApp({ LOGIN_MAX_FAILURES_PER_USER: 5, LOGIN_MAX_FAILURES_PER_IP: 1000, LOGIN_THROTTLE_MINUTES: 15 }, { clock });
    await createUser(t, { username: 'an', role: 'admin' });
    for (let i = 0; i < 5; i++) {
      expectProblem(await login(t, 'an', WRONG), 401, 'login_failed');
      clock.advance(MIN);
    }
    const refused = await login(t, 'an', GOOD_PASSWORD);
    expectProblem(refused, 429, 'login_throttled');
    // The first failure was 5 minutes ago: 10 minutes to go.
    expect(refused.body.detail).toBe('Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 10 phút.');
    expect(refused.headers['retry-after']).toBe('600');
    expect(refused.headers['set-cookie']).toBeUndefined();
    // An unknown user is throttled the same way (nothing tells the two apart).
    for (let i = 0; i < 5; i++) await login(t, 'khong-ai', WRONG);
    expect((await login(t, 'khong-ai', WRONG)).body.detail).toBe('Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.');
    // Another username from the same address is not held up.
    await createUser(t, { username: 'binh', role: 'admin' });
    expect((await login(t, 'binh')).status).toBe(200);

    clock.advance(10 * MIN + 1);
    expect((await login(t, 'an', GOOD_PASSWORD)).status).toBe(200);
    // A success starts the username afresh.
    for (let i = 0; i < 5; i++) expectProblem(await login(t, 'an', WRONG), 401, 'login_failed');
    expectProblem(await login(t, 'an', GOOD_PASSWORD), 429, 'login_throttled');
  });

  it('per IPv6 /64: new interface ids do not buy new tries; another network is not held up', async () => {
    const t = await accountsApp({ TRUST_PROXY: 'loopback', LOGIN_MAX_FAILURES_PER_USER: 1000, LOGIN_MAX_FAILURES_PER_IP: 4 });
    await createUser(t, { username: 'an', role: 'admin' });
    const from = (ip: string, username: string, password = WRONG) => t.http.post('/v1/session').set('X-Forwarded-For', ip).set('Origin', ORIGIN).send({ username, password });
    for (let i = 1; i <= 4; i++) expectProblem(await from(`2001:db8:1:2::${i}`, `nguoi-${i}`), 401, 'login_failed');
    expectProblem(await from('2001:db8:1:2:ffff::9', 'an', GOOD_PASSWORD), 429, 'login_throttled');
    expect((await from('2001:db8:1:3::1', 'an', GOOD_PASSWORD)).status).toBe(200);
    // IPv4: one address.
    for (let i = 1; i <= 4; i++) await from('203.0.113.7', `ai-do-${i}`);
    expectProblem(await from('203.0.113.7', 'an', GOOD_PASSWORD), 429, 'login_throttled');
    expect((await from('203.0.113.8', 'an', GOOD_PASSWORD)).status).toBe(200);
  });

  it('successful logins do not use up an office\'s shared address', async () => {
    const t = await accountsApp({ LOGIN_MAX_FAILURES_PER_IP: 3 });
    await createUser(t, { username: 'an', role: 'admin' });
    for (let i = 0; i < 6; i++) expect((await login(t, 'an')).status).toBe(200);
  });

  it('counts across instances: failures on one instance hold on the other', async () => {
    const t = await accountsApp({ LOGIN_MAX_FAILURES_PER_USER: 4, LOGIN_MAX_FAILURES_PER_IP: 1000 });
    await createUser(t, { username: 'an', role: 'admin' });
    const other = await t.otherInstance();
    expectProblem(await login(t, 'an', WRONG), 401, 'login_failed');
    expectProblem(await login(t, 'an', WRONG, {}, other), 401, 'login_failed');
    expectProblem(await login(t, 'an', WRONG), 401, 'login_failed');
    expectProblem(await login(t, 'an', WRONG, {}, other), 401, 'login_failed');
    expectProblem(await login(t, 'an', GOOD_PASSWORD, {}, other), 429, 'login_throttled');
    expectProblem(await login(t, 'an', GOOD_PASSWORD), 429, 'login_throttled');
  });

  it('racing instances cannot squeeze in more tries than the limit', async () => {
    const t = await accountsApp({ LOGIN_MAX_FAILURES_PER_USER: 3, LOGIN_MAX_FAILURES_PER_IP: 1000 });
    await createUser(t, { username: 'an', role: 'admin' });
    const other = await t.otherInstance();
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => login(t, 'an', WRONG, {}, i % 2 ? other : t.http)));
    expect(answers.filter((r) => r.status === 401)).toHaveLength(3);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(9);
  });
});
