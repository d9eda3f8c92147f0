import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { runCommand } from './helpers/cli.js';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/storage/sqlite/open.js';
import { tempDatabase } from './helpers/app.js';

const cli = (args: string[], dbFile: string) => runCommand(args, { file: dbFile });

describe('keys CLI', () => {
  it('creates a key, prints it alone on the last line, stores only its hash', async () => {
    const { file, db } = tempDatabase();
    db.close();
    const res = await cli(['keys', 'create', '--role', 'admin', '--name', 'Quản trị viên'], file);
    expect(res.code).toBe(0);
    const key = res.out.at(-1)!;
    expect(key).toMatch(/^yk_[A-Za-z0-9_-]{43}$/);
    const check = openDatabase(file);
    const dump = JSON.stringify(check.prepare('SELECT * FROM api_keys').all());
    check.close();
    expect(dump).not.toContain(key);
    expect(dump).toContain('Quản trị viên');

    const list = await cli(['keys', 'list'], file);
    expect(list.out.join('\n')).toContain('Quản trị viên');
    expect(list.out.join('\n')).not.toContain(key);
    const id = list.out[0]!.split(/\s+/)[0]!;
    expect((await cli(['keys', 'revoke', id], file)).code).toBe(0);
    expect((await cli(['keys', 'list'], file)).out[0]).toContain('revoked');
    expect((await cli(['keys', 'revoke', id], file)).code).toBe(1);
  });

  it('scopes moderator keys to an existing site and explains bad usage', async () => {
    const { file, db } = tempDatabase();
    db.prepare("INSERT INTO sites (id, name, created_at, updated_at) VALUES ('xa-a', 'Xã A', 0, 0)").run();
    db.close();
    expect((await cli(['keys', 'create', '--role', 'moderator', '--name', 'M', '--site', 'xa-a'], file)).code).toBe(0);
    const missing = await cli(['keys', 'create', '--role', 'moderator', '--name', 'M', '--site', 'none'], file);
    expect(missing.code).toBe(1);
    expect(missing.err.join()).toMatch(/Site "none" was not found/);
    expect((await cli(['keys', 'create', '--role', 'root', '--name', 'M'], file)).code).toBe(64);
    expect((await cli(['keys', 'create', '--role', 'admin'], file)).code).toBe(64);
    expect((await cli(['keys', 'create', '--role', 'admin', '--name', 'A', '--site', 'xa-a'], file)).code).toBe(1);
    expect((await cli(['nonsense'], file)).code).toBe(64);
  });

  it('works through npm run -s ykien, key alone on the last line', () => {
    const { file, db } = tempDatabase();
    db.close();
    const res = spawnSync('npm', ['run', '-s', 'ykien', '--', 'keys', 'create', '--role', 'admin', '--name', 'Ops'], {
      cwd: path.resolve(import.meta.dirname, '..'),
      env: { ...process.env, DATABASE_PATH: file },
      encoding: 'utf8',
    });
    expect(res.status).toBe(0);
    const lines = res.stdout.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^yk_[A-Za-z0-9_-]{43}$/);
  });
});
