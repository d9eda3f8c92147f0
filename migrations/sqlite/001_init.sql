-- Core schema: sites, API keys, polls with counters, ballots, audit log, settings.
-- Times are Unix epoch milliseconds (UTC); the API shows them as ISO 8601.

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE sites (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  origins       TEXT NOT NULL DEFAULT '[]',   -- JSON array of allowed origins for CORS
  timezone      TEXT NOT NULL DEFAULT 'Asia/Ho_Chi_Minh',
  premoderation INTEGER NOT NULL DEFAULT 1 CHECK (premoderation IN (0, 1)),
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);

CREATE TABLE api_keys (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  role         TEXT NOT NULL CHECK (role IN ('admin', 'moderator')),
  site_id      TEXT REFERENCES sites(id) ON DELETE CASCADE,
  key_hash     TEXT NOT NULL UNIQUE,             -- SHA-256 of the key; the key itself is never stored
  key_prefix   TEXT NOT NULL,                    -- first characters, to recognise a key in listings
  created_at   INTEGER NOT NULL,
  revoked_at   INTEGER,
  last_used_at INTEGER
);

CREATE TABLE polls (
  id                 TEXT PRIMARY KEY,
  site_id            TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  question           TEXT NOT NULL,
  max_choices        INTEGER NOT NULL CHECK (max_choices >= 1),
  opens_at           INTEGER,
  closes_at          INTEGER,
  closed_at          INTEGER,                    -- set by POST /close; wins over closes_at
  results_visibility TEXT NOT NULL CHECK (results_visibility IN ('always', 'after_vote', 'after_close')),
  total_choices      INTEGER NOT NULL DEFAULT 0, -- sum of poll_options.votes, kept in the vote transaction
  total_voters       INTEGER NOT NULL DEFAULT 0, -- number of ballots, kept in the vote transaction
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
);
CREATE INDEX polls_site ON polls(site_id, created_at);

CREATE TABLE poll_options (
  id       TEXT PRIMARY KEY,
  poll_id  TEXT NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  label    TEXT NOT NULL,
  votes    INTEGER NOT NULL DEFAULT 0,
  UNIQUE (poll_id, position)
);

CREATE TABLE ballots (
  id         INTEGER PRIMARY KEY,
  poll_id    TEXT NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
  voter_hash TEXT NOT NULL,                      -- salted hash of the widget's voter id
  ip_hash    TEXT,                               -- salted hash of the IP; erased after RETENTION_DAYS
  user_agent TEXT,                               -- erased after RETENTION_DAYS
  created_at INTEGER NOT NULL,
  UNIQUE (poll_id, voter_hash)                   -- one vote per voter, enforced here, not by a prior read
);
CREATE INDEX ballots_poll_ip ON ballots(poll_id, ip_hash, created_at);
CREATE INDEX ballots_poll_time ON ballots(poll_id, created_at);

CREATE TABLE ballot_choices (
  ballot_id INTEGER NOT NULL REFERENCES ballots(id) ON DELETE CASCADE,
  option_id TEXT NOT NULL REFERENCES poll_options(id) ON DELETE CASCADE,
  PRIMARY KEY (ballot_id, option_id)
) WITHOUT ROWID;
CREATE INDEX ballot_choices_option ON ballot_choices(option_id);

CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,
  actor       TEXT NOT NULL,                     -- key name, or "cli"
  action      TEXT NOT NULL,                     -- e.g. poll.create, comment.approve
  target_type TEXT NOT NULL,
  target_id   TEXT,
  site_id     TEXT,
  detail      TEXT                               -- JSON
);
CREATE INDEX audit_log_site_at ON audit_log(site_id, at);
CREATE INDEX audit_log_at ON audit_log(at);
