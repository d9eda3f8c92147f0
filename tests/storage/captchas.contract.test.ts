import { expect, it } from 'vitest';
import type { CaptchaRecord } from '../../src/comments/captcha.store.js';
import { forEachBackend, seedSite } from './backends.js';

const T0 = 1_780_000_000_000;
const captcha = (id: string, over: Partial<CaptchaRecord> = {}): CaptchaRecord => ({
  id,
  siteId: 'xa-a',
  answer: 'k7mp2',
  mode: 'image',
  createdAt: T0,
  expiresAt: T0 + 600_000,
  ...over,
});

forEachBackend('captcha store', (open) => {
  it('keeps a challenge for its own site, peeked without being used', async () => {
    const s = await open();
    await seedSite(s, 'xa-a');
    await seedSite(s, 'xa-b');
    await s.captchas.add(captcha('c1'));
    await s.captchas.add(captcha('c2', { mode: 'accessible', answer: '' }));
    expect(await s.captchas.peek('xa-a', 'c1')).toEqual(captcha('c1'));
    expect(await s.captchas.peek('xa-a', 'c1')).toEqual(captcha('c1'));
    expect(await s.captchas.peek('xa-a', 'c2')).toMatchObject({ mode: 'accessible', answer: '' });
    expect(await s.captchas.peek('xa-b', 'c1')).toBeUndefined();
    expect(await s.captchas.consume('xa-b', 'c1')).toBeUndefined();
    expect(await s.captchas.peek('xa-a', 'nope')).toBeUndefined();
  });

  it('gives a challenge to one consumer only, however many race for it', async () => {
    const s = await open();
    await seedSite(s);
    for (let i = 0; i < 5; i++) await s.captchas.add(captcha(`c${i}`));
    // A bot replays each solved captcha from ten connections at once.
    const got = await Promise.all(Array.from({ length: 50 }, (_, n) => s.captchas.consume('xa-a', `c${n % 5}`)));
    expect(got.filter(Boolean).map((c) => c!.id).sort()).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    for (let i = 0; i < 5; i++) expect(await s.captchas.peek('xa-a', `c${i}`)).toBeUndefined();
  });

  it('accepts a proof of work once, however many race to spend it', async () => {
    const s = await open();
    const spent = await Promise.all(Array.from({ length: 20 }, () => s.captchas.spendPow('a'.repeat(64), T0 + 600_000)));
    expect(spent.filter(Boolean)).toHaveLength(1);
    expect(await s.captchas.spendPow('a'.repeat(64), T0 + 900_000)).toBe(false);
    expect(await s.captchas.spendPow('b'.repeat(64), T0 + 600_000)).toBe(true);
  });

  it('purges what expired at or before the time given, and only that', async () => {
    const s = await open();
    await seedSite(s);
    await s.captchas.add(captcha('old', { expiresAt: T0 + 1000 }));
    await s.captchas.add(captcha('edge', { expiresAt: T0 + 2000 }));
    await s.captchas.add(captcha('live', { expiresAt: T0 + 2001 }));
    await s.captchas.spendPow('c'.repeat(64), T0 + 2000);
    await s.captchas.spendPow('d'.repeat(64), T0 + 2001);
    await s.captchas.purge(T0 + 2000);
    expect(await s.captchas.peek('xa-a', 'old')).toBeUndefined();
    expect(await s.captchas.peek('xa-a', 'edge')).toBeUndefined();
    expect(await s.captchas.peek('xa-a', 'live')).toBeDefined();
    // The expired proof is forgotten (verify refuses it for its expiry anyway); the live one stays spent.
    expect(await s.captchas.spendPow('c'.repeat(64), T0 + 2000)).toBe(true);
    expect(await s.captchas.spendPow('d'.repeat(64), T0 + 2001)).toBe(false);
  });
});
