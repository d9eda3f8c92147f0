-- Captcha modes and single-use proof of work (issue 10 §1). Times are Unix epoch milliseconds (UTC).

-- "image": a picture to read; "accessible": no picture, a heavier proof of work instead, and a
-- comment sent with it always waits for a moderator. Accessible challenges store answer ''.
ALTER TABLE captchas ADD COLUMN mode TEXT NOT NULL DEFAULT 'image' CHECK (mode IN ('image', 'accessible'));

-- Proof-of-work challenges already spent, kept until they expire so that a solution is accepted
-- once, whichever process sees it; expired rows are purged when new challenges are issued.
CREATE TABLE pow_used (
  challenge  TEXT PRIMARY KEY,                 -- the challenge's SHA-256, hex
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX pow_used_expires ON pow_used(expires_at);
