import { createHash } from 'node:crypto';
import { createChallenge, verifySolution } from 'altcha-lib/v1';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sha256, solvePow } from '../../widget/pow.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('widget proof-of-work solver (widget/pow.ts)', () => {
  it('its plain-JS SHA-256 agrees with Node for every length across block boundaries', () => {
    for (let l = 0; l < 200; l++) {
      const s = Array.from({ length: l }, (_, i) => String.fromCharCode(33 + ((i * 31 + l) % 94))).join('');
      expect(sha256(s)).toBe(createHash('sha256').update(s).digest('hex'));
    }
  });

  it.each([
    ['crypto.subtle', false],
    ['the plain-JS fallback', true],
  ])('solves an ALTCHA challenge with %s, and the server library accepts the answer', async (_, noSubtle) => {
    const c = await createChallenge({ hmacKey: 'k'.repeat(32), maxNumber: 3_000, number: 2_345, salt: 'a1b2c3?expires=1780000000&site=xa-a&id=abc&mode=image&' });
    // A page on plain http has no crypto.subtle.
    if (noSubtle) vi.stubGlobal('crypto', undefined);
    const shares: number[] = [];
    const n = await solvePow({ ...c, maxnumber: 3_000 }, (share) => (shares.push(share), true));
    vi.unstubAllGlobals();
    expect(n).toBe(2_345);
    expect(shares.length).toBeGreaterThan(1);
    expect(shares.every((s, i) => s > 0 && s <= 1 && (i === 0 || s > shares[i - 1]!))).toBe(true);
    expect(await verifySolution({ ...c, number: n! }, 'k'.repeat(32), false)).toBe(true);
  });

  it('stops when told to (a new captcha was loaded) and when the range holds no answer', async () => {
    const c = await createChallenge({ hmacKey: 'k'.repeat(32), maxNumber: 5_000, number: 4_999 });
    expect(await solvePow({ ...c, maxnumber: 5_000 }, () => false)).toBeNull();
    expect(await solvePow({ ...c, challenge: '0'.repeat(64), maxnumber: 1_500 }, () => true)).toBeNull();
  });
});
