import type { Db } from '../storage/sqlite/open.js';

/** Rows deleted per prune statement, so a large backlog never holds the write lock for long. */
const PRUNE_BATCH = 5_000;

/** Every statement is prepared once, when the app is built. */
export function countersRepo(db: Db) {
  const s = {
    pageViews: db.prepare('SELECT views FROM counter_pages WHERE site_id = ? AND page_key = ?').pluck(),
    pageExists: db.prepare('SELECT 1 FROM counter_pages WHERE site_id = ? AND page_key = ?').pluck(),
    newPages: db.prepare('SELECT pages FROM counter_new_pages WHERE site_id = ? AND day = ?').pluck(),
    addNewPage: db.prepare(
      `INSERT INTO counter_new_pages (site_id, day, pages) VALUES (?, ?, 1)
       ON CONFLICT (site_id, day) DO UPDATE SET pages = pages + 1`,
    ),
    pruneNewPages: db.prepare('DELETE FROM counter_new_pages WHERE day < ?'),
    siteVisits: db.prepare('SELECT visits FROM counter_sites WHERE site_id = ?').pluck(),
    // An index range on (site_id, last_seen): only the visitors of the last minutes are read.
    online: db.prepare('SELECT COUNT(*) FROM counter_visitors WHERE site_id = ? AND last_seen > ?').pluck(),
    days: db.prepare('SELECT day, views FROM counter_days WHERE site_id = ? AND day BETWEEN ? AND ?'),
    // Inserts, or moves counted_at forward only when the last counted view is at least `window` old;
    // `changes` is 1 exactly when this view counts.
    markPageSeen: db.prepare(
      `INSERT INTO counter_page_seen (site_id, page_key, visitor_hash, counted_at) VALUES (@site, @page, @visitor, @t)
       ON CONFLICT (site_id, page_key, visitor_hash) DO UPDATE SET counted_at = excluded.counted_at
       WHERE counter_page_seen.counted_at <= excluded.counted_at - @window`,
    ),
    lastSeen: db.prepare('SELECT last_seen FROM counter_visitors WHERE site_id = ? AND visitor_hash = ?').pluck(),
    touchVisitor: db.prepare(
      `INSERT INTO counter_visitors (site_id, visitor_hash, last_seen) VALUES (?, ?, ?)
       ON CONFLICT (site_id, visitor_hash) DO UPDATE SET last_seen = max(last_seen, excluded.last_seen)`,
    ),
    addPageView: db.prepare(
      `INSERT INTO counter_pages (site_id, page_key, views) VALUES (?, ?, 1)
       ON CONFLICT (site_id, page_key) DO UPDATE SET views = views + 1`,
    ),
    addDayView: db.prepare(
      `INSERT INTO counter_days (site_id, day, views) VALUES (?, ?, 1)
       ON CONFLICT (site_id, day) DO UPDATE SET views = views + 1`,
    ),
    addVisit: db.prepare(
      `INSERT INTO counter_sites (site_id, visits) VALUES (?, 1)
       ON CONFLICT (site_id) DO UPDATE SET visits = visits + 1`,
    ),
    setVisits: db.prepare(
      `INSERT INTO counter_sites (site_id, visits) VALUES (?, ?)
       ON CONFLICT (site_id) DO UPDATE SET visits = excluded.visits`,
    ),
    setPageViews: db.prepare(
      `INSERT INTO counter_pages (site_id, page_key, views) VALUES (?, ?, ?)
       ON CONFLICT (site_id, page_key) DO UPDATE SET views = excluded.views`,
    ),
    prunePageSeen: db.prepare(
      `DELETE FROM counter_page_seen WHERE (site_id, page_key, visitor_hash) IN
         (SELECT site_id, page_key, visitor_hash FROM counter_page_seen WHERE counted_at < ? LIMIT ${PRUNE_BATCH})`,
    ),
    pruneVisitors: db.prepare(
      `DELETE FROM counter_visitors WHERE (site_id, visitor_hash) IN
         (SELECT site_id, visitor_hash FROM counter_visitors WHERE last_seen < ? LIMIT ${PRUNE_BATCH})`,
    ),
  };

  const drain = (stmt: typeof s.prunePageSeen, before: number): number => {
    let total = 0;
    for (;;) {
      const n = stmt.run(before).changes;
      total += n;
      if (n < PRUNE_BATCH) return total;
    }
  };

  return {
    pageViews: (site: string, page: string): number => (s.pageViews.get(site, page) as number | undefined) ?? 0,
    siteVisits: (site: string): number => (s.siteVisits.get(site) as number | undefined) ?? 0,
    pageExists: (site: string, page: string): boolean => s.pageExists.get(site, page) === 1,
    /** New page keys the site gained on `day`. */
    newPages: (site: string, day: string): number => (s.newPages.get(site, day) as number | undefined) ?? 0,
    addNewPage: (site: string, day: string) => void s.addNewPage.run(site, day),
    /** Forgets the daily new-page tallies of days before `day`. */
    pruneNewPages: (day: string): number => s.pruneNewPages.run(day).changes,
    online: (site: string, since: number): number => s.online.get(site, since) as number,
    days: (site: string, from: string, to: string) => s.days.all(site, from, to) as { day: string; views: number }[],
    /** True when this view counts (first view, or the last counted one is at least `window` ms old). */
    markPageSeen: (site: string, page: string, visitor: string, t: number, window: number): boolean =>
      s.markPageSeen.run({ site, page, visitor, t, window }).changes === 1,
    lastSeen: (site: string, visitor: string): number | undefined => s.lastSeen.get(site, visitor) as number | undefined,
    touchVisitor: (site: string, visitor: string, t: number) => void s.touchVisitor.run(site, visitor, t),
    addPageView: (site: string, page: string) => void s.addPageView.run(site, page),
    addDayView: (site: string, day: string) => void s.addDayView.run(site, day),
    addVisit: (site: string) => void s.addVisit.run(site),
    setVisits: (site: string, visits: number) => void s.setVisits.run(site, visits),
    setPageViews: (site: string, page: string, views: number) => void s.setPageViews.run(site, page, views),
    prunePageSeen: (before: number) => drain(s.prunePageSeen, before),
    pruneVisitors: (before: number) => drain(s.pruneVisitors, before),
  };
}

export type CountersRepo = ReturnType<typeof countersRepo>;
