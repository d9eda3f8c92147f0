import type { AuditRecord } from '../audit/audit.store.js';

/** What a page's counter shows. */
export interface Figures {
  /** "Lượt xem": counted views of the page. */
  views: number;
  /** "Tổng số lượt truy cập": visits to the site. */
  siteVisits: number;
  /** "Đang truy cập": visitors online (see onlineSince). */
  online: number;
}

/** The windows and the cap a view is counted under (counters.domain.ts). */
export interface CountRules {
  /** A visitor's view of a page counts again only once their last counted view of it is this old. */
  dedupMs: number;
  /** A view this long (or longer) after the visitor's last one starts a new visit. */
  visitIdleMs: number;
  /** The figures answered count the visitors seen after `at - onlineMs` as online. */
  onlineMs: number;
  /** New page keys a site may gain per calendar day; 0 = no cap. */
  newPagesPerDay: number;
}

/** One view to count. */
export interface ViewToCount {
  site: string;
  page: string;
  /** The visitor's hash (the store never sees the id). */
  visitor: string;
  /** The calendar day of `at` in the site's time zone, YYYY-MM-DD: the day totals and the new-page allowance. */
  day: string;
  at: number;
}

export type CountOutcome =
  /** Stored: the view counted or was a repeat within the dedup window; the visitor is marked seen either way. */
  | { outcome: 'stored'; viewCounted: boolean; visitCounted: boolean; figures: Figures }
  /** A page the site does not have, and the site already gained its new pages for `day`: nothing stored. */
  | { outcome: 'capped' };

export interface DayViews {
  day: string;
  views: number;
}

export interface SiteFigures {
  siteVisits: number;
  online: number;
  /** Days in the range that have views, oldest first (days without views are left out). */
  days: DayViews[];
}

/** Figures an operator sets (a portal brings its old totals). */
export interface StartingFigures {
  siteVisits?: number | undefined;
  pages: Readonly<Record<string, number>>;
}

/** The site's visits and the named pages' views, read in the transaction that sets them. */
export interface CounterTotals {
  siteVisits: number;
  pages: Record<string, number>;
}

/** What pruning may forget: nothing an answer still depends on (counters.domain.ts `pruneBefore`). */
export interface PruneBefore {
  /** Dedup marks of views counted before this instant. */
  countedViews: number;
  /** Visitors last seen before this instant (they start a new visit, and are not online). */
  visitors: number;
  /** No figure asked later counts who was online before this instant. */
  online: number;
  /** Daily new-page allowances of days before this one (YYYY-MM-DD). */
  newPagesDay: string;
}

export interface Pruned {
  pageSeen: number;
  visitors: number;
}

/**
 * What the view counters need from storage. Every answer reads counter rows, never raw rows: the cost
 * of a view or a read does not grow with the pages, views, visitors or visitors online a site has.
 *
 * What every backend must guarantee, however many processes share the database:
 * - `countView` decides in one transaction, by constraints and upserts (not read-then-write across
 *   transactions): a view counts at most once per (site, page, visitor) per dedup window, a visit at
 *   most once per idle window, and the new-page cap is never exceeded, whatever races.
 * - `online` is exact: the number of distinct visitors of the site whose last view is after
 *   `onlineSince` (to the millisecond), kept in the database (not in a process), at a cost that does
 *   not grow with the number online.
 */
export interface CountersStore {
  /** Counts one view and answers the figures it produced, read in the same transaction. */
  countView(view: ViewToCount, rules: CountRules): Promise<CountOutcome>;
  /** The page's figures, with the visitors seen after `onlineSince` as online. Zeros for what was never counted. */
  figures(site: string, page: string, onlineSince: number): Promise<Figures>;
  /** The site's visits, online, and views per day from `fromDay` to `toDay` (inclusive, YYYY-MM-DD). */
  stats(site: string, fromDay: string, toDay: string, onlineSince: number): Promise<SiteFigures>;
  /**
   * Sets starting figures, and writes the audit entry `audit` builds from the figures before (it may
   * throw to refuse: nothing is written), in one transaction. Answers the figures after.
   */
  setStarting(site: string, figures: StartingFigures, audit: (before: CounterTotals) => AuditRecord): Promise<CounterTotals>;
  /** Forgets what no answer depends on any more, in batches short enough not to hold up views. */
  prune(before: PruneBefore): Promise<Pruned>;
}
