import type { Db } from './open.js';

/** Most units one group commit takes; more wait for the next. */
const MAX_BATCH = 256;

interface Unit {
  work: () => unknown;
  resolve(value: unknown): void;
  reject(err: unknown): void;
  result?: unknown;
  error?: unknown;
  failed?: boolean;
}

/**
 * Group commit: units of write work that arrive in the same turn of the event loop run in one
 * IMMEDIATE transaction, each inside a savepoint of its own (a unit that throws rolls back alone),
 * and every promise settles only after that COMMIT. Under load one commit (the WAL writes and locks,
 * most of a write's cost) carries many ballots; alone, a unit waits one setImmediate. Units are
 * synchronous: nothing awaits inside the transaction.
 */
export function groupCommit(db: Db) {
  let queue: Unit[] = [];
  const savepoint = db.transaction((work: () => unknown) => work());
  const batch = db.transaction((units: Unit[]) => {
    for (const u of units) {
      try {
        u.result = savepoint(u.work);
      } catch (err) {
        u.failed = true;
        u.error = err;
      }
    }
  });
  function flush(): void {
    const units = queue;
    queue = [];
    if (!units.length) return;
    try {
      batch.immediate(units);
    } catch (err) {
      // The COMMIT itself failed: nothing of this batch is on disk, so nobody is told otherwise.
      for (const u of units) if (!u.failed) Object.assign(u, { failed: true, error: err });
    }
    for (const u of units) {
      if (u.failed) u.reject(u.error);
      else u.resolve(u.result);
    }
  }

  return function commit<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (queue.length === 1) setImmediate(flush);
      else if (queue.length >= MAX_BATCH) flush();
    });
  };
}

export type GroupCommit = ReturnType<typeof groupCommit>;
