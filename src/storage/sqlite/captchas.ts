import type { CaptchaStore } from '../../comments/captcha.store.js';
import type { Db } from './open.js';
import { toCaptcha, type CaptchaRow } from '../rows/captchas.js';
import type { UnversionedChanges } from './counters.js';

/**
 * No cached answer is built from captchas or spent proofs of work: the rows their writes change are
 * reported to `unversioned` and left out of the change version (index.ts), like counted views, so a
 * captcha issued or checked does not empty every cached poll and thread.
 */
export function sqliteCaptchaStore(db: Db, unversioned: UnversionedChanges = { add() {} }): CaptchaStore {
  const s = {
    insert: db.prepare('INSERT INTO captchas (id, site_id, answer, mode, created_at, expires_at) VALUES (@id, @siteId, @answer, @mode, @createdAt, @expiresAt)'),
    peek: db.prepare('SELECT * FROM captchas WHERE id = ? AND site_id = ?'),
    // One statement: whichever connection deletes the row is the one that gets it.
    consume: db.prepare('DELETE FROM captchas WHERE id = ? AND site_id = ? RETURNING *'),
    spend: db.prepare('INSERT INTO pow_used (challenge, expires_at) VALUES (?, ?) ON CONFLICT (challenge) DO NOTHING'),
    purge: db.prepare('DELETE FROM captchas WHERE expires_at <= ?'),
    purgeSpent: db.prepare('DELETE FROM pow_used WHERE expires_at <= ?'),
  };
  const counted = (n: number) => (unversioned.add(n), n);
  const purge = db.transaction((at: number) => {
    counted(s.purge.run(at).changes + s.purgeSpent.run(at).changes);
  });
  return {
    add: async (c) => void counted(s.insert.run(c).changes),
    peek: async (siteId, id) => toCaptcha(s.peek.get(id, siteId) as CaptchaRow | undefined),
    consume: async (siteId, id) => {
      const row = s.consume.get(id, siteId) as CaptchaRow | undefined;
      if (row) counted(1); // DELETE … RETURNING: one row changed when it returned one
      return toCaptcha(row);
    },
    spendPow: async (challenge, expiresAt) => counted(s.spend.run(challenge, expiresAt).changes) === 1,
    purge: async (at) => purge.immediate(at),
  };
}
