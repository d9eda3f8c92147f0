import type { AuditRecord } from '../../audit/audit.store.js';
import type { CounterTotals, CountersStore, CountOutcome, CountRules, Figures, PruneBefore, StartingFigures, ViewToCount } from '../../counters/counters.store.js';
import { auditWriter } from './audit.js';
import type { Db } from './open.js';

/** Rows deleted per prune statement, so a large backlog never holds the write lock for long. */
const PRUNE_BATCH = 5_000;

const second = (ms: number) => Math.floor(ms / 1000);

/**
 * Visitors of @site seen after @since (@edge = its second): the presence seconds after @edge, plus
 * the visitors seen in the rest of @edge itself.
 */
const ONLINE = `(COALESCE((SELECT SUM(visitors) FROM counter_presence WHERE site_id = @site AND second > @edge), 0)
  + (SELECT COUNT(*) FROM counter_visitors WHERE site_id = @site AND last_seen > @since AND last_seen < (@edge + 1) * 1000))`;

/**
 * Where the counters report the rows their views and pruning changed, so that storage's version() can leave
 * them out (src/storage/sqlite/index.ts): no cached answer is built from the counter tables (their reads are
 * no-store), so a counted view must not empty the cached polls and threads. setStarting (an admin's rare
 * change, with its audit row) is not reported: it moves the version.
 */
export interface UnversionedChanges {
  add(rows: number): void;
}

/**
 * The view counters on SQLite. A view is one IMMEDIATE transaction: the dedup upsert decides whether
 * it counts, the page, day and site rows are bumped, the visitor's last_seen moves, and with it the
 * running count of the site's visitors by second of last view (counter_presence, migration 009).
 * "Online since c" = the presence seconds after c's second (a primary-key range of at most ~300 rows)
 * + the visitors seen in the rest of c's own second (an index range of one second's visitors): the
 * exact COUNT of visitors seen after c, without reading the thousands of them.
 */
