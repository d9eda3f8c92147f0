import type { PgDb } from './db.js';
import { isUnavailable, type Client } from './pool.js';

/** Most units one group commit takes; more wait for the next. */
const MAX_BATCH = 256;

/** A failure of one unit's statements (not of the database): that unit is refused alone. */
class UnitFailed extends Error {
  constructor(readonly index: number, override readonly cause: unknown) {
    super('unit failed');
  }
}

/**
 * How one kind of write is batched: `run` writes one unit in the batch's transaction and returns how to
 * settle it once the batch has committed (given what `end` read); `end` runs once per batch, after every
 * unit (counters added up per batch, so a row is locked once per batch, not once per unit).
 */
export interface BatchKind<U, B, D> {
  begin(): B;
  run(c: Client, unit: U, batch: B): Promise<(done: D) => void>;
  /**
   * Every unit of a batch in a few statements (what `run` does for each, in their order, with each unit's
   * rules seeing the units before it): round trips per batch instead of per unit. When one of its statements
   * fails, the batch is written again unit by unit with `run`, so the unit at fault is refused alone.
   */
  runAll?(c: Client, units: readonly U[], batch: B): Promise<((done: D) => void)[]>;
  /**
   * False when runAll's only write for these units is one statement (its reads taking no lock it must hold
   * until that write): the batch then runs without BEGIN and COMMIT (db.statements), a round trip less.
   */
  transactional?(units: readonly U[]): boolean;
  end(c: Client, batch: B): Promise<D>;
  /** The order units are written in within a batch (every batch takes its locks in the same order). */
  order?: (a: U, b: U) => number;
}

/**
 * Group commit per instance, for the ballots of polls and the responses of surveys: units that arrive while
 * a batch is being written join the next one, which runs as ONE transaction (db.write, so other instances'
 * caches see it). A unit whose statements fail is refused and the batch written again without it; when the
 * database (or the COMMIT) fails, nothing of the batch is stored and every unit is told so.
 */
export function pgGroupCommit<U, B, D>(db: PgDb, kind: BatchKind<U, B, D>) {
  type Queued = { unit: U; reject(err: unknown): void };
  let queue: Queued[] = [];
  let running = false;

  const nothing = () => undefined;

  /** Writes a batch; answers how to tell its units they are stored (refusals and failures are told at once). */
  async function writeBatch(units: Queued[]): Promise<() => void> {
    let pending = units;
    let together = kind.runAll !== undefined;
    for (;;) {
      try {
        const oneStatement = together && kind.transactional?.(pending.map((q) => q.unit)) === false;
        const on = <T>(fn: (c: Client) => Promise<T>) => (oneStatement ? db.statements(fn) : db.write(fn));
        const { settles, done } = await on(async (c) => {
          const batch = kind.begin();
          if (together) {
            const settles = await kind.runAll!(c, pending.map((q) => q.unit), batch);
            return { settles, done: await kind.end(c, batch) };
          }
          const settles: ((done: D) => void)[] = [];
          for (const [i, q] of pending.entries()) {
            try {
              settles.push(await kind.run(c, q.unit, batch));
            } catch (err) {
              if (isUnavailable(err)) throw err;
              throw new UnitFailed(i, err);
            }
          }
          return { settles, done: await kind.end(c, batch) };
        });
        return () => {
          for (const settle of settles) settle(done);
        };
      } catch (err) {
        if (together && !isUnavailable(err)) {
          together = false; // nothing of it was stored: find the unit at fault one by one
          continue;
        }
        if (err instanceof UnitFailed) {
          pending[err.index]!.reject(err.cause);
          pending = pending.filter((_, i) => i !== err.index);
          if (pending.length) continue;
          return nothing;
        }
        for (const q of pending) q.reject(err);
        return nothing;
      }
    }
  }

  async function drain(): Promise<void> {
    running = true;
    try {
      while (queue.length) {
        const units = queue.slice(0, MAX_BATCH);
        queue = queue.slice(MAX_BATCH);
        if (kind.order) units.sort((a, b) => kind.order!(a.unit, b.unit));
        const answer = await writeBatch(units);
        // With more waiting, the next batch's first statement goes out before this batch's answers are written
        // (as many HTTP responses as units), so the database works on it meanwhile instead of waiting for them.
        if (queue.length) setImmediate(answer);
        else answer();
      }
    } finally {
      running = false;
    }
  }

  /** Queues a unit; `reject` is called when it fails (its own settle, from `run`, tells success). */
  return (unit: U, reject: (err: unknown) => void): void => {
    queue.push({ unit, reject });
    if (!running) {
      running = true;
      setImmediate(() => void drain());
    }
  };
}
