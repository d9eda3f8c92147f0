import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { CLI } from '../src/audit/actor.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { createContainer } from '../src/container.js';
import { start } from '../src/server.js';
import { runCommand } from './helpers/cli.js';
import { emptyDatabase } from './helpers/app.js';
import { smtpServer, stallingServer } from './helpers/smtp.js';

const FROM = '"Cổng thông tin xã" <noreply@xa.gov.vn>';

describe('mail settings', () => {
  it('SMTP_URL must be smtp:// or smtps://, and a bad one is named without repeating its password', () => {
    expect(() => loadConfig({ SMTP_URL: 'http://ykien:Very-Secret-42@mail.xa.vn', MAIL_FROM: FROM })).toThrow(ConfigError);
    try {
      loadConfig({ SMTP_URL: 'mailto://ykien:Very-Secret-42@mail.xa.vn', MAIL_FROM: FROM });
    } catch (e) {
      expect((e as Error).message).toContain('SMTP_URL');
      expect((e as Error).message).not.toContain('Very-Secret-42');
    }
    expect(loadConfig({ SMTP_URL: 'smtps://ykien:Very-Secret-42@mail.xa.vn:465', MAIL_FROM: FROM }).SMTP_URL).toBe('smtps://ykien:Very-Secret-42@mail.xa.vn:465');
    expect(loadConfig({}).SMTP_URL).toBeUndefined();
  });

  it('MAIL_FROM is required with SMTP_URL and must be one address, with or without a display name', () => {
    expect(() => loadConfig({ SMTP_URL: 'smtp://mail.xa.vn:587' })).toThrow(/MAIL_FROM: is required with SMTP_URL/);
    for (const bad of ['noreply', 'a@xa.vn, b@xa.vn', 'noreply@xa.vn\r\nBcc: x@evil.example'])
      expect(() => loadConfig({ SMTP_URL: 'smtp://mail.xa.vn', MAIL_FROM: bad })).toThrow(/MAIL_FROM/);
    expect(loadConfig({ SMTP_URL: 'smtp://mail.xa.vn', MAIL_FROM: 'noreply@xa.vn' }).MAIL_FROM).toBe('noreply@xa.vn');
    expect(loadConfig({ SMTP_URL: 'smtp://mail.xa.vn', MAIL_FROM: FROM }).MAIL_FROM).toBe(FROM);
  });
});

describe('ykien mail test', () => {
  it('sends one mail and prints the SMTP answer', async () => {
    const d = await emptyDatabase();
    const smtp = await smtpServer({ user: 'ykien', password: 'mat-khau-1' });
    const env = envOf(d.config(), { SMTP_URL: smtp.url, MAIL_FROM: FROM });
    const res = await runCommand(['mail', 'test', '--to', 'vanthu@xa.vn'], { env });
    expect(res.err).toEqual([]);
    expect(res.code).toBe(0);
    expect(res.out.join('\n')).toMatch(/^Sent to vanthu@xa\.vn\. The SMTP server answered: 250 /);
    expect(smtp.got).toHaveLength(1);
    expect(smtp.got[0]!.to).toEqual(['vanthu@xa.vn']);
    expect((await simpleParser(smtp.got[0]!.raw)).text).toContain('Đây là thư thử');
  });

  it('prints the refusal (without the password), and refuses to run without SMTP_URL or a real address', async () => {
    const d = await emptyDatabase();
    const smtp = await smtpServer({ refuse: [550] });
    const refused = await runCommand(['mail', 'test', '--to', 'vanthu@xa.vn'], { env: envOf(d.config(), { SMTP_URL: smtp.url.replace('smtp://', 'smtp://ykien:Secret-Pass-77@'), MAIL_FROM: FROM }) });
    expect(refused.code).toBe(1);
    expect(refused.err.join('\n')).toMatch(/rejected.*550/);
    expect(refused.err.join('\n')).not.toContain('Secret-Pass-77');
    const off = await runCommand(['mail', 'test', '--to', 'vanthu@xa.vn'], { env: envOf(d.config(), {}) });
    expect(off.code).toBe(1);
    expect(off.err.join('\n')).toContain('set SMTP_URL and MAIL_FROM');
    const bad = await runCommand(['mail', 'test', '--to', 'not-an-address'], { env: envOf(d.config(), { SMTP_URL: smtp.url, MAIL_FROM: FROM }) });
    expect(bad.code).toBe(64);
  });
});

describe('shutdown with a mail under way', () => {
  it('finishes within SHUTDOWN_TIMEOUT_MS although the SMTP server never answers', async () => {
    const d = await emptyDatabase();
    const stall = await stallingServer();
    const config = d.config({ PORT: 0, HOST: '127.0.0.1', SMTP_URL: stall.url, MAIL_FROM: FROM, MAIL_TIMEOUT_MS: 120_000, SHUTDOWN_TIMEOUT_MS: 300, PUBLIC_URL: 'https://ykien.xa.vn' });
    const c = await createContainer({ storage: d.storage, config, hashKeys: false });
    await c.sites.create({ id: 'xa-a', name: 'Xã A', origins: [], premoderation: true }, CLI);
    await c.sites.update('xa-a', { notifyEmails: ['vanthu@xa.vn'] }, CLI);
    const running = await start(config);
    const res = await fetch(`${running.url}/v1/sites/xa-a/threads/bai-1/comments`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Nguyễn Văn An', content: 'Ý kiến chờ duyệt.' }),
    });
    expect(res.status).toBe(202);
    for (let i = 0; i < 200 && stall.connections() === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(stall.connections()).toBe(1);
    // The send would wait two minutes for the greeting; the test's own timeout (20 s) is the bound that fails.
    await running.stop();
    // Cut off, the mail stays in the outbox, claimed, to go out after a restart.
    expect(await d.sql.value('SELECT status FROM mail_outbox')).toBe('queued');
  });
});

/** The environment for a CLI command on the test's database, as strings. */
function envOf(config: { DATABASE_PATH: string; DATABASE_URL?: string | undefined }, extra: Record<string, string>): Record<string, string> {
  return { DATABASE_PATH: config.DATABASE_PATH, ...(config.DATABASE_URL ? { DATABASE_URL: config.DATABASE_URL } : {}), ...extra };
}
