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
  it('parses TRUST_PROXY like Express: a hop count, or addresses, subnets and Express\'s names', () => {
    expect(loadConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).TRUST_PROXY).toBe('loopback, 10.0.0.0/8');
    for (const ok of ['127.0.0.1', 'loopback', 'linklocal', 'uniquelocal', '10.0.0.0/8', '10.0.0.0/255.0.0.0', '::1', 'fd00::/8', '192.168.1.10, 2001:db8::/32'])
      expect(loadConfig({ TRUST_PROXY: ok }).TRUST_PROXY).toBe(ok);
  });

  it('refuses TRUST_PROXY=true, which would believe any client\'s X-Forwarded-For, and says what to set instead', () => {
    // Attack: with "true" Express takes the leftmost X-Forwarded-For, which the client writes itself,
    // so every per-IP cap and rate limit is one made-up header away.
    for (const v of ['true', 'TRUE', ' true ']) {
      let msg = '';
      try {
        loadConfig({ TRUST_PROXY: v });
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        msg = (e as Error).message;
      }
      expect(msg).toContain('TRUST_PROXY');
      expect(msg).toContain('TRUST_PROXY=1');
      expect(msg).toMatch(/TRUST_PROXY=127\.0\.0\.1|loopback/);
    }
  });

  it('refuses a TRUST_PROXY entry that is neither an address, a subnet, a hop count nor loopback/linklocal/uniquelocal', () => {
    for (const v of ['weird', 'loopback, weird', '10.0.0.0/33', '300.1.1.1', '::1/129', '10.0.0.0/', '-1', '1.5', 'loopback,,']) {
      let err: unknown;
      try {
        loadConfig({ TRUST_PROXY: v });
      } catch (e) {
        err = e;
      }
      expect(err, v).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toContain('TRUST_PROXY');
    }
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
