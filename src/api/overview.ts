// The province overview as the admin API answers it (GET /v1/admin/overview): the console is written against it too.

/** One site's line of GET /v1/admin/overview. */
export interface SiteOverview {
  site: string;
  name: string;
  timeZone: string;
  pending: number;
  oldestPendingAt: string | null;
  openPolls: number;
  openSurveys: number;
  viewsToday: number;
  visitsToday: number;
}

export interface Overview {
  at: string;
  /** What waits first: the oldest pending comment first, then the most pending, then by name. */
  sites: SiteOverview[];
  /** The province's row: sums, and the oldest pending comment of any site. */
  totals: Omit<SiteOverview, 'site' | 'name' | 'timeZone'> & { sites: number };
}
