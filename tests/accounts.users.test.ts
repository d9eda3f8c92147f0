import { describe, expect, it } from 'vitest';
import { createSite, expectProblem } from './helpers/app.js';
import { accountsApp, createUser, GOOD_PASSWORD, login, signIn } from './accounts.helpers.js';

describe('admin user management', () => {
  it('creates, lists, changes and disables users; a person admin can do it as a key can', async () => {
    const t = await accountsApp();
    await createSite(t);
    await createSite(t, { id: 'xa-b', name: 'Xã B', origins: [] });
    const created = await t.admin.post('/v1/admin/users', { username: 'Quan.Tri', displayName: 'Trần Văn Quản', role: 'admin', password: GOOD_PASSWORD });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'quan.tri', displayName: 'Trần Văn Quản', role: 'admin', sites: [], disabled: false, totpEnabled: false, lastLoginAt: null });

    const boss = await signIn(t, 'quan.tri');
    const mod = await boss.post('/v1/admin/users', { username: 'mod', role: 'moderator', sites: ['xa-b', 'xa-a'], password: GOOD_PASSWORD });
    expect(mod.status).toBe(201);
    expect(mod.body.sites).toEqual(['xa-a', 'xa-b']);
    const list = (await boss.get('/v1/admin/users')).body.users as { username: string; lastLoginAt: number | null }[];
    expect(list.map((u) => u.username)).toEqual(['mod', 'quan.tri']);
    expect(list.find((u) => u.username === 'quan.tri')!.lastLoginAt).not.toBeNull();

    const changed = await boss.patch('/v1/admin/users/mod', { displayName: 'Lê Thị Mơ', sites: ['xa-b'] });
    expect(changed.body).toMatchObject({ displayName: 'Lê Thị Mơ', sites: ['xa-b'] });
    const m = await signIn(t, 'mod');
    expectProblem(await m.get('/v1/admin/comments?site=xa-a'), 403, 'forbidden');
    // A change of sites takes effect on the live session at once.
    await boss.patch('/v1/admin/users/mod', { sites: ['xa-a'] }).expect(200);
    await m.get('/v1/admin/comments?site=xa-a').expect(200);
    // Made an admin: the sites go.
    expect((await boss.patch('/v1/admin/users/mod', { role: 'admin' })).body).toMatchObject({ role: 'admin', sites: [] });
    await m.get('/v1/admin/users').expect(200);
  });

  it('refuses what the rules forbid, with stable codes', async () => {
    const t = await accountsApp();
    await createSite(t);
    const post = (b: object) => t.admin.post('/v1/admin/users', { role: 'moderator', sites: ['xa-a'], password: GOOD_PASSWORD, ...b });
    expectProblem(await post({ username: 'mod' , sites: [] }), 400, 'validation_failed');
    expectProblem(await post({ username: 'mod', role: 'admin' }), 400, 'validation_failed');
    expectProblem(await post({ username: 'mod', sites: ['khong-co'] }), 400, 'validation_failed');
    expectProblem(await post({ username: 'a b' }), 400, 'validation_failed');
    expectProblem(await post({ username: 'mod', extra: 1 }), 400, 'validation_failed');
    expect(await t.sql.value('SELECT COUNT(*) AS n FROM users')).toBe(0);
    expect(await t.sql.value('SELECT COUNT(*) AS n FROM user_sites')).toBe(0);
    expectProblem(await t.admin.patch('/v1/admin/users/khong-co', { disabled: true }), 404, 'not_found');
  });

  it('refuses short, common and username-like passwords in Vietnamese', async () => {
    const t = await accountsApp();
    const post = (username: string, password: string) => t.admin.post('/v1/admin/users', { username, role: 'admin', password });
    const short = await post('an', 'Ngan-qua');
    expectProblem(short, 400, 'weak_password');
    expect(short.body.detail).toBe('Mật khẩu phải có ít nhất 10 ký tự.');
    const common = await post('an', 'qwertyuiop');
    expectProblem(common, 400, 'weak_password');
    expect(common.body.detail).toMatch(/phổ biến/);
    expectProblem(await post('an', '1234567890'), 400, 'weak_password');
    const same = await post('nguyen.van.an', 'Nguyen.Van.An');
    expect(same.body.detail).toBe('Mật khẩu không được trùng với tên đăng nhập.');
    expect((await post('an', 'Mười ký tự có dấu')).status).toBe(201);
    // Decomposed (NFD) diacritics typed on another keyboard sign in to the same password.
    expect((await login(t, 'an', 'Mười ký tự có dấu'.normalize('NFD'))).status).toBe(200);
  });
});

