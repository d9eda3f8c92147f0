-- Abuse resistance (issue 10): per-site blocked words for comments, and a daily cap on new counter pages.

-- Blocked words: a JSON array of normalised entries (NFKC, lower case, single spaces), and where
-- a comment that contains one goes.
ALTER TABLE sites ADD COLUMN blocked_words TEXT NOT NULL DEFAULT '[]';
ALTER TABLE sites ADD COLUMN blocked_words_action TEXT NOT NULL DEFAULT 'pending'
  CHECK (blocked_words_action IN ('spam', 'pending'));

-- New page keys each site gained per calendar day (site time zone), to cap them
-- (COUNTER_NEW_PAGES_PER_DAY): random page keys from a script must not leave rows forever.
-- Rows older than a few days are pruned with the other counter rows.
CREATE TABLE counter_new_pages (
  site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  day     TEXT NOT NULL,                  -- YYYY-MM-DD in the site's time zone
  pages   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site_id, day)
) WITHOUT ROWID;
