import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { afterEach } from 'vitest';
import { ROOT } from '../../src/paths.js';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

export interface Instance {
  child: ChildProcess;
  port: number;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  logs(): string;
}

const running: Instance[] = [];
afterEach(async () => {
  await Promise.all(
    running.splice(0).map(async (i) => {
      if (i.child.exitCode === null && i.child.signalCode === null) i.child.kill('SIGKILL');
      await i.exited;
    }),
  );
});

const ready = (port: number) =>
  new Promise<boolean>((resolve) => {
    http
      .get({ host: '127.0.0.1', port, path: '/readyz', timeout: 2_000 }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      })
      .on('error', () => resolve(false));
  });

/**
 * A real service process (`src/server.ts` through tsx), with the production defaults and `env` on top;
 * resolves once /readyz answers. Killed after the test if still running.
 */
export async function startInstance(env: Record<string, string>, opts: { port?: number; ready?: boolean } = {}): Promise<Instance> {
  const port = opts.port ?? (await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', SEED_DEMO: 'false', HASH_SALT: 'instances-test-salt-0123456789', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logs = '';
  child.stdout!.on('data', (c) => (logs += c));
  child.stderr!.on('data', (c) => (logs += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const instance: Instance = { child, port, url: `http://127.0.0.1:${port}`, exited, logs: () => logs };
  running.push(instance);
  if (opts.ready === false) return instance;
  for (let i = 0; ; i++) {
    if (await ready(port)) break;
    if (i > 300 || child.exitCode !== null) throw new Error(`instance did not start:\n${logs}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return instance;
}

/** Waits until `port` answers /readyz (after a restart). */
export async function waitReady(port: number, tries = 300): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await ready(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`port ${port} never became ready`);
}
