/**
 * A production release as docs/deploy.md lays it out and the Dockerfile builds it: production
 * node_modules (npm ci --omit=dev), dist/, migrations/, package.json; no src/, no dev package.
 * It lives in /srv/ykien/releases/NAME with /srv/ykien/current linking to it (under a temp folder),
 * belongs to root and is started as an unprivileged user, so a write into the tree fails, and a
 * snapshot taken before shows that nothing in it changed. Three ways in, each as documented: the
 * guide's systemd unit and its `ykien` wrapper, the image's CMD / HEALTHCHECK / `ykien` on PATH,
 * and `npm start` / `npx ykien` in the release folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guideBlock, guideEnv, substitute, unitSettings } from './guide.js';
import { freePort, RUN_AS, run, startService } from './process.js';
import { makeRuntimeLayout, runtimeCommands, snapshot } from './release.js';

const pkg = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
const NODE = process.execPath;
/** PATH with this very Node first, so `#!/usr/bin/env node` and npm run it too. */
const PATH = `${path.dirname(NODE)}:${process.env.PATH ?? '/usr/bin:/bin'}`;

let base: string; // stands for "/"
let srv: string; // /srv/ykien
let release: string;
let before: string[];

/** A folder the service user may write (the data and backup folders, npm's home). */
function writableDir(p: string): string {
  fs.mkdirSync(p, { recursive: true });
  if (RUN_AS.uid !== undefined) fs.chownSync(p, RUN_AS.uid, RUN_AS.gid!);
  return p;
}

beforeAll(async () => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'ykien-release-'));
  fs.chmodSync(base, 0o755);
  srv = path.join(base, 'srv', 'ykien');
  release = path.join(srv, 'releases', '20260608-0827');
  await makeRuntimeLayout(release);
  fs.symlinkSync(release, path.join(srv, 'current'));
  // Not root: the owner's write bits go, which stops the owner as root-owned files stop nobody.
  if (RUN_AS.uid === undefined) run('chmod', ['-R', 'a-w', release], { env: { PATH } });
  before = snapshot(release);
}, 180_000);

afterAll(() => {
  if (!base) return;
  run('chmod', ['-R', 'u+w', base], { env: { PATH } });
  fs.rmSync(base, { recursive: true, force: true });
});

