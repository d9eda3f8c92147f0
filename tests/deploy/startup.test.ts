/**
 * Setting errors an operator meets on a first deployment: each ends in one line that names the
 * variable (and the folder), exit code 2 for the service (systemd's RestartPreventExitStatus=2),
 * before the database is created or seeded; and `backup` to a path it cannot write fails at once.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, testConfig } from '../../src/config.js';
import { DatabaseOpenError, openDatabase } from '../../src/storage/sqlite/open.js';
import { silentLogger } from '../../src/logger.js';
import { ROOT } from '../../src/paths.js';
import { start } from '../../src/server.js';
import { freePort, RUN_AS, run } from './process.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'ykien-startup-'));
  fs.chmodSync(d, 0o755);
  dirs.push(d);
  return d;
}

const baseEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', LOG_LEVEL: 'info', NODE_ENV: 'production' };
/** The service as `node dist/server.js` runs it (here from the sources), to its exit. */
const server = (env: Record<string, string>, as: { uid?: number; gid?: number } = {}) =>
  run(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: ROOT, env: { ...baseEnv, ...env }, ...as });
const cli = (args: string[], env: Record<string, string>, as: { uid?: number; gid?: number } = {}) =>
  run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, env: { ...baseEnv, ...env }, ...as });
const lines = (text: string) => text.trim().split('\n').filter(Boolean);

describe('HOST', () => {
  it('accepts IP addresses, localhost and host names, and refuses anything else naming HOST', () => {
    for (const ok of ['0.0.0.0', '127.0.0.1', '::', '::1', 'localhost', 'ykien.internal', 'ykien-1.quangnam.gov.vn'])
      expect(loadConfig({ HOST: ok }).HOST).toBe(ok);
    for (const bad of ['http://0.0.0.0', '0.0.0.0:8080', 'ykien example', '-x', 'a..b', '[::1]']) {
      expect(() => loadConfig({ HOST: bad }), bad).toThrow(ConfigError);
      expect(() => loadConfig({ HOST: bad })).toThrow(/HOST: must be an IP address/);
    }
  });

  it('a name this machine cannot resolve stops the start in one line naming HOST, before the database exists', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'data', 'ykien.db');
    await expect(start(testConfig({ HOST: 'not-a-host', PORT: 0, DATABASE_PATH: file }), silentLogger())).rejects.toThrow(
      /^HOST=not-a-host is neither an IP address nor a name this machine resolves/,
    );
    const res = server({ HOST: 'not-a-host', PORT: String(await freePort()), DATABASE_PATH: file });
    expect(res.status).toBe(2);
    expect(lines(res.stderr)).toEqual([expect.stringMatching(/^ykien: HOST=not-a-host is neither an IP address nor a name this machine resolves \(\w+\)/)]);
    expect(res.stdout).toBe('');
    expect(fs.existsSync(path.join(dir, 'data'))).toBe(false);
  });
});

describe('a port in use', () => {
  it('is one line naming PORT and HOST, exit code 2, and no database is created or seeded', async () => {
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const dir = tempDir();
      const file = path.join(dir, 'data', 'ykien.db');
      const res = server({ HOST: '127.0.0.1', PORT: String(port), DATABASE_PATH: file, SEED_DEMO: 'true' });
      expect(res.status).toBe(2);
      expect(lines(res.stderr)).toEqual([`ykien: PORT=${port} on HOST=127.0.0.1 is already in use by another process (EADDRINUSE): stop it or choose another PORT.`]);
      expect(res.stdout).toBe('');
      expect(fs.existsSync(path.join(dir, 'data'))).toBe(false);
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });
});

