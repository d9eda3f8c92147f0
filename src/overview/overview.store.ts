/** One site's figures as the province overview shows them. Times are epoch ms. */
export interface SiteFiguresRow {
  site: string;
  name: string;
  timeZone: string;
  /** Comments waiting for a moderator, and when the oldest of them came in. */
  pending: number;
  oldestPendingAt: number | null;
  /** Polls and surveys taking answers at `at` (opened, not closed). */
  openPolls: number;
  openSurveys: number;
  /** Counted views and visits started on the site's own calendar day of `at` (its time zone). */
  viewsToday: number;
  visitsToday: number;
}

export interface OverviewQuery {
  /** null: every site. */
  sites: readonly string[] | null;
  at: number;
  /** The calendar day (YYYY-MM-DD) of `at` in a time zone: the store asks once per zone, never per site. */
  today: (timeZone: string) => string;
}

/**
 * What the province overview needs from storage: every site's figures in a fixed number of grouped
 * queries (never one per site), from the running counters and indexes — with 500 sites as with 5.
 */
export interface OverviewStore {
  /** One row per site in scope, in no particular order; zeros for a site with nothing. */
  sites(q: OverviewQuery): Promise<SiteFiguresRow[]>;
}
