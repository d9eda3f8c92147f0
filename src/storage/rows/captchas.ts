import type { CaptchaRecord } from '../../comments/captcha.store.js';

/** A captchas row, the same on both backends. */
export interface CaptchaRow {
  id: string;
  site_id: string;
  answer: string;
  mode: CaptchaRecord['mode'];
  created_at: number;
  expires_at: number;
}

export const toCaptcha = (r: CaptchaRow | undefined): CaptchaRecord | undefined =>
  r && { id: r.id, siteId: r.site_id, answer: r.answer, mode: r.mode, createdAt: r.created_at, expiresAt: r.expires_at };
