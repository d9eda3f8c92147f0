-- Reader comments: captcha challenges, comments with moderation status, per-thread
-- approved counters, per-site webhooks. Times are Unix epoch milliseconds (UTC).

-- One row per captcha challenge; deleted when used (right or wrong) or expired.
CREATE TABLE captchas (
  id         TEXT PRIMARY KEY,
  site_id    TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  answer     TEXT NOT NULL,                    -- lower case; compared case-insensitively
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX captchas_expires ON captchas(expires_at);

CREATE TABLE comments (
  id           TEXT PRIMARY KEY,
  site_id      TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  thread_key   TEXT NOT NULL,
  parent_id    TEXT REFERENCES comments(id) ON DELETE CASCADE,  -- replies are one level deep
  name         TEXT NOT NULL,
  address      TEXT,
  email        TEXT,                           -- lower case; private, never in public responses
  content      TEXT NOT NULL,                  -- plain text, NFC
  status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'spam')),
  spam_reason  TEXT,                           -- why the service filed it under spam (e.g. "links")
  ip_hash      TEXT,                           -- salted hash of the IP; erased after RETENTION_DAYS
  user_agent   TEXT,                           -- erased after RETENTION_DAYS
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  moderated_at INTEGER,
  moderated_by TEXT                            -- key name of the last moderator
);
-- Public thread page: approved top-level comments of a thread, oldest first.
CREATE INDEX comments_thread ON comments(site_id, thread_key, status, parent_id, created_at, id);
-- Replies of a page of comments.
CREATE INDEX comments_parent ON comments(parent_id, status, created_at, id);
-- Moderation queues, newest first, per site or across sites.
CREATE INDEX comments_site_status ON comments(site_id, status, created_at, id);
CREATE INDEX comments_status ON comments(status, created_at, id);
CREATE INDEX comments_site_time ON comments(site_id, created_at, id);
-- Data-deletion requests by e-mail.
CREATE INDEX comments_email ON comments(email, site_id) WHERE email IS NOT NULL;
-- Retention job: old rows that still carry an IP hash or user agent.
CREATE INDEX comments_created ON comments(created_at);

-- Approved, visible comments per thread (replies count when their parent is approved),
-- kept in the same transaction as every status change so reads never scan.
CREATE TABLE comment_threads (
  site_id    TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  thread_key TEXT NOT NULL,
  approved   INTEGER NOT NULL DEFAULT 0 CHECK (approved >= 0),
  PRIMARY KEY (site_id, thread_key)
) WITHOUT ROWID;

-- Optional webhook per site, called when a comment waits for moderation.
CREATE TABLE site_webhooks (
  site_id    TEXT PRIMARY KEY REFERENCES sites(id) ON DELETE CASCADE,
  url        TEXT NOT NULL,
  secret     TEXT NOT NULL,                    -- HMAC-SHA256 key; never returned by the API
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
