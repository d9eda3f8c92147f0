import { isUnavailable, type Pool } from './pool.js';

/**
 * The change version every instance agrees on: a sequence that each write transaction advances after
 * it commits (so a reader that sees the new value also sees the data); the view counters' writes do not
 * (db.ts `unversioned`: no cached answer is built from them). A cached answer is served only
 * while the version it was built under is still the current one.
 *
 * Reading it costs a round trip, so reads share them: a caller waits for a read of the sequence that
 * STARTED after it asked (never an older one), and all callers waiting meanwhile share that one read.
 * Under load that is one small query per round trip, however many requests arrive.
 *
 * While the database cannot be reached the last value stands, so cached answers are still served (nobody
 * can write meanwhile); once it answers again the version jumps, and nothing cached before the outage is
 * served again.
 */
const BUMP = "SELECT nextval('ykien_changes')";

export function changeVersion(pool: Pool, opts: { onError?: (err: unknown) => void } = {}) {
  let last = 0;
  /** Added once per outage, so versions after it never equal versions before it. */
  let epoch = 0;
  let failing = false;
  let inFlight: Promise<number> | undefined;
  let next: Promise<number> | undefined;

  async function read(): Promise<number> {
    try {
      const { rows } = await pool.query<{ v: number }>('SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS v FROM ykien_changes');
      if (failing) {
        failing = false;
        epoch += 1_000_000_000_000;
      }
      last = rows[0]!.v + epoch;
    } catch (err) {
      if (!isUnavailable(err)) opts.onError?.(err);
      failing = true;
    }
    return last;
  }

  function fresh(): Promise<number> {
    // A read already on its way may have started before this caller asked: wait for the one after it.
    if (!inFlight) {
      inFlight = read().finally(() => (inFlight = undefined));
      return inFlight;
    }
    next ??= inFlight.then(() => {
      next = undefined;
      return fresh();
    });
    return next;
  }

  return {
    version: fresh,
    /** Called after a write transaction committed. */
    bump: () => pool.query(BUMP).then(() => undefined),
    /** The bump as a statement, to send in one message after a COMMIT (db.ts). */
    bumpStatement: BUMP,
  };
}

export type ChangeVersion = ReturnType<typeof changeVersion>;
