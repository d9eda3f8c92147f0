export type CaptchaMode = 'image' | 'accessible';

/** A captcha challenge as stored. Times are epoch ms. */
export interface CaptchaRecord {
  id: string;
  siteId: string;
  /** Lower case; '' for the accessible mode, which has no picture. */
  answer: string;
  mode: CaptchaMode;
  createdAt: number;
  expiresAt: number;
}

/**
 * Captcha challenges and spent proofs of work, kept in storage so that every process agrees:
 * a challenge is used once, a solution accepted once, whichever instance sees it.
 */
export interface CaptchaStore {
  add(c: CaptchaRecord): Promise<void>;
  /** Reads a challenge without using it. */
  peek(siteId: string, id: string): Promise<CaptchaRecord | undefined>;
  /** Deletes and returns the challenge: of any number of callers, at most one ever gets it. */
  consume(siteId: string, id: string): Promise<CaptchaRecord | undefined>;
  /** Records a proof of work as spent until `expiresAt`; false when it already was (by a constraint). */
  spendPow(challenge: string, expiresAt: number): Promise<boolean>;
  /** Drops challenges and spent proofs of work that expired at or before `at`. */
  purge(at: number): Promise<void>;
}
