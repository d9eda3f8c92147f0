-- The whole schema for PostgreSQL, as SQLite's migrations 001-008 left it (PostgreSQL starts here with its own
-- numbering). Times are Unix epoch milliseconds (UTC) in BIGINT, as on SQLite; JSON lists are JSONB.

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE sites (
  id                   TEXT PRIMARY KEY,
  name                 TEXT NOT NULL,
  origins              JSONB NOT NULL DEFAULT '[]',     -- allowed origins for CORS
  timezone             TEXT NOT NULL DEFAULT 'Asia/Ho_Chi_Minh',
  premoderation        BOOLEAN NOT NULL DEFAULT TRUE,
  blocked_words        JSONB NOT NULL DEFAULT '[]',
  blocked_words_action TEXT NOT NULL DEFAULT 'pending' CHECK (blocked_words_action IN ('spam', 'pending')),
  created_at           BIGINT NOT NULL,
  updated_at           BIGINT NOT NULL
);

CREATE TABLE api_keys (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  role         TEXT NOT NULL CHECK (role IN ('admin', 'moderator')),
  site_id      TEXT REFERENCES sites(id) ON DELETE CASCADE,
  key_hash     TEXT NOT NULL UNIQUE,                    -- SHA-256 of the key; the key itself is never stored
  key_prefix   TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  revoked_at   BIGINT,
  last_used_at BIGINT
);

CREATE TABLE polls (
  id                 TEXT PRIMARY KEY,
  site_id            TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  question           TEXT NOT NULL,
  max_choices        INTEGER NOT NULL CHECK (max_choices >= 1),
  opens_at           BIGINT,
  closes_at          BIGINT,
  closed_at          BIGINT,
  results_visibility TEXT NOT NULL CHECK (results_visibility IN ('always', 'after_vote', 'after_close')),
  total_choices      BIGINT NOT NULL DEFAULT 0,
  total_voters       BIGINT NOT NULL DEFAULT 0,
  created_at         BIGINT NOT NULL,
  updated_at         BIGINT NOT NULL
);
CREATE INDEX polls_site ON polls(site_id, created_at);

