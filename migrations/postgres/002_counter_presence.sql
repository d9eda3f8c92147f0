-- "Đang truy cập" at a cost that does not grow with the number online, as SQLite's migration 009: each site
-- keeps running counts of its visitors by the second of their last view, moved (-1 on the old second, +1 on
-- the new one) in the transaction that moves a visitor's last_seen. Online since an instant c is the sum of
-- the seconds after c's second plus the visitors seen in the rest of c's own second (the index
-- counter_visitors_seen): exact to the millisecond. Seconds older than the online window are pruned.
CREATE TABLE counter_presence (
  site_id  TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  second   BIGINT NOT NULL,                  -- floor(last_seen / 1000) of the visitors counted here
  visitors INTEGER NOT NULL DEFAULT 0 CHECK (visitors >= 0),
  PRIMARY KEY (site_id, second)
);

-- The visitor's last_seen before the view that last moved it. The upsert that moves a visitor sets it from
-- the row it locked and returns it, so one statement learns, exactly and under its lock, whether the
-- visitor is new (NULL: just inserted), whether the view starts a visit, and which second they leave,
-- where a read beside the upsert would see only the statement's snapshot (and miss a visitor another
-- instance inserted a moment before). Meaningful only in that RETURNING: nothing else reads it.
ALTER TABLE counter_visitors ADD COLUMN previous_seen BIGINT;

-- Visitors already there (a database filled before this migration) start the counts.
INSERT INTO counter_presence (site_id, second, visitors)
SELECT site_id, last_seen / 1000, COUNT(*) FROM counter_visitors GROUP BY site_id, last_seen / 1000;
