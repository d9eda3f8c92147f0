import type { OverviewStore } from '../../overview/overview.store.js';
import type { PgDb } from './db.js';

/** "Open at $3" as statusOf (src/ballots/status.ts) says it, for polls and surveys alike. */
const OPEN = '(closed_at IS NULL AND (closes_at IS NULL OR closes_at > $3::bigint) AND (opens_at IS NULL OR opens_at <= $3::bigint))';

/**
 * Every figure of the sites named in $1, their own days in $2 (same order), in one statement (one
 * snapshot): four grouped aggregates joined to the sites, never a query per site.
 */
const FIGURES = `WITH
scope AS (SELECT * FROM unnest($1::text[], $2::text[]) AS s(site_id, day)),
pending AS (SELECT site_id, COUNT(*)::bigint AS n, MIN(created_at) AS oldest FROM comments
            WHERE status = 'pending' AND site_id = ANY($1) GROUP BY site_id),
polls AS (SELECT site_id, COUNT(*)::bigint AS n FROM polls WHERE ${OPEN} AND site_id = ANY($1) GROUP BY site_id),
surveys AS (SELECT site_id, COUNT(*)::bigint AS n FROM surveys WHERE ${OPEN} AND site_id = ANY($1) GROUP BY site_id)
SELECT scope.site_id, pending.n AS pending, pending.oldest, polls.n AS polls, surveys.n AS surveys, d.views, d.visits
FROM scope
LEFT JOIN pending USING (site_id)
LEFT JOIN polls USING (site_id)
LEFT JOIN surveys USING (site_id)
LEFT JOIN counter_days AS d ON d.site_id = scope.site_id AND d.day = scope.day`;

interface FiguresRow {
  site_id: string;
  pending: number | null;
  oldest: number | null;
  polls: number | null;
  surveys: number | null;
  views: number | null;
  visits: number | null;
}

/** The overview on PostgreSQL: the sites in scope (their time zones give each its day), then one statement of grouped aggregates. */
export function pgOverviewStore(db: PgDb): OverviewStore {
  return {
    async sites(q) {
      const sites = await db.rows<{ id: string; name: string; timezone: string }>('SELECT id, name, timezone FROM sites WHERE $1::text[] IS NULL OR id = ANY($1)', [q.sites]);
      if (!sites.length) return [];
      const dayOfZone = new Map<string, string>();
      const dayOf = (tz: string) => {
        let d = dayOfZone.get(tz);
        if (d === undefined) dayOfZone.set(tz, (d = q.today(tz)));
        return d;
      };
      const rows = await db.rows<FiguresRow>(FIGURES, [sites.map((s) => s.id), sites.map((s) => dayOf(s.timezone)), q.at]);
      const byId = new Map(rows.map((r) => [r.site_id, r]));
      return sites.map((s) => {
        const r = byId.get(s.id);
        return {
          site: s.id,
          name: s.name,
          timeZone: s.timezone,
          pending: r?.pending ?? 0,
          oldestPendingAt: r?.oldest ?? null,
          openPolls: r?.polls ?? 0,
          openSurveys: r?.surveys ?? 0,
          viewsToday: r?.views ?? 0,
          visitsToday: r?.visits ?? 0,
        };
      });
    },
  };
}