CREATE TABLE poll_options (
  id       TEXT PRIMARY KEY,
  poll_id  TEXT NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  label    TEXT NOT NULL,
  votes    BIGINT NOT NULL DEFAULT 0,
  -- Deferred, so a reordering UPDATE may pass through a duplicate position within its transaction.
  UNIQUE (poll_id, position) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX poll_options_poll ON poll_options(poll_id, position);

CREATE TABLE ballots (
  id         BIGSERIAL PRIMARY KEY,
  poll_id    TEXT NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
  voter_hash TEXT NOT NULL,
  ip_hash    TEXT,
  user_agent TEXT,
  created_at BIGINT NOT NULL,
  UNIQUE (poll_id, voter_hash)                          -- one vote per voter, across every instance
);
CREATE INDEX ballots_poll_ip ON ballots(poll_id, ip_hash, created_at);
CREATE INDEX ballots_poll_time ON ballots(poll_id, created_at, id);
CREATE INDEX ballots_created ON ballots(created_at);

CREATE TABLE ballot_choices (
  ballot_id BIGINT NOT NULL REFERENCES ballots(id) ON DELETE CASCADE,
  option_id TEXT NOT NULL REFERENCES poll_options(id) ON DELETE CASCADE,
  PRIMARY KEY (ballot_id, option_id)
);
CREATE INDEX ballot_choices_option ON ballot_choices(option_id);

CREATE TABLE audit_log (
  id          BIGSERIAL PRIMARY KEY,
  at          BIGINT NOT NULL,
  actor       TEXT NOT NULL,
  actor_id    TEXT,
  action      TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id   TEXT,
  site_id     TEXT,
  detail      JSONB
);
CREATE INDEX audit_log_site ON audit_log(site_id, id);
CREATE INDEX audit_log_at ON audit_log(at);

CREATE TABLE captchas (
  id         TEXT PRIMARY KEY,
  site_id    TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  answer     TEXT NOT NULL,
  mode       TEXT NOT NULL DEFAULT 'image' CHECK (mode IN ('image', 'accessible')),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX captchas_expires ON captchas(expires_at);

CREATE TABLE pow_used (
  challenge  TEXT PRIMARY KEY,
  expires_at BIGINT NOT NULL
);
CREATE INDEX pow_used_expires ON pow_used(expires_at);

CREATE TABLE comments (
  id           TEXT PRIMARY KEY,
  site_id      TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  thread_key   TEXT NOT NULL,
  parent_id    TEXT REFERENCES comments(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  address      TEXT,
  email        TEXT,
  content      TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'spam')),
  spam_reason  TEXT,
  ip_hash      TEXT,
  user_agent   TEXT,
  repeat_key   TEXT,
  created_at   BIGINT NOT NULL,
  updated_at   BIGINT NOT NULL,
  moderated_at BIGINT,
  moderated_by TEXT
);
CREATE INDEX comments_thread ON comments(site_id, thread_key, status, parent_id, created_at, id);
CREATE INDEX comments_parent ON comments(parent_id, status, created_at, id);
CREATE INDEX comments_site_status ON comments(site_id, status, created_at, id);
CREATE INDEX comments_status ON comments(status, created_at, id);
CREATE INDEX comments_site_time ON comments(site_id, created_at, id);
CREATE INDEX comments_email ON comments(email, site_id) WHERE email IS NOT NULL;
CREATE INDEX comments_created ON comments(created_at);
CREATE INDEX comments_repeat ON comments(site_id, thread_key, repeat_key, created_at) WHERE repeat_key IS NOT NULL;

CREATE TABLE comment_threads (
  site_id    TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  thread_key TEXT NOT NULL,
  approved   BIGINT NOT NULL DEFAULT 0 CHECK (approved >= 0),
  PRIMARY KEY (site_id, thread_key)
);

CREATE TABLE comment_idempotency (
  site_id     TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  key         TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  comment_id  TEXT NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
  response    TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  PRIMARY KEY (site_id, key)
);
CREATE INDEX comment_idempotency_created ON comment_idempotency(created_at);
CREATE INDEX comment_idempotency_comment ON comment_idempotency(comment_id);

CREATE TABLE site_webhooks (
  site_id    TEXT PRIMARY KEY REFERENCES sites(id) ON DELETE CASCADE,
  url        TEXT NOT NULL,
  secret     TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE counter_pages (
  site_id  TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  page_key TEXT NOT NULL,
  views    BIGINT NOT NULL DEFAULT 0 CHECK (views >= 0),
  PRIMARY KEY (site_id, page_key)
);

CREATE TABLE counter_sites (
  site_id TEXT PRIMARY KEY REFERENCES sites(id) ON DELETE CASCADE,
  visits  BIGINT NOT NULL DEFAULT 0 CHECK (visits >= 0)
);

CREATE TABLE counter_days (
  site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  day     TEXT NOT NULL,
  views   BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (site_id, day)
);

CREATE TABLE counter_page_seen (
  site_id      TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  page_key     TEXT NOT NULL,
  visitor_hash TEXT NOT NULL,
  counted_at   BIGINT NOT NULL,
  PRIMARY KEY (site_id, page_key, visitor_hash)
);
CREATE INDEX counter_page_seen_at ON counter_page_seen(counted_at);

CREATE TABLE counter_visitors (
  site_id      TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  visitor_hash TEXT NOT NULL,
  last_seen    BIGINT NOT NULL,
  PRIMARY KEY (site_id, visitor_hash)
);
CREATE INDEX counter_visitors_seen ON counter_visitors(site_id, last_seen);
CREATE INDEX counter_visitors_prune ON counter_visitors(last_seen);

CREATE TABLE counter_new_pages (
  site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  day     TEXT NOT NULL,
  pages   BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (site_id, day)
);

-- Per-minute request counts shared by every instance (the rate limits: a reader gets the same quota
-- whichever instance answers). Rows older than their window are pruned.
CREATE TABLE rate_limits (
  key        TEXT NOT NULL,
  window_end BIGINT NOT NULL,
  hits       INTEGER NOT NULL,
  PRIMARY KEY (key)
);
CREATE INDEX rate_limits_end ON rate_limits(window_end);

-- The change version: every write transaction takes the next value after it commits, and a cached answer
-- is served only while the value it was built under is still the last one (src/storage/postgres/changes.ts).
CREATE SEQUENCE ykien_changes;

-- When each background job last ran, whichever instance ran it: every instance ticks, one works.
CREATE TABLE jobs (
  name     TEXT PRIMARY KEY,
  last_run BIGINT NOT NULL
);