describe('a data folder the service cannot write', () => {
  it('names DATABASE_PATH and the folder instead of "unable to open database file"', () => {
    const err = (file: string) => {
      try {
        openDatabase(file).close();
      } catch (e) {
        return e;
      }
      throw new Error(`opened ${file}`);
    };
    // In a child with a deadline: Node's recursive mkdir spun forever on this path, synchronously.
    const missing = cli(['keys', 'list'], { DATABASE_PATH: '/proc/ykien-test/data/ykien.db' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^error: Cannot open the database DATABASE_PATH=\/proc\/ykien-test\/data\/ykien\.db: cannot create the folder \/proc\/ykien-test\/data as (user|uid) \S+ \(ENOENT/);
    const cantCreate = err('/proc/ykien.db');
    expect(cantCreate).toBeInstanceOf(DatabaseOpenError);
    expect((cantCreate as Error).message).toMatch(/^Cannot open the database DATABASE_PATH=\/proc\/ykien\.db: cannot create or open the file in the folder \/proc: is the folder writable by (user|uid) \S+\? \(SQLITE_CANTOPEN\)$/);
    const file = path.join(tempDir(), 'ykien.db');
    fs.writeFileSync(file, 'not a database, but a text file that happens to be there '.repeat(20));
    expect((err(file) as Error).message).toMatch(/the file is not a SQLite database \(SQLITE_NOTADB\)/);
  });

  it('as the unprivileged service user: the service exits 2 with one line, the CLI exits 1 with the same words', async () => {
    const owned = tempDir(); // root's (or read-only for its owner when not root)
    if (RUN_AS.uid === undefined) fs.chmodSync(owned, 0o555);
    try {
      const inFolder = path.join(owned, 'ykien.db');
      const res = server({ HOST: '127.0.0.1', PORT: String(await freePort()), DATABASE_PATH: inFolder }, RUN_AS);
      expect(res.status).toBe(2);
      expect(lines(res.stderr)).toEqual([
        expect.stringMatching(new RegExp(`^ykien: Cannot open the database DATABASE_PATH=${inFolder}: cannot create or open the file in the folder ${owned}: is the folder writable by (user|uid) \\S+\\? \\(SQLITE_CANTOPEN\\)$`)),
      ]);
      const below = path.join(owned, 'data', 'ykien.db');
      const c = cli(['keys', 'list'], { DATABASE_PATH: below }, RUN_AS);
      expect(c.status).toBe(1);
      expect(c.stderr).toMatch(new RegExp(`^error: Cannot open the database DATABASE_PATH=${below}: cannot create the folder ${owned}/data as (user|uid) \\S+ \\(EACCES`));
    } finally {
      fs.chmodSync(owned, 0o755);
    }
  });
});

describe('ykien backup to a path it cannot write', () => {
  it('fails at once with the path and the reason (/proc/x/y.db looped forever at 100 % CPU)', () => {
    const db = path.join(tempDir(), 'ykien.db');
    openDatabase(db).close();
    // A child process with a deadline: the old loop was synchronous and would hang this worker.
    const proc = cli(['backup', '/proc/x/y.db'], { DATABASE_PATH: db }, {});
    expect(proc.status).toBe(1);
    expect(proc.stderr.trim()).toBe("error: Cannot write the backup to /proc/x/y.db: cannot create the folder /proc/x (ENOENT: no such file or directory, mkdir '/proc/x').");
    const inProc = cli(['backup', '/proc/y.db'], { DATABASE_PATH: db });
    expect(inProc.status).toBe(1);
    expect(inProc.stderr).toMatch(/^error: Cannot write the backup to \/proc\/y\.db: SQLite cannot create \/proc\/y\.db\.partial-\d+ in that folder \(SQLITE_CANTOPEN/);
    const folder = cli(['backup', path.dirname(db)], { DATABASE_PATH: db });
    expect(folder.status).toBe(1);
    expect(folder.stderr).toContain('it is a folder; name the file');
    const underFile = cli(['backup', `${db}/copy.db`], { DATABASE_PATH: db });
    expect(underFile.status).toBe(1);
    expect(underFile.stderr).toContain(`cannot create the folder ${db} (ENOTDIR`);
  });
});
