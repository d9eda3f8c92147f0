import type { CounterTotals, CountersStore, CountOutcome, Figures, PruneBefore, SiteFigures } from '../../counters/counters.store.js';
import { writeAudit } from './audit.js';
import type { PgDb } from './db.js';
import { guard } from './pool.js';

/** Rows deleted per prune statement, so a large backlog never holds locks that views wait on for long. */
const PRUNE_BATCH = 5_000;

const second = (ms: number) => Math.floor(ms / 1000);

/**
 * Visitors of $1 seen after $since (to the ms; $edge = its second): the presence seconds after $edge,
 * plus the visitors seen in the rest of $edge itself (an index range of one second's visitors).
 */
const online = (since: string, edge: string) => `(COALESCE((SELECT SUM(visitors) FROM counter_presence WHERE site_id = $1 AND second > ${edge}), 0)
  + (SELECT COUNT(*) FROM counter_visitors WHERE site_id = $1 AND last_seen > ${since} AND last_seen < (${edge} + 1) * 1000))::bigint`;

/**
 * One counted view, one statement (its own snapshot, every upsert on the latest committed row, under its
 * lock). $1 site, $2 page, $3 visitor, $4 day, $5 at, $6 second of at, $7 dedup window, $8 visit idle
 * window, $9 new pages per day (0 = no cap), $10 online since, $11 its second.
 *
 * The upserts decide, never the snapshot: the dedup mark (`counted`), the day's new-page allowance
 * (`new_page`, a conditional increment: a race may use the allowance early, never exceed it), and the
 * visitor, whose previous last_seen comes back from the row the upsert locked (migration 002). Rows are
 * locked in one order by every view (the final SELECT pulls the CTEs in the order written): new pages,
 * dedup mark, page, day, visitor, the second left, the second entered (a visitor only moves forward, so
 * old before new), site. `inTransaction` retries a deadlock anyway.
 *
 * The figures answered are the snapshot's with this view added: `views` and `visits` come from the rows
 * the upserts returned when they moved; online is the snapshot's, without this visitor as it was there,
 * plus this visitor (seen at `at` or later, so online).
 */
const COUNT_VIEW = `WITH
known AS (SELECT views FROM counter_pages WHERE site_id = $1 AND page_key = $2),
new_page AS (
  INSERT INTO counter_new_pages AS n (site_id, day, pages)
  SELECT $1, $4, 1 WHERE NOT EXISTS (SELECT FROM known)
  ON CONFLICT (site_id, day) DO UPDATE SET pages = n.pages + 1 WHERE $9::bigint = 0 OR n.pages < $9::bigint
  RETURNING 1),
allowed AS (SELECT 1 FROM known UNION ALL SELECT 1 FROM new_page),
counted AS (
  INSERT INTO counter_page_seen AS s (site_id, page_key, visitor_hash, counted_at)
  SELECT $1, $2, $3, $5::bigint FROM allowed
  ON CONFLICT (site_id, page_key, visitor_hash) DO UPDATE SET counted_at = excluded.counted_at
  WHERE s.counted_at <= excluded.counted_at - $7::bigint
  RETURNING 1),
page AS (
  INSERT INTO counter_pages AS p (site_id, page_key, views) SELECT $1, $2, 1 FROM counted
  ON CONFLICT (site_id, page_key) DO UPDATE SET views = p.views + 1
  RETURNING views),

visitor AS (
  INSERT INTO counter_visitors AS v (site_id, visitor_hash, last_seen) SELECT $1, $3, $5::bigint FROM allowed
  ON CONFLICT (site_id, visitor_hash) DO UPDATE SET last_seen = GREATEST(v.last_seen, excluded.last_seen), previous_seen = v.last_seen
  RETURNING previous_seen AS prev),
moved AS (SELECT prev FROM visitor WHERE prev IS NULL OR ($5::bigint > prev AND $6::bigint <> prev / 1000)),
left_second AS (
  -- An upsert, not an UPDATE: it sees a second another instance created after this statement's snapshot. A
  -- second already pruned comes back empty (0 adds nothing to any sum) and is pruned again.
  INSERT INTO counter_presence AS c (site_id, second, visitors) SELECT $1, prev / 1000, 0 FROM moved WHERE prev IS NOT NULL
  ON CONFLICT (site_id, second) DO UPDATE SET visitors = c.visitors - 1 WHERE c.visitors > 0
  RETURNING 1),
entered AS (
  INSERT INTO counter_presence AS c (site_id, second, visitors) SELECT $1, $6::bigint, 1 FROM moved
  ON CONFLICT (site_id, second) DO UPDATE SET visitors = c.visitors + 1
  RETURNING 1),
visit AS (
  INSERT INTO counter_sites AS t (site_id, visits) SELECT $1, 1 FROM visitor WHERE prev IS NULL OR $5::bigint - prev >= $8::bigint
  ON CONFLICT (site_id) DO UPDATE SET visits = t.visits + 1
  RETURNING visits),
-- The day's counted views and the visits started that day (migration 008), in one upsert: two upserts of one
-- row in one statement would not see each other.
day AS (
  INSERT INTO counter_days AS d (site_id, day, views, visits)
  SELECT $1, $4, (SELECT COUNT(*) FROM page), (SELECT COUNT(*) FROM visit)
  WHERE EXISTS (SELECT FROM page) OR EXISTS (SELECT FROM visit)
  ON CONFLICT (site_id, day) DO UPDATE SET views = d.views + excluded.views, visits = d.visits + excluded.visits
  RETURNING 1)
SELECT
  EXISTS (SELECT FROM allowed) AS stored,
  (SELECT views FROM page) AS counted_views,
  (SELECT COUNT(*) FROM day) AS days,
  (SELECT COUNT(*) FROM left_second) + (SELECT COUNT(*) FROM entered) AS moves,
  (SELECT visits FROM visit) AS counted_visits,
  (SELECT views FROM known) AS views_before,
  (SELECT visits FROM counter_sites WHERE site_id = $1) AS visits_before,
  ${online('$10::bigint', '$11::bigint')} AS online_before,
  COALESCE((SELECT last_seen > $10::bigint FROM counter_visitors WHERE site_id = $1 AND visitor_hash = $3), false) AS was_online`;

