import type { OverviewQuery, OverviewStore, SiteFiguresRow } from '../../overview/overview.store.js';
import type { Db } from './open.js';

/** "Open at @at" as statusOf (src/ballots/status.ts) says it, for polls and surveys alike. */
const OPEN = '(closed_at IS NULL AND (closes_at IS NULL OR closes_at > @at) AND (opens_at IS NULL OR opens_at <= @at))';
const IN_SCOPE = '(@all = 1 OR site_id IN (SELECT value FROM json_each(@sites)))';

/** The overview on SQLite: five grouped statements in one read transaction (one snapshot), whatever the number of sites. */
export function sqliteOverviewStore(db: Db): OverviewStore {
  const s = {
    sites: db.prepare(`SELECT id, name, timezone FROM sites WHERE (@all = 1 OR id IN (SELECT value FROM json_each(@sites)))`),
    // comments_site_status (site_id, status, created_at) answers it from the index.
    pending: db.prepare(`SELECT site_id, COUNT(*) AS n, MIN(created_at) AS oldest FROM comments WHERE status = 'pending' AND ${IN_SCOPE} GROUP BY site_id`),
    polls: db.prepare(`SELECT site_id, COUNT(*) AS n FROM polls WHERE ${OPEN} AND ${IN_SCOPE} GROUP BY site_id`),
    surveys: db.prepare(`SELECT site_id, COUNT(*) AS n FROM surveys WHERE ${OPEN} AND ${IN_SCOPE} GROUP BY site_id`),
    // Each site's own day, by primary key: one lookup per (site, day) pair handed in.
    days: db.prepare(
      `SELECT d.site_id, d.views, d.visits FROM json_each(@pairs) AS p
       JOIN counter_days AS d ON d.site_id = json_extract(p.value, '$[0]') AND d.day = json_extract(p.value, '$[1]')`,
    ),
  };

  const read = db.transaction((q: OverviewQuery): SiteFiguresRow[] => {
    const scope = { all: q.sites === null ? 1 : 0, sites: JSON.stringify(q.sites ?? []) };
    const sites = s.sites.all(scope) as { id: string; name: string; timezone: string }[];
    const dayOfZone = new Map<string, string>();
    const dayOf = (tz: string) => {
      let d = dayOfZone.get(tz);
      if (d === undefined) dayOfZone.set(tz, (d = q.today(tz)));
      return d;
    };
    const pairs = JSON.stringify(sites.map((x) => [x.id, dayOf(x.timezone)]));
    const pending = new Map((s.pending.all(scope) as { site_id: string; n: number; oldest: number }[]).map((r) => [r.site_id, r]));
    const count = (stmt: typeof s.polls) => new Map((stmt.all({ ...scope, at: q.at }) as { site_id: string; n: number }[]).map((r) => [r.site_id, r.n]));
    const polls = count(s.polls);
    const surveys = count(s.surveys);
    const days = new Map((s.days.all({ pairs }) as { site_id: string; views: number; visits: number }[]).map((r) => [r.site_id, r]));
    return sites.map((x) => ({
      site: x.id,
      name: x.name,
      timeZone: x.timezone,
      pending: pending.get(x.id)?.n ?? 0,
      oldestPendingAt: pending.get(x.id)?.oldest ?? null,
      openPolls: polls.get(x.id) ?? 0,
      openSurveys: surveys.get(x.id) ?? 0,
      viewsToday: days.get(x.id)?.views ?? 0,
      visitsToday: days.get(x.id)?.visits ?? 0,
    }));
  });

  return { sites: async (q) => read(q) };
}
