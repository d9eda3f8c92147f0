import { assertAdmin } from '../access/access.js';
import type { Principal } from '../access/principal.js';
import { iso } from '../ballots/status.js';
import { dayKey } from '../counters/days.js';
import type { Overview, SiteOverview } from '../api/overview.js';
import type { OverviewStore, SiteFiguresRow } from './overview.store.js';

export type { Overview, SiteOverview } from '../api/overview.js';

/** Oldest waiting first; a site with nothing waiting after every site that waits. */
export function byWhatWaits(a: SiteFiguresRow, b: SiteFiguresRow): number {
  const ao = a.oldestPendingAt ?? Infinity;
  const bo = b.oldestPendingAt ?? Infinity;
  if (ao !== bo) return ao - bo;
  if (a.pending !== b.pending) return b.pending - a.pending;
  return a.name.localeCompare(b.name, 'vi') || a.site.localeCompare(b.site);
}

/** The province overview (admins): every site's queue, what is open, and today's counters, each in the site's own day. */
export function overviewService(store: OverviewStore, deps: { now: () => number }) {
  return {
    async get(p: Principal): Promise<Overview> {
      assertAdmin(p);
      const at = deps.now();
      const rows = (await store.sites({ sites: null, at, today: (tz) => dayKey(at, tz) })).sort(byWhatWaits);
      const sum = (f: (r: SiteFiguresRow) => number) => rows.reduce((n, r) => n + f(r), 0);
      const oldest = rows[0]?.oldestPendingAt ?? null;
      return {
        at: iso(at)!,
        sites: rows.map((r) => ({ ...r, oldestPendingAt: iso(r.oldestPendingAt) })),
        totals: {
          sites: rows.length,
          pending: sum((r) => r.pending),
          oldestPendingAt: iso(oldest),
          openPolls: sum((r) => r.openPolls),
          openSurveys: sum((r) => r.openSurveys),
          viewsToday: sum((r) => r.viewsToday),
          visitsToday: sum((r) => r.visitsToday),
        },
      };
    },
  };
}

export type OverviewService = ReturnType<typeof overviewService>;