interface CountRow {
  stored: boolean;
  counted_views: number | null;
  counted_visits: number | null;
  views_before: number | null;
  visits_before: number | null;
  online_before: number;
  was_online: boolean;
}

const FIGURES = `SELECT COALESCE((SELECT views FROM counter_pages WHERE site_id = $1 AND page_key = $2), 0) AS views,
  COALESCE((SELECT visits FROM counter_sites WHERE site_id = $1), 0) AS "siteVisits",
  ${online('$3::bigint', '$4::bigint')} AS online`;

// One statement, one snapshot.
const STATS = `SELECT COALESCE((SELECT visits FROM counter_sites WHERE site_id = $1), 0) AS "siteVisits",
  ${online('$4::bigint', '$5::bigint')} AS online,
  COALESCE((SELECT json_agg(json_build_object('day', day, 'views', views) ORDER BY day) FROM counter_days
            WHERE site_id = $1 AND day BETWEEN $2 AND $3 AND views > 0), '[]'::json) AS days`;

/**
 * The figures before setStarting changes them, with their rows locked until it commits (the no-op
 * updates lock rows that exist; missing ones are inserted at 0, as the views that would create them
 * read). Pages in key order, then the site: the order a view locks them in.
 */
const LOCK_TOTALS = `WITH
pages AS (
  INSERT INTO counter_pages AS p (site_id, page_key, views) SELECT $1, k, 0 FROM unnest($2::text[]) AS k ORDER BY k
  ON CONFLICT (site_id, page_key) DO UPDATE SET views = p.views
  RETURNING page_key, views),
site AS (
  INSERT INTO counter_sites AS t (site_id, visits) VALUES ($1, 0)
  ON CONFLICT (site_id) DO UPDATE SET visits = t.visits
  RETURNING visits)
SELECT COALESCE((SELECT json_object_agg(page_key, views) FROM pages), '{}'::json) AS pages, (SELECT visits FROM site) AS visits`;

const SET_TOTALS = `WITH
pages AS (
  UPDATE counter_pages AS p SET views = s.views FROM unnest($2::text[], $3::bigint[]) AS s(page_key, views)
  WHERE p.site_id = $1 AND p.page_key = s.page_key
  RETURNING 1)
UPDATE counter_sites SET visits = COALESCE($4::bigint, visits) WHERE site_id = $1`;

