-- E-mail to moderators (issue 16). Per site: who gets the mail, and one mail per comment (0) or a digest
-- every N minutes.
ALTER TABLE sites ADD COLUMN notify_emails TEXT NOT NULL DEFAULT '[]';
ALTER TABLE sites ADD COLUMN notify_digest_minutes INTEGER NOT NULL DEFAULT 0 CHECK (notify_digest_minutes >= 0);

-- Pending comments not yet put into a mail. A comment deleted (or its site) before that takes its row along.
CREATE TABLE mail_waiting (
  comment_id TEXT PRIMARY KEY REFERENCES comments(id) ON DELETE CASCADE,
  site_id    TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL
);
CREATE INDEX mail_waiting_site ON mail_waiting (site_id, created_at);

-- The outbox: one row per recipient of a composed mail (no recipient sees the others' addresses). The text is
-- composed once, so a retry sends the same mail. `next_attempt_at` is also the claim: a sender moves it past
-- its lease before sending, so another sender (instance) leaves the row alone meanwhile.
CREATE TABLE mail_outbox (
  id              TEXT PRIMARY KEY,
  site_id         TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  batch           TEXT NOT NULL,                     -- one composed mail, shared by its recipients' rows
  kind            TEXT NOT NULL CHECK (kind IN ('comment', 'digest')),
  recipient       TEXT NOT NULL,
  subject         TEXT NOT NULL,
  body_text       TEXT NOT NULL,
  body_html       TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT,                              -- a reason and the SMTP reply code, never credentials
  created_at      INTEGER NOT NULL,
  finished_at     INTEGER
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);
CREATE INDEX mail_outbox_site ON mail_outbox (site_id, kind, created_at);
