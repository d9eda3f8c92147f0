import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from './helpers/cli.js';
import { createSite, expectProblem, makeTestApp } from './helpers/app.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const PASSWORD = 'Cay-da-dau-lang-2026';

describe('users CLI', () => {
  it('creates the first admin with the password on stdin (a real process), who can then sign in', async () => {
    const t = await makeTestApp();
    const res = spawnSync('npm', ['run', '-s', 'ykien', '--', 'users', 'create', '--username', 'QuanTri', '--role', 'admin', '--password-stdin'], {
      cwd: ROOT,
      env: { ...process.env, ...t.databaseEnv, LOG_LEVEL: 'silent' },
      input: `${PASSWORD}\n`,
      encoding: 'utf8',
    });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('Created admin quantri');
    expect(res.stdout).not.toContain(PASSWORD);
    // The trailing newline of `echo` is not part of the password.
    expect((await t.http.post('/v1/session').send({ username: 'quantri', password: PASSWORD })).status).toBe(200);
    const stored = JSON.stringify(await t.sql.rows('SELECT * FROM users'));
    expect(stored).not.toContain(PASSWORD);
    const audit = (await t.admin.get('/v1/admin/audit?action=user.create')).body.entries;
    expect(audit[0]).toMatchObject({ actor: 'cli', actorId: 'cli', targetId: 'quantri' });
  });

  it('refuses a weak password, a missing --password-stdin and bad flags; nothing is created', async () => {
    const t = await makeTestApp();
    const weak = spawnSync('npm', ['run', '-s', 'ykien', '--', 'users', 'create', '--username', 'an', '--role', 'admin', '--password-stdin'], {
      cwd: ROOT,
      env: { ...process.env, ...t.databaseEnv, LOG_LEVEL: 'silent' },
      input: 'qwertyuiop\n',
      encoding: 'utf8',
    });
    expect(weak.status).toBe(1);
    expect(weak.stderr).toContain('phổ biến');
    const cli = (args: string[], stdin?: string) => runCommand(args, { env: t.databaseEnv as Record<string, string>, ...(stdin === undefined ? {} : { stdin }) });
    const short = await cli(['users', 'create', '--username', 'an', '--role', 'admin', '--password-stdin'], 'ngan\n');
    expect(short.code).toBe(1);
    expect(short.err.join()).toContain('Mật khẩu phải có ít nhất 10 ký tự.');
    const noStdin = await cli(['users', 'create', '--username', 'an', '--role', 'admin']);
    expect(noStdin.code).toBe(64);
    expect(noStdin.err.join()).toContain('--password-stdin');
    expect((await cli(['users', 'create', '--username', 'an', '--role', 'root', '--password-stdin'], PASSWORD)).code).toBe(64);
    expect((await cli(['users', 'create', '--role', 'admin', '--password-stdin'], PASSWORD)).code).toBe(64);
    expect((await cli(['users', 'create', '--username', 'an', '--role', 'admin', '--password', PASSWORD])).code).toBe(64);
    expect((await cli(['users', 'create', '--username', 'an', '--role', 'admin', '--password-stdin'], '')).code).toBe(64);
    expect((await cli(['users', 'create', '--username', 'mod', '--role', 'moderator', '--password-stdin'], PASSWORD)).code).toBe(1);
    expect(await t.sql.value('SELECT COUNT(*) AS n FROM users')).toBe(0);
  });

  it('creates moderators of several sites, lists, resets a password and disables, each ending sessions', async () => {
    const t = await makeTestApp();
    await createSite(t);
    await createSite(t, { id: 'xa-b', name: 'Xã B', origins: [] });
    const cli = (args: string[], stdin?: string) => runCommand(args, { env: t.databaseEnv as Record<string, string>, ...(stdin === undefined ? {} : { stdin }) });
    expect((await cli(['users', 'list'])).out[0]).toContain('No users yet');
    const made = await cli(['users', 'create', '--username', 'mod', '--role', 'moderator', '--site', 'xa-a', '--site', 'xa-b', '--password-stdin'], PASSWORD);
    expect(made.code).toBe(0);
    expect(made.out[0]).toContain('xa-a, xa-b');
    const list = await cli(['users', 'list']);
    expect(list.out[0]).toMatch(/^mod\s+moderator\s+xa-a,xa-b\s+active/);
    expect(list.out.join()).not.toContain('scrypt');

    const login = await t.http.post('/v1/session').send({ username: 'mod', password: PASSWORD });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    await t.http.get('/v1/session').set('Cookie', cookie).expect(200);
    const reset = await cli(['users', 'reset-password', 'mod', '--password-stdin'], 'Mat-khau-moi-tu-cli\n');
    expect(reset.code).toBe(0);
    expectProblem(await t.http.get('/v1/session').set('Cookie', cookie), 401, 'session_expired');
    expect((await t.http.post('/v1/session').send({ username: 'mod', password: 'Mat-khau-moi-tu-cli' })).status).toBe(200);
    expect((await cli(['users', 'reset-password', 'mod', '--password-stdin'], 'mod')).code).toBe(1);
    expect((await cli(['users', 'reset-password', 'khong-co', '--password-stdin'], PASSWORD)).code).toBe(1);

    expect((await cli(['users', 'disable', 'mod'])).code).toBe(0);
    expectProblem(await t.http.post('/v1/session').send({ username: 'mod', password: 'Mat-khau-moi-tu-cli' }), 401, 'login_failed');
    expect((await cli(['users', 'list'])).out[0]).toContain('disabled');
    expect((await cli(['users', 'disable'])).code).toBe(64);
  });
});
