import type { CaptchaStore } from '../../comments/captcha.store.js';
import type { Db } from './open.js';
import { toCaptcha, type CaptchaRow } from '../rows/captchas.js';

export function sqliteCaptchaStore(db: Db): CaptchaStore {
  const s = {
    insert: db.prepare('INSERT INTO captchas (id, site_id, answer, mode, created_at, expires_at) VALUES (@id, @siteId, @answer, @mode, @createdAt, @expiresAt)'),
    peek: db.prepare('SELECT * FROM captchas WHERE id = ? AND site_id = ?'),
    // One statement: whichever connection deletes the row is the one that gets it.
    consume: db.prepare('DELETE FROM captchas WHERE id = ? AND site_id = ? RETURNING *'),
    spend: db.prepare('INSERT INTO pow_used (challenge, expires_at) VALUES (?, ?) ON CONFLICT (challenge) DO NOTHING'),
    purge: db.prepare('DELETE FROM captchas WHERE expires_at <= ?'),
    purgeSpent: db.prepare('DELETE FROM pow_used WHERE expires_at <= ?'),
  };
  const purge = db.transaction((at: number) => {
    s.purge.run(at);
    s.purgeSpent.run(at);
  });
  return {
    add: async (c) => void s.insert.run(c),
    peek: async (siteId, id) => toCaptcha(s.peek.get(id, siteId) as CaptchaRow | undefined),
    consume: async (siteId, id) => toCaptcha(s.consume.get(id, siteId) as CaptchaRow | undefined),
    spendPow: async (challenge, expiresAt) => s.spend.run(challenge, expiresAt).changes === 1,
    purge: async (at) => purge.immediate(at),
  };
}
