import { randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';
import type * as Render from './captcha.render.js';
import type { CaptchaMode, CaptchaStore } from './captcha.store.js';
import { powService, type PowChallenge, type PowSolution } from './pow.js';

/** svg-captcha and resvg (~19 MB of RSS) load with the first image challenge, not at start: most requests never draw one. */
let render: Promise<typeof Render> | undefined;
const loadRender = () => (render ??= import('./captcha.render.js'));

export type { CaptchaMode } from './captcha.store.js';

import type { CaptchaChallenge } from '../api/comments.js';

export type { CaptchaChallenge };

/** What a comment post carries to pass the captcha and the proof of work. */
export interface CaptchaInput {
  captchaId?: string | undefined;
  captchaAnswer?: string | undefined;
  pow?: PowSolution | undefined;
}

export const captchaError = (code: 'captcha_required' | 'captcha_invalid', message: string) =>
  new AppError(400, code, message, { errors: [{ field: 'captchaAnswer', message }] });

export interface CaptchaOptions {
  enabled: boolean;
  ttlSeconds: number;
  minSeconds: number;
  now: () => number;
  /** Proof of work on every comment (the accessible path always has one). */
  pow: { enabled: boolean; key: () => string; maxNumber: number; accessibleFactor: number };
}

/**
 * Captcha challenges kept in storage (several processes agree on them). An answer is
 * case-insensitive, expires after `ttlSeconds` and is consumed by the first attempt, right or
 * wrong. The picture is a server-rendered PNG (captcha.render.ts); each challenge also carries a
 * proof of work bound to it. The "accessible" mode has no picture and a heavier proof of work.
 */
export function captchaService(store: CaptchaStore, opts: CaptchaOptions) {
  const pow = powService(store, { ...opts.pow, now: opts.now });

  return {
    enabled: opts.enabled,

    /** A fresh challenge for a site (the caller checked the site exists). */
    async issue(siteId: string, mode: CaptchaMode = 'image'): Promise<CaptchaChallenge> {
      if (!opts.enabled && !opts.pow.enabled) return { required: false };
      const t = opts.now();
      const expires = t + opts.ttlSeconds * 1000;
      const expiresAt = new Date(expires).toISOString();
      const id = randomBytes(16).toString('base64url');
      await store.purge(t);
      if (!opts.enabled) return { required: false, pow: await pow.issue(siteId, '', 'image', expires), expiresAt };
      if (mode === 'accessible') {
        const challenge = await pow.issue(siteId, id, 'accessible', expires);
        await store.add({ id, siteId, answer: '', mode: 'accessible', createdAt: t, expiresAt: expires });
        return { id, mode, pow: challenge, expiresAt };
      }
      const challenge = opts.pow.enabled ? await pow.issue(siteId, id, 'image', expires) : undefined;
      const { captchaImage, captchaText, CAPTCHA_LENGTH } = await loadRender();
      const text = captchaText();
      const picture = captchaImage(text);
      await store.add({ id, siteId, answer: text.toLowerCase(), mode: 'image', createdAt: t, expiresAt: expires });
      return { id, mode, ...picture, length: CAPTCHA_LENGTH, ...(challenge && { pow: challenge }), expiresAt };
    },

    /**
     * Checks, without consuming, that the captcha was fetched at least COMMENT_MIN_SECONDS
     * ago: a person who types fast keeps the challenge and simply sends again.
     */
    async assertNotTooFast(siteId: string, id: string): Promise<void> {
      if (!opts.enabled || opts.minSeconds <= 0) return;
      const row = await store.peek(siteId, id);
      if (!row) return; // unknown or used: verify() answers captcha_invalid
      const ready = row.createdAt + opts.minSeconds * 1000;
      const t = opts.now();
      if (t < ready) {
        const retryAfterSeconds = Math.ceil((ready - t) / 1000);
        throw new AppError(400, 'too_fast', `Sent too quickly. Please wait ${retryAfterSeconds} s and send again.`, { retryAfterSeconds });
      }
    },

    /**
     * Throws unless the post passes: the proof of work first (a refusal there leaves the captcha
     * unused, and nothing about the answer is learnt), then the captcha, which is consumed whatever
     * the answer. Returns the captcha's mode ("none" when captchas are off).
     */
    async verify(siteId: string, input: CaptchaInput): Promise<CaptchaMode | 'none'> {
      if (!opts.enabled) {
        if (opts.pow.enabled) await pow.verify(siteId, undefined, 'image', input.pow);
        return 'none';
      }
      const { captchaId: id, captchaAnswer: answer } = input;
      if (!id) throw captchaError('captcha_required', 'Enter the characters shown in the picture.');
      const row = await store.peek(siteId, id);
      if (!row) throw captchaError('captcha_invalid', 'This captcha is unknown or already used. Get a new one and try again.');
      if (row.expiresAt <= opts.now()) {
        await store.consume(siteId, id);
        throw captchaError('captcha_invalid', 'This captcha has expired. Get a new one and try again.');
      }
      if (row.mode === 'image' && !answer) throw captchaError('captcha_required', 'Enter the characters shown in the picture.');
      if (row.mode === 'accessible' || opts.pow.enabled) await pow.verify(siteId, id, row.mode, input.pow);
      if (!(await store.consume(siteId, id))) throw captchaError('captcha_invalid', 'This captcha is unknown or already used. Get a new one and try again.');
      if (row.mode === 'image' && answer!.normalize('NFC').trim().toLowerCase() !== row.answer)
        throw captchaError('captcha_invalid', 'The characters do not match the picture. Get a new one and try again.');
      return row.mode;
    },
  };
}

export type CaptchaService = ReturnType<typeof captchaService>;
