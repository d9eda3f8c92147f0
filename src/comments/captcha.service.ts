import { randomBytes } from 'node:crypto';
import svgCaptcha from 'svg-captcha';
import type { Db } from '../db/open.js';
import { AppError } from '../errors.js';

export type CaptchaChallenge = { id: string; svg: string; expiresAt: string } | { required: false };

/** Characters people confuse (0/o, 1/l/i) are left out of the challenges. */
const IGNORE = '0oO1lIiJj';

export const captchaError = (code: 'captcha_required' | 'captcha_invalid', message: string) =>
  new AppError(400, code, message, { errors: [{ field: 'captchaAnswer', message }] });

/**
 * Captcha challenges kept in SQLite (several processes agree on them). An answer is
 * case-insensitive, expires after `ttlSeconds` and is consumed by the first attempt,
 * right or wrong.
 */
export function captchaService(db: Db, opts: { enabled: boolean; ttlSeconds: number; minSeconds: number; now: () => number }) {
  const s = {
    insert: db.prepare('INSERT INTO captchas (id, site_id, answer, created_at, expires_at) VALUES (?, ?, ?, ?, ?)'),
    purge: db.prepare('DELETE FROM captchas WHERE expires_at <= ?'),
    peek: db.prepare('SELECT created_at, expires_at FROM captchas WHERE id = ? AND site_id = ?'),
    consume: db.prepare('DELETE FROM captchas WHERE id = ? AND site_id = ? RETURNING answer, created_at, expires_at'),
  };

  return {
    enabled: opts.enabled,

    /** A fresh challenge for a site (the caller checked the site exists). */
    issue(siteId: string): CaptchaChallenge {
      if (!opts.enabled) return { required: false };
      const t = opts.now();
      const c = svgCaptcha.create({ size: 5, noise: 2, ignoreChars: IGNORE, color: false, width: 150, height: 50 });
      const id = randomBytes(16).toString('base64url');
      const expires = t + opts.ttlSeconds * 1000;
      s.purge.run(t);
      s.insert.run(id, siteId, c.text.toLowerCase(), t, expires);
      return { id, svg: c.data, expiresAt: new Date(expires).toISOString() };
    },

    /**
     * Checks, without consuming, that the captcha was fetched at least COMMENT_MIN_SECONDS
     * ago: a person who types fast keeps the challenge and simply sends again.
     */
    assertNotTooFast(siteId: string, id: string): void {
      if (!opts.enabled || opts.minSeconds <= 0) return;
      const row = s.peek.get(id, siteId) as { created_at: number; expires_at: number } | undefined;
      if (!row) return; // unknown or used: verify() answers captcha_invalid
      const ready = row.created_at + opts.minSeconds * 1000;
      const t = opts.now();
      if (t < ready) {
        const retryAfterSeconds = Math.ceil((ready - t) / 1000);
        throw new AppError(400, 'too_fast', `Sent too quickly. Please wait ${retryAfterSeconds} s and send again.`, { retryAfterSeconds });
      }
    },

    /** Consumes the challenge (whatever the answer) and throws unless the answer was right and in time. */
    verify(siteId: string, id: string | undefined, answer: string | undefined): void {
      if (!opts.enabled) return;
      if (!id || !answer) throw captchaError('captcha_required', 'Enter the characters shown in the picture.');
      const row = s.consume.get(id, siteId) as { answer: string; created_at: number; expires_at: number } | undefined;
      if (!row) throw captchaError('captcha_invalid', 'This captcha is unknown or already used. Get a new one and try again.');
      if (row.expires_at <= opts.now()) throw captchaError('captcha_invalid', 'This captcha has expired. Get a new one and try again.');
      if (answer.normalize('NFC').trim().toLowerCase() !== row.answer)
        throw captchaError('captcha_invalid', 'The characters do not match the picture. Get a new one and try again.');
    },
  };
}

export type CaptchaService = ReturnType<typeof captchaService>;
