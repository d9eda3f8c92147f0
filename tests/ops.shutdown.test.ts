import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createContainer } from '../src/container.js';
import { testConfig } from '../src/config.js';
import { openSqliteStorage } from '../src/storage/sqlite/index.js';
import { ROOT } from '../src/paths.js';

const BALLOTS = 60_000;
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** A port nobody listens on right now (the server is then started on it). */
async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

/** A database with a site, a poll with many ballots and an admin key, closed again. */
async function prepareDatabase(): Promise<{ dir: string; file: string; key: string; pollId: string; optionId: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ykien-shutdown-'));
  const file = path.join(dir, 'ykien.db');
  const storage = openSqliteStorage(file);
  const db = storage.db;
  const s = await createContainer({ storage, config: testConfig({ DATABASE_PATH: file }) });
  await s.sites.create({ id: 'xa-a', name: 'Xã A', origins: [], premoderation: true }, 'test');
  const poll = await s.polls.create({ site: 'xa-a', question: 'Xin bạn cho ý kiến?', options: ['Có', 'Không'], maxChoices: 1, resultsVisibility: 'always' }, 'test');
  const key = (await s.keys.create({ name: 'Quản trị', role: 'admin' })).key;
  const ballot = db.prepare('INSERT INTO ballots (poll_id, voter_hash, ip_hash, user_agent, created_at) VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < BALLOTS; i++) ballot.run(poll.id, `v${i}`, 'ip', 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126 '.repeat(3), Date.now() - i * 1000);
  })();
  db.close();
  return { dir, file, key, pollId: poll.id, optionId: poll.options[0]!.id };
}

async function startServer(file: string) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: file, LOG_LEVEL: 'info', SEED_DEMO: 'false', NODE_ENV: 'production', SHUTDOWN_TIMEOUT_MS: '10000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (c) => (stderr += c));
  child.stdout!.on('data', (c) => (stdout += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  // Ready when /readyz answers (tsx compiles on start-up: allow a while).
  for (let i = 0; ; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      http.get({ host: '127.0.0.1', port, path: '/readyz' }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      }).on('error', () => resolve(false));
    });
    if (ok) break;
    if (i > 300 || child.exitCode !== null) throw new Error(`server did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, port, exited, stderr: () => stderr, stdout: () => stdout };
}

const connects = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

/** The file is whole: it opens, passes its check, and the WAL was folded back in. */
function expectCleanDatabase(file: string) {
  expect(fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0).toBe(0);
  // The last connection to close deletes the shared-memory file: the service did close the database.
  expect(fs.existsSync(`${file}-shm`)).toBe(false);
  const db = new Database(file, { readonly: true });
  try {
    expect(db.pragma('quick_check', { simple: true })).toBe('ok');
    return db.prepare('SELECT COUNT(*) FROM ballots').pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('graceful shutdown of the real server', () => {
  it('on SIGTERM stops accepting, finishes the export in flight, closes the database and exits 0', async () => {
    const { dir, file, key, pollId } = await prepareDatabase();
    try {
      const srv = await startServer(file);
      let sentSignal = false;
      const body = await new Promise<{ lines: number; complete: boolean; status: number }>((resolve, reject) => {
        const req = http.get(
          { host: '127.0.0.1', port: srv.port, path: `/v1/admin/polls/${pollId}/export?format=csv&detail=votes`, headers: { authorization: `Bearer ${key}` } },
          (res) => {
            let lines = 0;
            res.on('data', (c: Buffer) => {
              for (let i = c.indexOf(10); i !== -1; i = c.indexOf(10, i + 1)) lines++;
              if (!sentSignal) {
                // The export has started and waits on us: now ask the server to stop.
                sentSignal = true;
                res.pause();
                srv.child.kill('SIGTERM');
                void (async () => {
                  // New connections are refused at once, while this request goes on.
                  for (let i = 0; i < 50 && (await connects(srv.port)); i++) await new Promise((r) => setTimeout(r, 50));
                  expect(await connects(srv.port)).toBe(false);
                  res.resume();
                })().catch(reject);
              }
            });
            res.on('end', () => resolve({ lines, complete: res.complete, status: res.statusCode! }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
      });
      expect(sentSignal).toBe(true);
      expect(body.status).toBe(200);
      expect(body.complete).toBe(true);
      expect(body.lines).toBe(BALLOTS + 1);
      const exit = await srv.exited;
      expect(exit, srv.stderr()).toEqual({ code: 0, signal: null });
      expect(srv.stdout()).toContain('"msg":"stopped cleanly"');
      expect(expectCleanDatabase(file)).toBe(BALLOTS);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('on SIGINT right after votes, keeps every acknowledged vote and exits 0', async () => {
    const { dir, file, pollId, optionId } = await prepareDatabase();
    try {
      const srv = await startServer(file);
      const vote = (i: number) =>
        new Promise<number>((resolve, reject) => {
          const body = JSON.stringify({ optionIds: [optionId], voterId: `shutdown-voter-${i}` });
          const req = http.request(
            { host: '127.0.0.1', port: srv.port, path: `/v1/polls/${pollId}/votes`, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
            (res) => {
              res.resume();
              res.on('end', () => resolve(res.statusCode!));
            },
          );
          req.on('error', reject);
          req.end(body);
        });
      const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) => vote(i)));
      expect(statuses.every((s) => s === 201)).toBe(true);
      srv.child.kill('SIGINT');
      const exit = await srv.exited;
      expect(exit, srv.stderr()).toEqual({ code: 0, signal: null });
      expect(srv.stdout()).toContain('"msg":"stopped cleanly"');
      expect(expectCleanDatabase(file)).toBe(BALLOTS + 20);
      const db = new Database(file, { readonly: true });
      expect(db.prepare('SELECT total_voters FROM polls WHERE id = ?').pluck().get(pollId)).toBe(20);
      db.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
