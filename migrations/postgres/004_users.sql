-- People who sign in to the console (issue 15): the same roles and site rule as API keys. The password is
-- stored only as a scrypt hash (salt and cost inside it); a session only as the SHA-256 of its token.
CREATE TABLE users (
  id                  TEXT PRIMARY KEY,
  username            TEXT NOT NULL UNIQUE,            -- lower case: "An" and "an" are one user
  display_name        TEXT NOT NULL,
  password_hash       TEXT NOT NULL,
  role                TEXT NOT NULL CHECK (role IN ('admin', 'moderator')),
  disabled            BOOLEAN NOT NULL DEFAULT FALSE,
  totp_secret         TEXT,                            -- base32, set once two-factor login is enabled
  totp_pending_secret TEXT,                            -- between setup and enable
  totp_last_step      BIGINT NOT NULL DEFAULT 0,       -- a code's 30-second step is accepted once
  created_at          BIGINT NOT NULL,
  updated_at          BIGINT NOT NULL,
  last_login_at       BIGINT
);

-- A moderator's sites; an admin has none (every site).
CREATE TABLE user_sites (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, site_id)
);

CREATE TABLE sessions (
  token_hash   TEXT PRIMARY KEY,                       -- SHA-256 of the cookie's token; the token is never stored
  user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at   BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL,                       -- the absolute end, whatever the activity
  limited      BOOLEAN NOT NULL DEFAULT FALSE          -- true: may only set up two-factor login (REQUIRE_TOTP_FOR_ADMINS)
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_seen ON sessions(last_seen_at);

-- One row per login attempt still counting against a username or a network (throttling, shared by every
-- process on the database); a successful login removes its username's rows.
CREATE TABLE login_attempts (
  id  BIGSERIAL PRIMARY KEY,
  key TEXT NOT NULL,                                   -- "user:<username>" or "ip:<network>"
  at  BIGINT NOT NULL
);
CREATE INDEX login_attempts_key ON login_attempts(key, at);

-- Two-factor recovery codes, each usable once: only their SHA-256 is kept.
CREATE TABLE user_recovery_codes (
  user_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  PRIMARY KEY (user_id, code_hash)
);
