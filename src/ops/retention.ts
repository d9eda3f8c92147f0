import { runHere, type RunJob } from '../jobs.js';
import type { Events } from '../events.js';
import type { Logger } from '../logger.js';
import type { RetentionStore } from './retention.store.js';

const DAY_MS = 86_400_000;

export interface RetentionResult {
  cutoff: string;
  erased: Record<string, number>;
}

/**
 * Erases salted IP hashes and user agents older than RETENTION_DAYS. Ballots and comments
 * themselves are kept (results and discussions must stay as they were); only what could
 * link them to a network or a device goes.
 */
export function retentionJob(store: RetentionStore, opts: { days: number; now?: () => number; events?: Events; logger?: Logger | undefined; runJob?: RunJob }) {
  const now = opts.now ?? Date.now;
  let timer: NodeJS.Timeout | undefined;
  let first: NodeJS.Timeout | undefined;
  /** Aborts a daily pass still running when the job stops (at shutdown, before storage closes). */
  let stopping = new AbortController();

  async function runRetention(at: number = now(), signal?: AbortSignal): Promise<RetentionResult> {
    const cutoff = at - opts.days * DAY_MS;
    const erased = { ...(await store.eraseBefore(cutoff, { signal })) };
    opts.events?.emit({ type: 'retention.ran', erased, at });
    opts.logger?.info({ cutoff: new Date(cutoff).toISOString(), erased }, 'retention: erased old IP hashes and user agents');
    return { cutoff: new Date(cutoff).toISOString(), erased };
  }

  return {
    runRetention: (at?: number) => runRetention(at),
    /** Runs now (in the background) and then every day; the timer never keeps the process alive. */
    start(): void {
      if (timer) return;
      const { signal } = stopping;
      const tick = () => {
        // Every instance ticks; one erases per day.
        (opts.runJob ?? runHere)('retention', DAY_MS, () => runRetention(now(), signal)).catch((err: unknown) => {
          // Stopped half-way: what was erased stays erased, the next start finishes it.
          if (!signal.aborted) opts.logger?.error({ err }, 'retention job failed');
        });
      };
      first = setTimeout(tick, 1_000);
      first.unref();
      timer = setInterval(tick, DAY_MS);
      timer.unref();
    },
    stop(): void {
      clearTimeout(first);
      clearInterval(timer);
      first = timer = undefined;
      stopping.abort();
      stopping = new AbortController();
    },
  };
}

export type RetentionJob = ReturnType<typeof retentionJob>;
