import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './open.js';

/*
 * The worker is plain CommonJS evaluated from a string, so it runs the same under tsx, vitest
 * and the built dist/ without a loader. It only runs PASSIVE checkpoints, which never block
 * the service's writer.
 */
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.modulePath);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (err) { parentPort.postMessage({ error: String(err) }); }
}, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/**
 * Moves WAL checkpoints off the request thread. By default SQLite checkpoints inside the
 * commit that pushes the WAL past 1000 pages: that commit copies ~4 MB into the database
 * file and fsyncs twice while every request waits (about a fifth of a vote's cost under
 * load, and the p99 spikes). Here a worker thread with its own connection checkpoints
 * every `intervalMs`; the service's own automatic checkpoint stays on at a higher mark as
 * a backstop should the worker fall behind or die. Durability is unchanged: a commit is
 * in the WAL before it is acknowledged either way.
 */
export function startCheckpointer(
  db: Db,
  file: string,
  opts: { intervalMs?: number; backstopPages?: number; onError?: (err: unknown) => void } = {},
): Checkpointer {
  db.pragma(`wal_autocheckpoint = ${opts.backstopPages ?? 20_000}`);
  // After a checkpoint resets the WAL, keep its file from staying at its high-water mark.
  db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, modulePath, intervalMs: opts.intervalMs ?? 200 } });
  worker.unref();
  worker.on('message', (m: { error?: string }) => m.error && opts.onError?.(new Error(m.error)));
  worker.on('error', (err) => opts.onError?.(err));
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        // Unref'd while it runs, the worker must hold the process open while it stops: otherwise,
        // with the server closed, the process exits before the database is closed cleanly.
        worker.ref();
        worker.once('exit', () => resolve());
        worker.postMessage('stop');
        setTimeout(() => void worker.terminate(), 2_000).unref();
      }),
  };
}
