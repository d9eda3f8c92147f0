import { Secret, TOTP } from 'otpauth';

const PERIOD_MS = 30_000;
const ISSUER = 'ykien';

const totpOf = (secret: string, label: string) => new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: PERIOD_MS / 1000, secret: Secret.fromBase32(secret) });

/** A new secret for an authenticator app, and the otpauth:// URI its QR code holds. */
export function newTotpSecret(username: string): { secret: string; uri: string } {
  const secret = new Secret({ size: 20 }).base32;
  return { secret, uri: totpOf(secret, username).toString() };
}

/**
 * The 30-second time step a six-digit code belongs to (the current one or a neighbour, for a phone's clock a
 * little off), or undefined when it matches none. The caller accepts each step once.
 */
export function totpStep(secret: string, code: string, now: number): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = totpOf(secret, '').validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? undefined : Math.floor(now / PERIOD_MS) + delta;
}

/** The code for a moment: for tests and the CLI's own checks. */
export const totpCode = (secret: string, now: number): string => totpOf(secret, '').generate({ timestamp: now });
