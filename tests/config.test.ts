import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('has safe defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      PORT: 8080,
      HOST: '0.0.0.0',
      DATABASE_PATH: './data/ykien.db',
      TRUST_PROXY: false,
      DEFAULT_TIMEZONE: 'Asia/Ho_Chi_Minh',
      CAPTCHA: 'svg',
      VOTE_LIMIT_PER_IP: 50,
    });
  });
  it('parses TRUST_PROXY like Express', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).TRUST_PROXY).toBe('loopback, 10.0.0.0/8');
  });
  it('fails fast naming each bad variable', () => {
    const bad = () => loadConfig({ PORT: 'abc', VOTE_LIMIT_PER_IP: '-1', CAPTCHA: 'recaptcha', DEFAULT_TIMEZONE: 'Hanoi/Nowhere' });
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (e) {
      const msg = (e as Error).message;
      for (const name of ['PORT', 'VOTE_LIMIT_PER_IP', 'CAPTCHA', 'DEFAULT_TIMEZONE']) expect(msg).toContain(name);
    }
  });
});
