-- "Đang truy cập" at a cost that does not grow with the number online (issue 12): it was a COUNT(*)
-- over every visitor seen in the last five minutes, answered by every page view. Now each site keeps
-- running counts of its visitors by the second of their last view, updated in the transaction that
-- moves a visitor's last_seen (-1 on the old second, +1 on the new one). Online since an instant c is
-- then the sum of the seconds after c's second (at most 300 rows) plus the visitors seen in the rest
-- of c's own second: exact to the millisecond. Seconds older than the online window are pruned.
CREATE TABLE counter_presence (
  site_id  TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  second   INTEGER NOT NULL,              -- floor(last_seen / 1000) of the visitors counted here
  visitors INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site_id, second)
) WITHOUT ROWID;

-- The visitors already there when this migration runs (their last 30 minutes) start the counts.
INSERT INTO counter_presence (site_id, second, visitors)
SELECT site_id, last_seen / 1000, COUNT(*) FROM counter_visitors GROUP BY site_id, last_seen / 1000;
