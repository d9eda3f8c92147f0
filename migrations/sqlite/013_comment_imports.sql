-- Where an imported comment came from (ykien import comments): its source ("wxr", "disqus", "json") and the
-- id it had there. The primary key makes a rerun of the same file insert nothing new. A comment deleted by a
-- moderator takes its row with it (a later rerun would bring it back: the import says so in its report).
CREATE TABLE comment_imports (
  site_id    TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  source     TEXT NOT NULL,
  source_id  TEXT NOT NULL,
  comment_id TEXT NOT NULL UNIQUE REFERENCES comments(id) ON DELETE CASCADE,
  PRIMARY KEY (site_id, source, source_id)
);
