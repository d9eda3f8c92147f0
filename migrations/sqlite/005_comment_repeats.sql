-- Comments sent twice: an idempotency key per submission, and a fingerprint per comment.
-- Times are Unix epoch milliseconds (UTC).

-- What the first accepted post with an Idempotency-Key answered, for 24 hours: a retry with
-- the same key gets the same answer and makes no second row. The primary key is what stops two
-- requests with one key from both storing a comment (not a look-up before the write). A row
-- goes with its comment (a deleted or erased comment leaves no copy of its text here).
CREATE TABLE comment_idempotency (
  site_id     TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  key         TEXT NOT NULL,
  fingerprint TEXT NOT NULL,                  -- SHA-256 of thread, parent and fields; a key reused for other content is refused
  comment_id  TEXT NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
  response    TEXT NOT NULL,                  -- the JSON body the first post answered
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (site_id, key)
) WITHOUT ROWID;
CREATE INDEX comment_idempotency_created ON comment_idempotency(created_at);
CREATE INDEX comment_idempotency_comment ON comment_idempotency(comment_id);

-- SHA-256 of the writer (name, e-mail), the parent and the content, each folded (case, spaces):
-- the same comment from the same writer in the same place within 24 hours is refused
-- (duplicate_comment). NULL on rows written before this migration.
ALTER TABLE comments ADD COLUMN repeat_key TEXT;
CREATE INDEX comments_repeat ON comments(site_id, thread_key, repeat_key, created_at) WHERE repeat_key IS NOT NULL;