// A row updated since the batch was picked is rechecked against the condition (and then kept).
const PRUNE = {
  pageSeen: `DELETE FROM counter_page_seen WHERE ctid = ANY (ARRAY(SELECT ctid FROM counter_page_seen WHERE counted_at < $1 LIMIT ${PRUNE_BATCH}))
    AND counted_at < $1`,
  visitors: `DELETE FROM counter_visitors WHERE ctid = ANY (ARRAY(SELECT ctid FROM counter_visitors WHERE last_seen < $1 LIMIT ${PRUNE_BATCH}))
    AND last_seen < $1`,
  presence: `DELETE FROM counter_presence WHERE ctid = ANY (ARRAY(SELECT ctid FROM counter_presence WHERE second < $1 LIMIT ${PRUNE_BATCH}))
    AND second < $1`,
};

/**
 * Counted views (presence with them) and pruning leave the change version alone: no cached answer is built
 * from the counter tables (their own reads are no-store), so a busy portal's views must not empty every
 * instance's cached polls and threads. setStarting (an admin's rare change, with its audit row) moves it.
 */
const UNVERSIONED = { unversioned: true } as const;

/**
 * The view counters on PostgreSQL, shared by every instance: a view is one statement in one transaction
 * (COUNT_VIEW), exactly once by the upserts whatever instance counts it; the figures are read in one
 * snapshot; the running counts of visitors by second (counter_presence) make "online" exact at a cost that
 * does not grow with the number online, as on SQLite (src/storage/sqlite/counters.ts).
 */
export function pgCountersStore(db: PgDb): CountersStore {
  // Prepared once per connection: the hot public reads skip parsing and planning.
  const one = async <R extends object>(name: string, text: string, values: unknown[]) =>
    guard(async () => (await db.pool.query<R & Record<string, unknown>>({ name, text, values })).rows[0]! as R);
  return {
    async countView(v, rules): Promise<CountOutcome> {
      const since = v.at - rules.onlineMs;
      // One round trip: a prepared statement that is its own transaction. Unversioned (UNVERSIONED above).
      const r = (
        await db.writeStatement<CountRow>(
          {
            name: 'counters.countView',
            text: COUNT_VIEW,
            values: [v.site, v.page, v.visitor, v.day, v.at, second(v.at), rules.dedupMs, rules.visitIdleMs, rules.newPagesPerDay, since, second(since)],
          },
          UNVERSIONED,
        )
      ).rows[0]!;
      if (!r.stored) return { outcome: 'capped' };
      return {
        outcome: 'stored',
        viewCounted: r.counted_views !== null,
        visitCounted: r.counted_visits !== null,
        figures: {
          views: r.counted_views ?? r.views_before ?? 0,
          siteVisits: r.counted_visits ?? r.visits_before ?? 0,
          online: r.online_before - (r.was_online ? 1 : 0) + 1,
        },
      };
    },

    async figures(site, page, since) {
      return one<Figures>('counters.figures', FIGURES, [site, page, since, second(since)]);
    },

    async stats(site, fromDay, toDay, since): Promise<SiteFigures> {
      return one<SiteFigures>('counters.stats', STATS, [site, fromDay, toDay, since, second(since)]);
    },

    setStarting: (site, f, audit) =>
      db.write(async (c) => {
        const pages = Object.keys(f.pages);
        const locked = (await c.query<{ pages: Record<string, number>; visits: number }>(LOCK_TOTALS, [site, pages])).rows[0]!;
        const before: CounterTotals = { siteVisits: locked.visits, pages: Object.fromEntries(pages.map((p) => [p, locked.pages[p] ?? 0])) };
        const record = audit(before);
        await c.query(SET_TOTALS, [site, pages, pages.map((p) => f.pages[p]), f.siteVisits ?? null]);
        await writeAudit(c, record);
        // The rows stay locked until the commit: these are the figures after.
        return { siteVisits: f.siteVisits ?? before.siteVisits, pages: { ...f.pages } };
      }),

    async prune(before: PruneBefore) {
      await db.write((c) => c.query('DELETE FROM counter_new_pages WHERE day < $1', [before.newPagesDay]), UNVERSIONED);
      const batch = async (sql: string, param: number) => {
        let total = 0;
        for (;;) {
          // Each batch its own short transaction: views wait at most one batch for a row it holds.
          const n = (await db.write((c) => c.query(sql, [param]), UNVERSIONED)).rowCount ?? 0;
          total += n;
          if (n < PRUNE_BATCH) return total;
        }
      };
      const pageSeen = await batch(PRUNE.pageSeen, before.countedViews);
      const visitors = await batch(PRUNE.visitors, before.visitors);
      await batch(PRUNE.presence, second(before.online));
      return { pageSeen, visitors };
    },
  };
}
