import type { CaptchaStore } from '../../comments/captcha.store.js';
import type { PgDb } from './db.js';
import { toCaptcha, type CaptchaRow } from '../rows/captchas.js';

/**
 * Single use across instances by the statement itself: DELETE … RETURNING hands a row to the one
 * transaction that deletes it (the others wait on its row lock, then find it gone), and a spent proof of
 * work is the primary key of pow_used (ON CONFLICT DO NOTHING: only one INSERT counts a row). No cached
 * answer is built from these tables: their writes leave the change version (db.ts), like counted views.
 */
const UNVERSIONED = { unversioned: true } as const;

export function pgCaptchaStore(db: PgDb): CaptchaStore {
  return {
    add: (c) =>
      db.write(async (t) => {
        await t.query('INSERT INTO captchas (id, site_id, answer, mode, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)', [
          c.id,
          c.siteId,
          c.answer,
          c.mode,
          c.createdAt,
          c.expiresAt,
        ]);
      }, UNVERSIONED),
    peek: async (siteId, id) => toCaptcha((await db.rows<CaptchaRow>('SELECT * FROM captchas WHERE id = $1 AND site_id = $2', [id, siteId]))[0]),
    consume: (siteId, id) =>
      db.write(async (t) => toCaptcha((await t.query<CaptchaRow>('DELETE FROM captchas WHERE id = $1 AND site_id = $2 RETURNING *', [id, siteId])).rows[0]), UNVERSIONED),
    spendPow: (challenge, expiresAt) =>
      db.write(
        async (t) =>
          (await t.query('INSERT INTO pow_used (challenge, expires_at) VALUES ($1, $2) ON CONFLICT (challenge) DO NOTHING', [challenge, expiresAt])).rowCount === 1,
        UNVERSIONED,
      ),
    purge: (at) =>
      db.write(async (t) => {
        await t.query('DELETE FROM captchas WHERE expires_at <= $1', [at]);
        await t.query('DELETE FROM pow_used WHERE expires_at <= $1', [at]);
      }, UNVERSIONED),
  };
}
