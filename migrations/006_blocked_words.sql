-- Per-site blocked words for comments (issue 10 §6): a JSON array of normalised entries (NFKC,
-- lower case, single spaces), and where a comment that contains one goes.
ALTER TABLE sites ADD COLUMN blocked_words TEXT NOT NULL DEFAULT '[]';
ALTER TABLE sites ADD COLUMN blocked_words_action TEXT NOT NULL DEFAULT 'pending'
  CHECK (blocked_words_action IN ('spam', 'pending'));