describe('the runtime layout', () => {
  it('holds what the Dockerfile copies, built, with production packages only and no sources', () => {
    for (const f of ['dist/server.js', 'dist/cli.js', 'dist/widget/widget.js', 'dist/build-info.json', 'migrations', 'package.json', 'node_modules/express', 'node_modules/better-sqlite3'])
      expect(fs.existsSync(path.join(release, f)), f).toBe(true);
    for (const dev of ['typescript', 'tsx', 'vitest', 'esbuild', 'supertest', '.bin/tsc'])
      expect(fs.existsSync(path.join(release, 'node_modules', dev)), dev).toBe(false);
    expect(fs.existsSync(path.join(release, 'src'))).toBe(false);
    expect(fs.readFileSync(path.join(release, 'dist/cli.js'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(fs.statSync(path.join(release, 'dist/cli.js')).mode & 0o111).toBe(0o111);
    expect(fs.readFileSync(path.join(import.meta.dirname, '../../Dockerfile'), 'utf8')).toMatch(/^FROM node:24-[\w.-]+ AS runtime$/m);
  });
});

describe('systemd, as docs/deploy.md sets it up', () => {
  it('the unit passes systemd-analyze, restarts on a crash but not on a setting error, and outlasts the clean shutdown', () => {
    const unit = guideBlock('systemd-unit');
    const s = unitSettings(unit);
    expect(s.get('Restart')).toEqual(['on-failure']);
    expect(s.get('RestartPreventExitStatus')).toEqual(['2']);
    expect(s.get('NoNewPrivileges')).toEqual(['true']);
    expect(s.get('ProtectSystem')).toEqual(['strict']);
    expect(s.get('ReadWritePaths')![0]!.split(/\s+/)).toContain(path.dirname(guideEnv().DATABASE_PATH!));
    expect(s.get('ExecStart')![0]).toContain('/srv/ykien/current/dist/server.js');
    // Requests in flight, then queued webhooks, each up to SHUTDOWN_TIMEOUT_MS.
    expect(Number(s.get('TimeoutStopSec')![0]) * 1000).toBeGreaterThan(2 * Number(guideEnv().SHUTDOWN_TIMEOUT_MS));

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ykien-unit-'));
    try {
      const file = path.join(dir, 'ykien.service');
      fs.writeFileSync(file, `${substitute(unit, [['/usr/bin/node', NODE]])}\n`);
      let analyze;
      try {
        analyze = run('systemd-analyze', ['verify', '--man=no', file], { env: { PATH } });
      } catch {
        throw new Error('systemd-analyze is missing: apt-get install -y systemd');
      }
      expect(`${analyze.stdout}${analyze.stderr}`.trim()).toBe('');
      expect(analyze.status).toBe(0);
      const security = run('systemd-analyze', ['security', '--offline=yes', '--no-pager', file], { env: { PATH } });
      const exposure = Number(/Overall exposure level for ykien\.service: ([\d.]+)/.exec(security.stdout)?.[1]);
      expect(exposure).toBeLessThanOrEqual(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('starts the release through the current symlink as the service user, and the ykien wrapper runs the CLI with its settings', async () => {
    const port = await freePort();
    const data = writableDir(path.join(base, 'var', 'lib', 'ykien'));
    const backups = writableDir(path.join(base, 'var', 'backups', 'ykien'));
    const envFile = path.join(base, 'etc', 'ykien', 'ykien.env');
    fs.mkdirSync(path.dirname(envFile), { recursive: true });
    fs.writeFileSync(
      envFile,
      substitute(guideBlock('env-file'), [
        ['PORT=8080', `PORT=${port}`],
        ['DATABASE_PATH=/var/lib/ykien/', `DATABASE_PATH=${data}/`],
      ]),
    );
    const s = unitSettings(guideBlock('systemd-unit'));
    const onBase = (p: string) => p.replaceAll('/srv/ykien', srv).replaceAll('/etc/ykien', path.join(base, 'etc', 'ykien'));
    expect(s.get('EnvironmentFile')).toEqual(['/etc/ykien/ykien.env']);
    const env = { PATH, ...parseEnvFile(fs.readFileSync(envFile, 'utf8')) };
    const [cmd, ...args] = onBase(s.get('ExecStart')![0]!).split(/\s+/);
    expect(cmd).toBe('/usr/bin/node');
    const service = await startService(NODE, args, { cwd: onBase(s.get('WorkingDirectory')![0]!), env, port, ...RUN_AS });

    const version = await (await fetch(`http://127.0.0.1:${port}/version`)).json();
    expect(version).toEqual({ name: 'ykien', version: pkg.version, build: expect.stringMatching(/^[0-9a-f]{12}$/) });
    await service.printed(`ykien ${pkg.version} (build ${version.build}) listening on 127.0.0.1:${port}`);

    const wrapper = path.join(base, 'usr', 'local', 'bin', 'ykien');
    fs.mkdirSync(path.dirname(wrapper), { recursive: true });
    fs.writeFileSync(
      wrapper,
      substitute(guideBlock('cli-wrapper'), [
        ['/etc/ykien/ykien.env', envFile],
        // Not root: runuser cannot switch users, and the command runs as the current one.
        ['runuser -u ykien -- ', RUN_AS.uid === undefined ? '' : 'runuser -u nobody -- '],
        ['/usr/bin/node', NODE],
        ['/srv/ykien/current', path.join(srv, 'current')],
      ]),
      { mode: 0o755 },
    );
    const ykien = (...a: string[]) => run('sh', [wrapper, ...a], { env: { PATH } });
    expect(ykien('--version').stdout.trim()).toBe(`ykien ${pkg.version} (build ${version.build}), Node.js ${process.version}`);
    const created = ykien('keys', 'create', '--role', 'admin', '--name', 'Trung tâm CNTT – Nguyễn Văn A');
    expect(created.status, created.stderr).toBe(0);
    const key = created.out.at(-1)!;
    expect(key).toMatch(/^yk_[A-Za-z0-9_-]{43}$/);
    const sites = await fetch(`http://127.0.0.1:${port}/v1/admin/sites`, { headers: { Authorization: `Bearer ${key}` } });
    expect(sites.status).toBe(200);
    expect(JSON.stringify(await sites.json())).not.toContain('tienngoc'); // SEED_DEMO=false
    const backup = ykien('backup', path.join(backups, 'ykien-2026-06-08.db'));
    expect(backup.status, backup.stderr).toBe(0);
    expect(fs.statSync(path.join(backups, 'ykien-2026-06-08.db')).size).toBeGreaterThan(0);

    expect(await service.stop()).toBe(0);
    await service.printed('stopped cleanly');
    expect(snapshot(release)).toEqual(before);
  });
});

describe('the Docker image, reproduced', () => {
  it("runs the image's CMD from /app, passes its HEALTHCHECK, and has ykien on PATH", async () => {
    const { cmd, healthcheck, env: imageEnv } = runtimeCommands();
    expect(imageEnv).toMatchObject({ NODE_ENV: 'production', SEED_DEMO: 'false', DATABASE_PATH: '/data/ykien.db' });
    const port = await freePort();
    const data = writableDir(path.join(base, 'data'));
    const env = { ...imageEnv, PATH, PORT: String(port), DATABASE_PATH: path.join(data, 'ykien.db') };
    expect(cmd[0]).toBe('node');
    const service = await startService(NODE, cmd.slice(1), { cwd: release, env, port, ...RUN_AS });

    expect(healthcheck[0]).toBe('node');
    expect(run(NODE, healthcheck.slice(1), { env, ...RUN_AS }).status).toBe(0);

    // RUN ln -s /app/dist/cli.js /usr/local/bin/ykien
    expect(fs.readFileSync(path.join(import.meta.dirname, '../../Dockerfile'), 'utf8')).toContain('ln -s /app/dist/cli.js /usr/local/bin/ykien');
    const bin = path.join(base, 'image-bin');
    fs.mkdirSync(bin, { recursive: true });
    fs.symlinkSync(path.join(release, 'dist', 'cli.js'), path.join(bin, 'ykien'));
    const inImage = { ...env, PATH: `${bin}:${PATH}` };
    expect(run('ykien', ['--version'], { cwd: '/', env: inImage, ...RUN_AS }).stdout).toMatch(new RegExp(`^ykien ${pkg.version.replaceAll('.', '\\.')} \\(build [0-9a-f]{12}\\)`));
    const created = run('ykien', ['keys', 'create', '--role', 'admin', '--name', 'Quản trị'], { cwd: '/', env: inImage, ...RUN_AS });
    expect(created.status, created.stderr).toBe(0);
    const res = await fetch(`http://127.0.0.1:${port}/v1/admin/sites`, { headers: { Authorization: `Bearer ${created.out.at(-1)}` } });
    expect(res.status).toBe(200);

    expect(await service.stop()).toBe(0);
    expect(snapshot(release)).toEqual(before);
  });
});

describe('npm in the release folder', () => {
  it('npm start runs dist/ without building or writing into the tree; npx ykien runs the bin', async () => {
    const port = await freePort();
    const home = writableDir(path.join(base, 'home-npm'));
    const data = writableDir(path.join(base, 'npm-data'));
    const env = { ...guideEnv(), PATH, HOME: home, npm_config_cache: path.join(home, '.npm'), npm_config_update_notifier: 'false', PORT: String(port), DATABASE_PATH: path.join(data, 'ykien.db') };
    const service = await startService('npm', ['start'], { cwd: path.join(srv, 'current'), env, port, ...RUN_AS });
    expect(await service.printed(`listening on 127.0.0.1:${port}`)).not.toMatch(/building|tsc/);
    // As the folder's owner: npx links the package into its cache and chmods the bin, which another user may not.
    const npx = run('npx', ['--no-install', 'ykien', '--version'], { cwd: path.join(srv, 'current'), env });
    expect(npx.status, npx.stderr).toBe(0);
    expect(npx.stdout).toMatch(/^ykien \S+ \(build [0-9a-f]{12}\)/);
    // npm itself ends by the signal (no exit code); the service, signalled with its process group, stops cleanly.
    await service.stop();
    await service.printed('stopped cleanly');
    expect(snapshot(release)).toEqual(before);
  });
});

/** systemd's EnvironmentFile: KEY=VALUE lines, # comments. */
function parseEnvFile(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .map((l) => /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(l.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!, m[2]!]),
  );
}
