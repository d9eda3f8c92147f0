import type { CountRules, PruneBefore } from './counters.store.js';

/** The same visitor viewing the same page again within this time is not counted again. */
export const VIEW_DEDUP_MS = 30 * 60_000;
/** A site visit ends after this much inactivity; every view extends it. */
export const VISIT_IDLE_MS = 30 * 60_000;
/**
 * "Đang truy cập" at instant t: the distinct visitors of the site whose last view (counted or a
 * repeat, never a crawler's or a GET) was after t − ONLINE_MS, to the millisecond: a visitor seen
 * 4:59.999 ago is online, one seen exactly 5:00 ago is not. Storage keeps running per-second counts
 * so that this exact figure costs the same with 0 or 20,000 online (src/storage/sqlite/counters.ts).
 */
export const ONLINE_MS = 5 * 60_000;
/** Days shown by GET /stats. */
export const STATS_DAYS = 30;
/** How often the server prunes dedup and presence rows. */
export const PRUNE_EVERY_MS = 5 * 60_000;
/**
 * Presence is kept this much longer than ONLINE_MS, so a process whose clock is up to a minute
 * behind the one that pruned still answers "online" exactly.
 */
export const ONLINE_GRACE_MS = 60_000;

export const countRules = (newPagesPerDay: number): CountRules => ({
  dedupMs: VIEW_DEDUP_MS,
  visitIdleMs: VISIT_IDLE_MS,
  onlineMs: ONLINE_MS,
  newPagesPerDay,
});

/** Visitors seen after this instant are online at `t`. */
export const onlineSince = (t: number): number => t - ONLINE_MS;

/**
 * What pruning at `t` may forget without changing any answer at `t` or later: a missing dedup row
 * or visitor means "count it" exactly like an old one.
 */
export function pruneBefore(t: number): PruneBefore {
  return {
    countedViews: t - VIEW_DEDUP_MS,
    visitors: t - Math.max(VISIT_IDLE_MS, ONLINE_MS),
    online: onlineSince(t) - ONLINE_GRACE_MS,
    // Two days back in UTC is before "today" in every time zone.
    newPagesDay: new Date(t - 2 * 86_400_000).toISOString().slice(0, 10),
  };
}
