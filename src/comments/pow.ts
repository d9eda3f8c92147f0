import { randomBytes } from 'node:crypto';
import { createChallenge, extractParams, verifySolution } from 'altcha-lib/v1';
import type { Challenge, Payload } from 'altcha-lib/v1/types';
import { AppError } from '../errors.js';
import type { CaptchaMode, CaptchaStore } from './captcha.store.js';

export type PowChallenge = Challenge;
export type PowSolution = Payload;

export const powError = (code: 'pow_required' | 'pow_invalid', message: string) =>
  new AppError(400, code, message, { errors: [{ field: 'pow', message }] });

/**
 * Self-hosted proof of work (ALTCHA v1: find n with SHA-256(salt + n) = challenge, n random in
 * [0, maxNumber]), so every comment costs the sender CPU time. The salt carries the site, the
 * captcha it belongs to, its mode and its expiry; the HMAC over the challenge covers the salt,
 * so none of them can be changed. Each solution is accepted once (spent in storage, whichever process sees it).
 */
export function powService(store: Pick<CaptchaStore, 'spendPow'>, opts: { key: () => string; maxNumber: number; accessibleFactor: number; now: () => number }) {
  const maxNumber = (mode: CaptchaMode) => (mode === 'accessible' ? opts.maxNumber * opts.accessibleFactor : opts.maxNumber);
  return {
    maxNumber,

    async issue(siteId: string, bindId: string, mode: CaptchaMode, expiresAt: number): Promise<PowChallenge> {
      return createChallenge({
        hmacKey: opts.key(),
        algorithm: 'SHA-256',
        maxNumber: maxNumber(mode),
        salt: randomBytes(12).toString('hex'),
        params: { expires: String(Math.ceil(expiresAt / 1000)), site: siteId, id: bindId, mode },
      });
    },

    /** Throws pow_required or pow_invalid unless `solution` solves a live challenge issued for exactly this form, then spends it. */
    async verify(siteId: string, bindId: string | undefined, mode: CaptchaMode, solution: PowSolution | undefined): Promise<void> {
      if (!solution) throw powError('pow_required', 'The form was sent without its proof of work. Wait until it is ready and send again.');
      const p = extractParams(solution);
      if (p.site !== siteId || p.mode !== mode || (bindId !== undefined && p.id !== bindId))
        throw powError('pow_invalid', 'This proof of work belongs to another form. Get a new captcha and try again.');
      const expiresAt = Number(p.expires) * 1000;
      if (!(expiresAt > opts.now())) throw powError('pow_invalid', 'This proof of work has expired. Get a new captcha and try again.');
      // Expiry is checked above against the app's clock, not the library's Date.now().
      if (!(await verifySolution(solution, opts.key(), false)))
        throw powError('pow_invalid', 'This proof of work is not valid. Get a new captcha and try again.');
      if (!(await store.spendPow(solution.challenge, expiresAt)))
        throw powError('pow_invalid', 'This proof of work was already used. Get a new captcha and try again.');
    },
  };
}

export type PowService = ReturnType<typeof powService>;
