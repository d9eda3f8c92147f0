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

-- Votes a poll brought from an old system (ykien import poll-results, PUT /v1/admin/polls/:id/starting-figures),
-- per option: shown added to the counted ballots, kept apart from them. `votes` stays the count of
-- ballot_choices rows; no ballot is ever made up for these.
ALTER TABLE poll_options ADD COLUMN starting_votes INTEGER NOT NULL DEFAULT 0 CHECK (starting_votes >= 0);
