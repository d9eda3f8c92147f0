import type { Db } from '../storage/sqlite/open.js';

export type CaptchaMode = 'image' | 'accessible';

export interface CaptchaRow {
  answer: string;
  mode: CaptchaMode;
  created_at: number;
  expires_at: number;
}

/** Captcha challenges and spent proof-of-work challenges, both in SQLite so every process agrees. */
export function captchaRepo(db: Db) {
  const s = {
    insert: db.prepare('INSERT INTO captchas (id, site_id, answer, mode, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)'),
    purge: db.prepare('DELETE FROM captchas WHERE expires_at <= ?'),
    peek: db.prepare('SELECT answer, mode, created_at, expires_at FROM captchas WHERE id = ? AND site_id = ?'),
    consume: db.prepare('DELETE FROM captchas WHERE id = ? AND site_id = ? RETURNING answer, mode, created_at, expires_at'),
    spend: db.prepare('INSERT INTO pow_used (challenge, expires_at) VALUES (?, ?) ON CONFLICT (challenge) DO NOTHING'),
    purgeSpent: db.prepare('DELETE FROM pow_used WHERE expires_at <= ?'),
  };
  return {
    insert: (id: string, siteId: string, answer: string, mode: CaptchaMode, createdAt: number, expiresAt: number) =>
      void s.insert.run(id, siteId, answer, mode, createdAt, expiresAt),
    /** Drops expired captchas and spent proofs of work. */
    purge(now: number) {
      s.purge.run(now);
      s.purgeSpent.run(now);
    },
    peek: (id: string, siteId: string) => s.peek.get(id, siteId) as CaptchaRow | undefined,
    /** Deletes and returns the challenge: at most one caller ever gets it. */
    consume: (id: string, siteId: string) => s.consume.get(id, siteId) as CaptchaRow | undefined,
    /** Records a proof of work as used; false when it already was. */
    spendPow: (challenge: string, expiresAt: number) => s.spend.run(challenge, expiresAt).changes === 1,
  };
}

export type CaptchaRepo = ReturnType<typeof captchaRepo>;