export function sqliteCountersStore(db: Db, unversioned: UnversionedChanges = { add() {} }): CountersStore {
  const writeAudit = auditWriter(db);
  const s = {
    figures: db.prepare(
      `SELECT COALESCE((SELECT views FROM counter_pages WHERE site_id = @site AND page_key = @page), 0) AS views,
              COALESCE((SELECT visits FROM counter_sites WHERE site_id = @site), 0) AS siteVisits, ${ONLINE} AS online`,
    ),
    site: db.prepare(`SELECT COALESCE((SELECT visits FROM counter_sites WHERE site_id = @site), 0) AS siteVisits, ${ONLINE} AS online`),
    pageViews: db.prepare('SELECT views FROM counter_pages WHERE site_id = ? AND page_key = ?').pluck(),
    siteVisits: db.prepare('SELECT visits FROM counter_sites WHERE site_id = ?').pluck(),
    days: db.prepare('SELECT day, views FROM counter_days WHERE site_id = ? AND day BETWEEN ? AND ? AND views > 0 ORDER BY day'),
    pageExists: db.prepare('SELECT 1 FROM counter_pages WHERE site_id = ? AND page_key = ?').pluck(),
    newPages: db.prepare('SELECT pages FROM counter_new_pages WHERE site_id = ? AND day = ?').pluck(),
    addNewPage: db.prepare(
      `INSERT INTO counter_new_pages (site_id, day, pages) VALUES (?, ?, 1)
       ON CONFLICT (site_id, day) DO UPDATE SET pages = pages + 1`,
    ),
    // Inserts, or moves counted_at forward only when the last counted view is at least `window` old;
    // `changes` is 1 exactly when this view counts.
    markPageSeen: db.prepare(
      `INSERT INTO counter_page_seen (site_id, page_key, visitor_hash, counted_at) VALUES (@site, @page, @visitor, @at)
       ON CONFLICT (site_id, page_key, visitor_hash) DO UPDATE SET counted_at = excluded.counted_at
       WHERE counter_page_seen.counted_at <= excluded.counted_at - @window`,
    ),
    addPageView: db.prepare(
      `INSERT INTO counter_pages (site_id, page_key, views) VALUES (?, ?, 1)
       ON CONFLICT (site_id, page_key) DO UPDATE SET views = views + 1`,
    ),
    // The day's counted views and the visits started that day (migration 015), in one upsert.
    addDay: db.prepare(
      `INSERT INTO counter_days (site_id, day, views, visits) VALUES (?, ?, ?, ?)
       ON CONFLICT (site_id, day) DO UPDATE SET views = views + excluded.views, visits = visits + excluded.visits`,
    ),
    addVisit: db.prepare(
      `INSERT INTO counter_sites (site_id, visits) VALUES (?, 1)
       ON CONFLICT (site_id) DO UPDATE SET visits = visits + 1`,
    ),
    lastSeen: db.prepare('SELECT last_seen FROM counter_visitors WHERE site_id = ? AND visitor_hash = ?').pluck(),
    touchVisitor: db.prepare(
      `INSERT INTO counter_visitors (site_id, visitor_hash, last_seen) VALUES (?, ?, ?)
       ON CONFLICT (site_id, visitor_hash) DO UPDATE SET last_seen = max(last_seen, excluded.last_seen)`,
    ),
    enterSecond: db.prepare(
      `INSERT INTO counter_presence (site_id, second, visitors) VALUES (?, ?, 1)
       ON CONFLICT (site_id, second) DO UPDATE SET visitors = visitors + 1`,
    ),
    // An UPDATE, never an insert: a second already pruned stays gone (it is older than any "online" asked).
    leaveSecond: db.prepare('UPDATE counter_presence SET visitors = visitors - 1 WHERE site_id = ? AND second = ? AND visitors > 0'),
    setVisits: db.prepare(
      `INSERT INTO counter_sites (site_id, visits) VALUES (?, ?)
       ON CONFLICT (site_id) DO UPDATE SET visits = excluded.visits`,
    ),
    setPageViews: db.prepare(
      `INSERT INTO counter_pages (site_id, page_key, views) VALUES (?, ?, ?)
       ON CONFLICT (site_id, page_key) DO UPDATE SET views = excluded.views`,
    ),
    pruneNewPages: db.prepare('DELETE FROM counter_new_pages WHERE day < ?'),
    prunePageSeen: db.prepare(
      `DELETE FROM counter_page_seen WHERE (site_id, page_key, visitor_hash) IN
         (SELECT site_id, page_key, visitor_hash FROM counter_page_seen WHERE counted_at < ? LIMIT ${PRUNE_BATCH})`,
    ),
    pruneVisitors: db.prepare(
      `DELETE FROM counter_visitors WHERE (site_id, visitor_hash) IN
         (SELECT site_id, visitor_hash FROM counter_visitors WHERE last_seen < ? LIMIT ${PRUNE_BATCH})`,
    ),
    prunePresence: db.prepare(
      `DELETE FROM counter_presence WHERE (site_id, second) IN
         (SELECT site_id, second FROM counter_presence WHERE second < ? LIMIT ${PRUNE_BATCH})`,
    ),
  };

  const figures = (site: string, page: string, since: number): Figures =>
    s.figures.get({ site, page, since, edge: second(since) }) as Figures;
  const pageViews = (site: string, page: string) => (s.pageViews.get(site, page) as number | undefined) ?? 0;
  const siteVisits = (site: string) => (s.siteVisits.get(site) as number | undefined) ?? 0;

  /**
   * Rows changed by the view being counted: the sum of each statement's `changes`, which is what it adds to
   * total_changes() (no trigger writes to these tables). Free, unlike reading total_changes() around it.
   */
  let changed = 0;
  const run = (stmt: { run(...args: unknown[]): { changes: number } }, ...args: unknown[]) => {
    const n = stmt.run(...args).changes;
    changed += n;
    return n;
  };

  /** Marks the visitor seen at `at`; true when this starts a visit. Moves them between presence seconds. */
  function touch(site: string, visitor: string, at: number, visitIdleMs: number): boolean {
    const last = s.lastSeen.get(site, visitor) as number | undefined;
    run(s.touchVisitor, site, visitor, at);
    if (last === undefined) run(s.enterSecond, site, second(at));
    else if (at > last && second(at) !== second(last)) {
      run(s.leaveSecond, site, second(last));
      run(s.enterSecond, site, second(at));
    }
    return last === undefined || at - last >= visitIdleMs;
  }

  const countView = db.transaction((v: ViewToCount, rules: CountRules): CountOutcome => {
    changed = 0;
    if (s.pageExists.get(v.site, v.page) !== 1) {
      if (rules.newPagesPerDay > 0 && ((s.newPages.get(v.site, v.day) as number | undefined) ?? 0) >= rules.newPagesPerDay) return { outcome: 'capped' };
      run(s.addNewPage, v.site, v.day);
    }
    const viewCounted = run(s.markPageSeen, { site: v.site, page: v.page, visitor: v.visitor, at: v.at, window: rules.dedupMs }) === 1;
    if (viewCounted) run(s.addPageView, v.site, v.page);
    const visitCounted = touch(v.site, v.visitor, v.at, rules.visitIdleMs);
    if (visitCounted) run(s.addVisit, v.site);
    if (viewCounted || visitCounted) run(s.addDay, v.site, v.day, viewCounted ? 1 : 0, visitCounted ? 1 : 0);
    // Read in the same transaction: exactly the figures this view produced.
    return { outcome: 'stored', viewCounted, visitCounted, figures: figures(v.site, v.page, v.at - rules.onlineMs) };
  });

  // Several statements, one snapshot.
  const stats = db.transaction((site: string, fromDay: string, toDay: string, since: number) => ({
    ...(s.site.get({ site, since, edge: second(since) }) as { siteVisits: number; online: number }),
    days: s.days.all(site, fromDay, toDay) as { day: string; views: number }[],
  }));

  const totals = (site: string, pages: readonly string[]): CounterTotals => ({
    siteVisits: siteVisits(site),
    pages: Object.fromEntries(pages.map((p) => [p, pageViews(site, p)])),
  });

  const setStarting = db.transaction((site: string, f: StartingFigures, audit: (before: CounterTotals) => AuditRecord): CounterTotals => {
    const pages = Object.keys(f.pages);
    const record = audit(totals(site, pages));
    if (f.siteVisits !== undefined) s.setVisits.run(site, f.siteVisits);
    for (const [p, views] of Object.entries(f.pages)) s.setPageViews.run(site, p, views);
    writeAudit(record);
    return totals(site, pages);
  });

  return {
    async countView(v, rules) {
      const outcome = countView.immediate(v, rules);
      // Committed (a rollback throws before this: its rows then move the version, which costs a miss, never a stale answer).
      unversioned.add(changed);
      return outcome;
    },
    figures: async (site, page, since) => figures(site, page, since),
    stats: async (site, fromDay, toDay, since) => stats(site, fromDay, toDay, since),
    setStarting: async (site, f, audit) => setStarting.immediate(site, f, audit),
    async prune(before: PruneBefore) {
      // Each statement commits on its own: its rows are reported at once.
      const pruning = (stmt: { run(...args: unknown[]): { changes: number } }, arg: number | string) => {
        const n = stmt.run(arg).changes;
        unversioned.add(n);
        return n;
      };
      pruning(s.pruneNewPages, before.newPagesDay);
      const batches = [
        () => pruning(s.prunePageSeen, before.countedViews),
        () => pruning(s.pruneVisitors, before.visitors),
        () => pruning(s.prunePresence, second(before.online)),
      ];
      const pruned = batches.map((batch) => batch());
      // A backlog takes more batches: views waiting in this process go between them.
      for (const [i, batch] of batches.entries()) {
        let n = pruned[i]!;
        while (n === PRUNE_BATCH) {
          await new Promise((resolve) => setImmediate(resolve));
          n = batch();
          pruned[i] = pruned[i]! + n;
        }
      }
      return { pageSeen: pruned[0]!, visitors: pruned[1]! };
    },
  };
}
