import { simpleParser, type ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import type { Config } from '../src/config.js';
import { createContainer } from '../src/container.js';
import { createSite, makeTestApp, testClock, type TestApp } from './helpers/app.js';
import { headerOf, smtpServer, stallingServer } from './helpers/smtp.js';

const PUBLIC_URL = 'https://ykien.quangnam.gov.vn';
const FROM = '"Cổng thông tin xã Tiên Ngọc" <noreply@tienngoc.quangnam.gov.vn>';
const ARTICLE = '/2024/06/ke-hoach-206';
const thread = (key = ARTICLE) => `/v1/sites/xa-a/threads/${encodeURIComponent(key)}/comments`;
const COMMENTER_EMAIL = 'an.nguyen@example.vn';
const MINUTE = 60_000;

let seq = 0;
const comment = (over: Record<string, unknown> = {}) => ({
  name: 'Nguyễn Văn An',
  email: COMMENTER_EMAIL,
  content: `Đề nghị xã công khai tiến độ kế hoạch 206/KH-HU trên cổng thông tin, lần ${++seq}.`,
  ...over,
});

/** An app that mails through `smtpUrl`, with site xa-a (premoderation on) whose moderators are `emails`. */
async function mailApp(smtpUrl: string, emails: string[], site: Record<string, unknown> = {}, overrides: Partial<Config> = {}) {
  const clock = testClock();
  const t = await makeTestApp({ SMTP_URL: smtpUrl, MAIL_FROM: FROM, PUBLIC_URL, MAIL_RETRY_BASE_MS: MINUTE, MAIL_TIMEOUT_MS: 2_000, ...overrides }, { clock });
  await createSite(t);
  const res = await t.admin.patch('/v1/admin/sites/xa-a', { notifyEmails: emails, ...site });
  expect(res.status).toBe(200);
  return t;
}

async function post(t: TestApp, over: Record<string, unknown> = {}, key = ARTICLE) {
  const res = await t.http.post(thread(key)).send(comment(over));
  expect(res.status).toBe(202);
  return res.body.id as string;
}

/** Lets every queued mail go out (the job's round after a post), then one more round at the clock's time. */
async function settle(t: TestApp) {
  await t.services.mail.idle();
  await t.services.mail.tick();
  await t.services.mail.idle();
}

const parsed = (raw: string): Promise<ParsedMail> => simpleParser(raw);

async function metric(t: TestApp, line: RegExp): Promise<number> {
  const text = (await t.admin.get('/metrics')).text;
  const m = text.split('\n').find((l) => line.test(l));
  return m ? Number(m.split(' ').at(-1)) : 0;
}

describe('e-mail to moderators', () => {
  it('mails each moderator alone about a pending comment: Vietnamese text, the article, the queue link, never the commenter e-mail or IP', async () => {
    const smtp = await smtpServer();
    const t = await mailApp(smtp.url, ['vanthu@tienngoc.gov.vn', 'chutich@tienngoc.gov.vn']);
    const id = await post(t);
    await settle(t);

    expect(smtp.got).toHaveLength(2);
    expect(smtp.got.map((m) => m.to).sort()).toEqual([['chutich@tienngoc.gov.vn'], ['vanthu@tienngoc.gov.vn']]);
    const stored = await t.sql.rows<{ ip_hash: string | null; user_agent: string | null }>('SELECT ip_hash, user_agent FROM comments WHERE id = ?', id);
    for (const m of smtp.got) {
      const other = m.to[0] === 'vanthu@tienngoc.gov.vn' ? 'chutich@tienngoc.gov.vn' : 'vanthu@tienngoc.gov.vn';
      // One recipient per message: the other moderator's address is nowhere in it (no To, Cc or Bcc list).
      expect(m.raw).not.toContain(other);
      expect(headerOf(m.raw, 'to')).toBe(m.to[0]);
      const mail = await parsed(m.raw);
      for (const part of [m.raw, mail.text ?? '', String(mail.html)]) {
        expect(part).not.toContain(COMMENTER_EMAIL);
        expect(part).not.toContain('127.0.0.1');
        if (stored[0]!.ip_hash) expect(part).not.toContain(stored[0]!.ip_hash);
      }
      expect(mail.subject).toBe('[Xã A] Ý kiến mới chờ duyệt');
      expect(mail.from?.value[0]).toEqual({ name: 'Cổng thông tin xã Tiên Ngọc', address: 'noreply@tienngoc.quangnam.gov.vn' });
      expect(mail.text).toContain('Người gửi: Nguyễn Văn An');
      expect(mail.text).toContain('Đề nghị xã công khai tiến độ kế hoạch 206/KH-HU');
      expect(mail.text).toContain(`Bài viết: ${ARTICLE}`);
      expect(mail.text).toContain(`https://xa-a.example.vn${ARTICLE}`);
      expect(mail.text).toContain(`${PUBLIC_URL}/admin/#/comments?site=xa-a`);
      expect(mail.text).toMatch(/Thời gian: \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} \(Asia\/Ho_Chi_Minh\)/);
      expect(String(mail.html)).toContain(`href="${PUBLIC_URL}/admin/#/comments?site=xa-a"`);
      // The subject went out encoded (RFC 2047), the diacritics intact.
      expect(headerOf(m.raw, 'subject')).toMatch(/^=\?UTF-8\?/i);
    }
    expect(await metric(t, /^ykien_mail_sent_total\{kind="comment"\}/)).toBe(2);
    expect(await t.sql.value('SELECT COUNT(*) FROM mail_outbox WHERE status = ?', 'sent')).toBe(2);
    // The record of a sent mail keeps no comment text (a reader who asks to be forgotten is not kept here).
    expect(await t.sql.value("SELECT COUNT(*) FROM mail_outbox WHERE body_text <> '' OR body_html <> ''")).toBe(0);
    expect(await t.sql.value('SELECT COUNT(*) FROM mail_waiting')).toBe(0);
  });

  it('escapes the name and the text in the HTML part: <b>x</b> is shown, never rendered', async () => {
    const smtp = await smtpServer();
    const t = await mailApp(smtp.url, ['vanthu@tienngoc.gov.vn']);
    await post(t, { name: '<b>x</b>', content: 'Xem <img src=x onerror=alert(1)> & <a href="javascript:alert(1)">đây</a>' }, 'bai-"><script>1</script>');
    await settle(t);
    expect(smtp.got).toHaveLength(1);
    const mail = await parsed(smtp.got[0]!.raw);
    const html = String(mail.html);
    expect(html).not.toContain('<b>x</b>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>');
    expect(html).not.toMatch(/href="javascript:/);
    expect(html).toContain('&#60;b&#62;x&#60;/b&#62;');
    // The plain text part carries the name as typed.
    expect(mail.text).toContain('Người gửi: <b>x</b>');
  });

  it('in digest mode sends one mail for three comments once the interval has passed', async () => {
    const smtp = await smtpServer();
    const t = await mailApp(smtp.url, ['vanthu@tienngoc.gov.vn'], { notifyDigestMinutes: 15 });
    await post(t, { name: 'Trần Thị Bình' });
    t.clock.advance(2 * MINUTE);
    await post(t, { name: 'Lê Văn Cường' }, '/2024/07/le-hoi');
    await post(t, { name: 'Phạm Thị Dung' });
    await settle(t);
    expect(smtp.got).toHaveLength(0);
    t.clock.advance(12 * MINUTE); // 14 minutes after the first
    await settle(t);
    expect(smtp.got).toHaveLength(0);
    t.clock.advance(MINUTE + 1);
    await settle(t);
    expect(smtp.got).toHaveLength(1);
    const mail = await parsed(smtp.got[0]!.raw);
    expect(mail.subject).toBe('[Xã A] 3 ý kiến chờ duyệt');
    expect(mail.text).toContain('Có 3 ý kiến mới đang chờ duyệt trên trang "Xã A".');
    for (const name of ['Trần Thị Bình', 'Lê Văn Cường', 'Phạm Thị Dung']) expect(mail.text).toContain(name);
    expect(mail.text).toContain('/2024/07/le-hoi');
    expect(smtp.got[0]!.raw).not.toContain(COMMENTER_EMAIL);
    expect(mail.text).not.toContain(COMMENTER_EMAIL);
    await settle(t);
    expect(smtp.got).toHaveLength(1);
  });

  it('leaves out of a digest a comment a moderator dealt with before it went', async () => {
    const smtp = await smtpServer();
    const t = await mailApp(smtp.url, ['vanthu@tienngoc.gov.vn'], { notifyDigestMinutes: 15 });
    const first = await post(t, { name: 'Trần Thị Bình' });
    await post(t, { name: 'Lê Văn Cường' });
    expect((await t.admin.post(`/v1/admin/comments/${first}/approve`)).status).toBe(200);
    t.clock.advance(16 * MINUTE);
    await settle(t);
    const mail = await parsed(smtp.got[0]!.raw);
    expect(mail.subject).toBe('[Xã A] 1 ý kiến chờ duyệt');
    expect(mail.text).not.toContain('Trần Thị Bình');
  });

  it('a flood of comments sends MAIL_COMMENT_MAILS_PER_HOUR mails, then one digest an hour for the rest', async () => {
    const smtp = await smtpServer();
    const t = await mailApp(smtp.url, ['vanthu@tienngoc.gov.vn'], {}, { MAIL_COMMENT_MAILS_PER_HOUR: 2 });
    for (let i = 0; i < 6; i++) await post(t, { name: `Người ${i}` });
    await settle(t);
    expect(smtp.got).toHaveLength(2);
    t.clock.advance(30 * MINUTE);
    await settle(t);
    expect(smtp.got).toHaveLength(2);
    t.clock.advance(31 * MINUTE);
    await settle(t);
    expect(smtp.got).toHaveLength(3);
    expect((await parsed(smtp.got[2]!.raw)).subject).toBe('[Xã A] 4 ý kiến chờ duyệt');
  });

  it('a refusal for good (550) is given up at once; metrics count it, nothing crashes', async () => {
    const smtp = await smtpServer({ refuse: [550] });
    const t = await mailApp(smtp.url, ['vanthu@tienngoc.gov.vn']);
    await post(t);
    await settle(t);
    t.clock.advance(60 * MINUTE);
    await settle(t);
    expect(smtp.rcptAttempts()).toBe(1);
    expect(smtp.got).toHaveLength(0);
    const row = (await t.sql.rows<{ status: string; attempts: number; last_error: string }>('SELECT status, attempts, last_error FROM mail_outbox'))[0]!;
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row.last_error).toMatch(/^rejected: .*550/);
    expect(await metric(t, /^ykien_mail_failures_total\{reason="rejected"\}/)).toBe(1);
    expect(await metric(t, /^ykien_mail_given_up_total\{reason="rejected"\}/)).toBe(1);
    expect(await metric(t, /^ykien_mail_queue\{state="failed"\}/)).toBe(1);
    // The service still answers, and is ready: e-mail is not what readiness is about (votes and comments still work).
    expect((await t.http.get(thread())).status).toBe(200);
    expect((await t.http.get('/readyz')).status).toBe(200);
  });

  it('a temporary refusal (421) is retried with doubling delays, then sent', async () => {
    const smtp = await smtpServer({ refuse: [421, 421] });
    const t = await mailApp(smtp.url, ['vanthu@tienngoc.gov.vn']);
    await post(t);
    await settle(t);
    expect(smtp.rcptAttempts()).toBe(1);
    await settle(t); // not due yet: no second attempt at once
    expect(smtp.rcptAttempts()).toBe(1);
    expect(await metric(t, /^ykien_mail_queue\{state="queued"\}/)).toBe(1);
    t.clock.advance(MINUTE);
    await settle(t);
    expect(smtp.rcptAttempts()).toBe(2);
    t.clock.advance(MINUTE); // the second delay is two minutes
    await settle(t);
    expect(smtp.rcptAttempts()).toBe(2);
    t.clock.advance(MINUTE);
    await settle(t);
    expect(smtp.got).toHaveLength(1);
    expect(await metric(t, /^ykien_mail_failures_total\{reason="temporary"\}/)).toBe(2);
    expect(await metric(t, /^ykien_mail_sent_total\{kind="comment"\}/)).toBe(1);
  });

  it('gives up after MAIL_MAX_ATTEMPTS temporary refusals', async () => {
    const smtp = await smtpServer({ refuse: [421, 421, 421, 421] });
    const t = await mailApp(smtp.url, ['vanthu@tienngoc.gov.vn'], {}, { MAIL_MAX_ATTEMPTS: 3 });
    await post(t);
    for (let i = 0; i < 5; i++) {
      await settle(t);
      t.clock.advance(10 * MINUTE);
    }
    expect(smtp.rcptAttempts()).toBe(3);
    expect(await t.sql.value('SELECT status FROM mail_outbox')).toBe('failed');
    expect(await metric(t, /^ykien_mail_given_up_total\{reason="temporary"\}/)).toBe(1);
  });

  it('a server that never answers times out, and the mail is retried later', async () => {
    const stall = await stallingServer();
    const t = await mailApp(stall.url, ['vanthu@tienngoc.gov.vn'], {}, { MAIL_TIMEOUT_MS: 200 });
    await post(t);
    await settle(t);
    expect(stall.connections()).toBe(1);
    const row = (await t.sql.rows<{ status: string; attempts: number; last_error: string }>('SELECT status, attempts, last_error FROM mail_outbox'))[0]!;
    expect(row).toMatchObject({ status: 'queued', attempts: 1 });
    expect(row.last_error).toMatch(/^timeout: /);
    expect(await metric(t, /^ykien_mail_failures_total\{reason="timeout"\}/)).toBe(1);
    t.clock.advance(MINUTE);
    await settle(t);
    expect(stall.connections()).toBe(2);
  });

  it('never shows the SMTP password: not in an error, a log-bound message, or /metrics', async () => {
    const smtp = await smtpServer({ user: 'ykien', password: 'right-password-1' });
    const t = await mailApp(smtp.url.replace('right-password-1', 'Wrong-Pass-9876'), ['vanthu@tienngoc.gov.vn']);
    await post(t);
    await settle(t);
    const error = String(await t.sql.value('SELECT last_error FROM mail_outbox'));
    expect(error).toMatch(/^auth: /);
    expect(error).not.toContain('Wrong-Pass-9876');
    expect((await t.admin.get('/metrics')).text).not.toContain('Wrong-Pass-9876');
  });

  it('logs in with the credentials of SMTP_URL', async () => {
    const smtp = await smtpServer({ user: 'ykien', password: 'p@ss:wörd' });
    const t = await mailApp(smtp.url, ['vanthu@tienngoc.gov.vn']);
    await post(t);
    await settle(t);
    expect(smtp.got).toHaveLength(1);
    expect(smtp.got[0]!.user).toBe('ykien');
  });

  it('without SMTP_URL nothing is queued, whatever the site says', async () => {
    const t = await makeTestApp();
    await createSite(t);
    expect((await t.admin.patch('/v1/admin/sites/xa-a', { notifyEmails: ['vanthu@tienngoc.gov.vn'] })).status).toBe(200);
    await post(t);
    await settle(t);
    expect(await t.sql.value('SELECT COUNT(*) FROM mail_waiting')).toBe(0);
    expect(await t.sql.value('SELECT COUNT(*) FROM mail_outbox')).toBe(0);
  });

  it('approved comments and spam send no mail', async () => {
    const smtp = await smtpServer();
    const t = await mailApp(smtp.url, ['vanthu@tienngoc.gov.vn'], { premoderation: false });
    const res = await t.http.post(thread()).send(comment());
    expect(res.body.status).toBe('approved');
    await t.http.post(thread()).send(comment({ content: 'Xem https://a.example https://b.example https://c.example ngay' }));
    await settle(t);
    expect(smtp.got).toHaveLength(0);
  });

  it('two instances on one database send each mail once', async () => {
    const smtp = await smtpServer();
    const t = await mailApp(smtp.url, ['vanthu@tienngoc.gov.vn', 'chutich@tienngoc.gov.vn'], { notifyDigestMinutes: 5 });
    for (let i = 0; i < 4; i++) await post(t);
    t.clock.advance(6 * MINUTE);
    const other = await createContainer({ storage: await t.anotherStorage(), config: t.config, now: t.clock.now });
    await Promise.all([t.services.mail.tick(), other.mail.tick(), t.services.mail.tick()]);
    await Promise.all([t.services.mail.idle(), other.mail.idle()]);
    expect(smtp.got).toHaveLength(2);
  });
});
