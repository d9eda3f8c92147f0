/** Child processes for the deployment tests: the service started as an operator would, and one-shot commands. */
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { afterEach } from 'vitest';

export { freePort } from '../../scripts/lib/service.js';

/** The unprivileged user the service runs as here (Debian's nobody), when the tests run as root; otherwise the current user. */
export const RUN_AS = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

export interface Service {
  child: ChildProcess;
  output(): string;
  /** Resolves once the output contains `text` (logs are written asynchronously); fails with the output after 10 s. */
  printed(text: string): Promise<string>;
  /** SIGTERM to its process group, then its exit code (SIGKILL after 15 s). */
  stop(): Promise<number | null>;
}

/**
 * Signals go to the child's whole process group, as a terminal's Ctrl-C and systemd's stop do:
 * `npm start` runs the service under `sh -c` and does not pass SIGTERM on, so signalling npm alone
 * would leave the service running.
 */
const signalGroup = (c: ChildProcess, signal: NodeJS.Signals) => {
  try {
    process.kill(-c.pid!, signal);
  } catch {
    /* already gone */
  }
};
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) signalGroup(c, 'SIGKILL');
});

/** Starts `cmd args` and resolves once GET http://127.0.0.1:port/readyz answers 200; fails with its output if it exits first. */
export async function startService(
  cmd: string,
  args: string[],
  opts: { cwd: string; env: Record<string, string>; port: number; uid?: number; gid?: number },
): Promise<Service> {
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, uid: opts.uid, gid: opts.gid, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${cmd} ${args.join(' ')} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output}`);
    const ready = await fetch(`http://127.0.0.1:${opts.port}/readyz`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`${cmd} ${args.join(' ')} not ready after 30 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    output: () => output,
    async printed(text) {
      for (const until = Date.now() + 10_000; !output.includes(text); await new Promise((r) => setTimeout(r, 50)))
        if (Date.now() > until) throw new Error(`expected the output to contain ${JSON.stringify(text)}:\n${output}`);
      return output;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) signalGroup(child, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Runs a command to its end (30 s at most: a command that hangs fails the test instead of holding it). */
export function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env: Record<string, string>; uid?: number; gid?: number; timeout?: number },
): SpawnSyncReturns<string> & { out: string[] } {
  const res = spawnSync(cmd, args, { cwd: opts.cwd, env: opts.env, uid: opts.uid, gid: opts.gid, encoding: 'utf8', timeout: opts.timeout ?? 30_000, killSignal: 'SIGKILL' });
  if (res.error) throw res.error;
  return Object.assign(res, { out: res.stdout.trim().split('\n') });
}
