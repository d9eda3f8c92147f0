-- View counters: per-page views, per-site visits, views per site per day, and the small
-- dedup/presence tables behind them. Reads only touch the counter rows (and, for "online",
-- an index range of visitors seen in the last minutes); raw rows are pruned every few minutes.
-- Visitor ids are stored only as salted HMACs. Times are Unix epoch milliseconds (UTC).

-- "Lượt xem" per article: one row per (site, page), incremented per counted view.
CREATE TABLE counter_pages (
  site_id  TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  page_key TEXT NOT NULL,
  views    INTEGER NOT NULL DEFAULT 0 CHECK (views >= 0),
  PRIMARY KEY (site_id, page_key)
) WITHOUT ROWID;

-- "Tổng số lượt truy cập" per site.
CREATE TABLE counter_sites (
  site_id TEXT PRIMARY KEY REFERENCES sites(id) ON DELETE CASCADE,
  visits  INTEGER NOT NULL DEFAULT 0 CHECK (visits >= 0)
) WITHOUT ROWID;

-- Counted views per calendar day in the site's time zone (kept: one small row per site per day).
CREATE TABLE counter_days (
  site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  day     TEXT NOT NULL,                  -- YYYY-MM-DD in the site's time zone when the view was counted
  views   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site_id, day)
) WITHOUT ROWID;

-- Dedup: when a visitor's view of a page was last counted. Rows older than the window are pruned.
CREATE TABLE counter_page_seen (
  site_id      TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  page_key     TEXT NOT NULL,
  visitor_hash TEXT NOT NULL,
  counted_at   INTEGER NOT NULL,
  PRIMARY KEY (site_id, page_key, visitor_hash)
) WITHOUT ROWID;
CREATE INDEX counter_page_seen_at ON counter_page_seen(counted_at);

-- Visits and presence: when each visitor was last seen on a site. A view after 30 minutes
-- of inactivity starts a new visit; "online" counts the rows seen in the last 5 minutes.
CREATE TABLE counter_visitors (
  site_id      TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  visitor_hash TEXT NOT NULL,
  last_seen    INTEGER NOT NULL,
  PRIMARY KEY (site_id, visitor_hash)
) WITHOUT ROWID;
CREATE INDEX counter_visitors_seen ON counter_visitors(site_id, last_seen);
CREATE INDEX counter_visitors_prune ON counter_visitors(last_seen);
