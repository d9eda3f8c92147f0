/**
 * Helpers shared by the benchmark and the crash test: run the BUILT service
 * (`node dist/server.js`) as a child process on a free loopback port.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
/** BENCH_SERVICE_ROOT: run the build of another checkout (e.g. a git worktree of an older commit) for before/after figures. */
export const SERVICE_ROOT = process.env.BENCH_SERVICE_ROOT ? path.resolve(process.env.BENCH_SERVICE_ROOT) : ROOT;
export const DIST_SERVER = path.join(SERVICE_ROOT, 'dist/server.js');
export const DIST_CLI = path.join(SERVICE_ROOT, 'dist/cli.js');
/**
 * Node flags the service runs with, here as in `npm start` and the Dockerfile. Capping the old
 * generation at 256 MB (the live heap is 20-50 MB) also makes V8 size its young generation and
 * grow the heap for a small process: peak RSS under 50 connections fell from ~175 MB to ~125 MB
 * at no measurable CPU cost (see README, Performance). The same flags for a BENCH_SERVICE_ROOT build, so a
 * before/after comparison runs both the way production does (BENCH_SERVICE_NODE_ARGS overrides them, e.g. ""
 * for a build older than the cap).
 */
export const SERVICE_NODE_ARGS = (process.env.BENCH_SERVICE_NODE_ARGS ?? '--max-old-space-size=256 --max-semi-space-size=8').split(' ').filter(Boolean);

/** A port the kernel just handed out on 127.0.0.1 (closed again, so a child can take it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Captcha off, the demo site seeded, and every rate limit ON at a ceiling no run reaches: production runs
 * them on every request, so their cost belongs in the figures, while one load generator on one address must
 * never be refused. The per-IP vote cap stays off: at a ceiling its count would cover the tens of thousands
 * of ballots one address casts here, where a real address is stopped at 50.
 */
const CEILING = '1000000000';
export function benchEnv(databasePath: string, port: number): Record<string, string> {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_PATH: databasePath,
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'true',
    CAPTCHA: 'off',
    COMMENT_MIN_SECONDS: '0',
    RATE_LIMIT_WRITE_PER_MIN: CEILING,
    RATE_LIMIT_READ_PER_MIN: CEILING,
    RATE_LIMIT_ADMIN_PER_MIN: CEILING,
    RATE_LIMIT_VIEWS_PER_MIN: CEILING,
    RATE_LIMIT_COMMENT_PER_MIN: CEILING,
    RATE_LIMIT_CAPTCHA_PER_MIN: CEILING,
    VOTE_LIMIT_PER_IP: '0',
  };
}

export function requireBuild(): void {
  if (!fs.existsSync(DIST_SERVER) || !fs.existsSync(DIST_CLI)) {
    throw new Error('dist/ is missing: run `npm run build` first (npm run bench / npm run crash-test do it for you).');
  }
}

/** Creates an admin key with the built CLI of `root` (which also creates and migrates the database). */
export function createAdminKey(databasePath: string, name = 'Bench', root = SERVICE_ROOT, databaseUrl?: string): string {
  const out = execFileSync(process.execPath, [path.join(root, 'dist/cli.js'), 'keys', 'create', '--role', 'admin', '--name', name], {
    env: { ...process.env, DATABASE_PATH: databasePath, ...(databaseUrl && { DATABASE_URL: databaseUrl }), LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  });
  const key = out.trim().split('\n').pop()?.trim();
  if (!key) throw new Error(`keys create printed no key:\n${out}`);
  return key;
}

export interface Child {
  proc: ChildProcess;
  pid: number;
  url: string;
  logFile: string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
  exited: Promise<number | null>;
}

/** Spawns `node [nodeArgs] script` with env, output to a log file; resolves once GET readyPath answers 200. */
export async function spawnNode(
  script: string,
  opts: { env: Record<string, string>; port: number; readyPath: string; logFile: string; nodeArgs?: string[] },
): Promise<Child> {
  const log = fs.openSync(opts.logFile, 'a');
  const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), script], {
    env: { PATH: process.env.PATH ?? '', ...opts.env },
    stdio: ['ignore', log, log],
    cwd: ROOT,
  });
  fs.closeSync(log);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  let dead = false;
  void exited.then(() => (dead = true));
  const url = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (dead) throw new Error(`${path.basename(script)} exited before it was ready; log:\n${fs.readFileSync(opts.logFile, 'utf8')}`);
    try {
      const res = await fetch(url + opts.readyPath);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`${path.basename(script)} not ready after 20 s; log:\n${fs.readFileSync(opts.logFile, 'utf8')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    proc,
    pid: proc.pid!,
    url,
    logFile: opts.logFile,
    exited,
    async stop() {
      if (!dead) proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      if (!dead) proc.kill('SIGKILL');
      await exited;
    },
  };
}

/** Peak resident set size (VmHWM) of a live process, in MB; undefined if /proc is not there. */
export function peakRssMb(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a live process has used so far, in ms; undefined if /proc is not there. */
export function cpuMs(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at state; utime and stime are the 12th and 13th of those.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export function machine(): { nproc: number; cpu: string; node: string; memGb: number } {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /model name\s*:\s*(.+)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    /* not Linux */
  }
  return { nproc: os.availableParallelism(), cpu, node: process.version, memGb: Math.round(os.totalmem() / 2 ** 30) };
}