describe('audit names the person', () => {
  it('records logins, failed logins (never the password) and every act of a signed-in person by username', async () => {
    const t = await accountsApp();
    await createSite(t);
    await createUser(t, { username: 'an', role: 'admin', displayName: 'Nguyễn Văn An' });
    await login(t, 'an', 'Mat-khau-sai-be-bet');
    await login(t, 'nobody', 'Mat-khau-sai-be-bet');
    const p = await signIn(t, 'an');
    const poll = (await p.post('/v1/admin/polls', { site: 'xa-a', question: 'Câu hỏi?', options: ['Có', 'Không'] })).body;
    await p.post(`/v1/admin/polls/${poll.id}/close`).expect(200);
    await p.post('/v1/admin/users', { username: 'mod', role: 'moderator', sites: ['xa-a'], password: GOOD_PASSWORD }).expect(201);
    await p.patch('/v1/admin/users/mod', { password: 'Mat-khau-moi-cho-mod' }).expect(200);
    await p.post('/v1/session/logout-all').expect(204);

    const entries = (await t.admin.get('/v1/admin/audit?limit=100')).body.entries as { actor: string; actorId: string | null; action: string; targetId: string | null; detail: unknown }[];
    const byAction = (a: string) => entries.filter((e) => e.action === a);
    expect(byAction('session.login_failed').map((e) => [e.targetId, (e.detail as { reason: string }).reason])).toEqual([
      ['nobody', 'unknown_user'],
      ['an', 'wrong_password'],
    ]);
    expect(byAction('session.login')).toHaveLength(1);
    for (const action of ['session.login', 'poll.create', 'poll.close', 'user.create', 'user.password_reset', 'session.logout_all']) {
      expect(byAction(action).at(0), action).toMatchObject({ actor: 'Nguyễn Văn An', actorId: 'user:an' });
    }
    const dump = JSON.stringify(await t.sql.rows('SELECT * FROM audit_log'));
    expect(dump).not.toContain('Mat-khau-sai-be-bet');
    expect(dump).not.toContain('Mat-khau-moi-cho-mod');
    expect(dump).not.toContain(GOOD_PASSWORD);
    expect(dump).not.toContain(p.token);
    expect(dump).not.toContain('127.0.0.1');
  });
});

describe('nothing secret leaves', () => {
  it('no password hash, session token, token hash, TOTP secret or recovery code hash in any answer', async () => {
    const t = await accountsApp();
    await createUser(t, { username: 'an', role: 'admin' });
    const res = await login(t, 'an');
    const p = await signIn(t, 'an');
    const secret = (await p.post('/v1/session/totp/setup')).body.secret as string;
    const { totpCode } = await import('../src/users/totp.js');
    await p.post('/v1/session/totp/enable', { code: totpCode(secret, t.clock.now()) }).expect(200);
    const rows = await t.sql.rows<{ password_hash: string; totp_secret: string }>('SELECT password_hash, totp_secret FROM users');
    const sessions = await t.sql.column<string>('SELECT token_hash FROM sessions');
    const codes = await t.sql.column<string>('SELECT code_hash FROM user_recovery_codes');
    const answers = [
      res,
      await p.get('/v1/session'),
      await p.get('/v1/admin/users'),
      await p.get('/v1/admin/users/an'),
      await p.patch('/v1/admin/users/an', { displayName: 'An' }),
      await t.admin.get('/v1/admin/audit?limit=100'),
    ].map((r) => JSON.stringify(r.body) + JSON.stringify(r.headers));
    const forbidden = [rows[0]!.password_hash, rows[0]!.password_hash.split('$')[4]!, rows[0]!.totp_secret, ...sessions, ...codes, p.token];
    for (const a of answers.slice(1)) for (const f of forbidden) expect(a).not.toContain(f);
    // The login's own answer sets its cookie, and nothing else secret.
    for (const f of forbidden.filter((f) => f !== tokenOfLogin(res))) expect(answers[0]).not.toContain(f);
  });
});

function tokenOfLogin(res: { headers: Record<string, unknown> }) {
  return String(res.headers['set-cookie']).split(';')[0]!.split('=')[1];
}
