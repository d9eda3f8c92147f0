import { AppError } from '../errors.js';
import type { Events } from '../events.js';
import type { Logger } from '../logger.js';
import type { Site } from '../sites/sites.store.js';
import { newId } from '../util/ids.js';
import { commentMail, digestMail } from './mail.compose.js';
import { SmtpError, smtpSender, type SmtpAnswer, type SmtpSender } from './mail.smtp.js';
import type { ComposedMail, ComposePlan, MailStore, OutboxMail, WaitingComment } from './mail.store.js';

export interface MailOptions {
  /** SMTP_URL; unset, e-mail is off and nothing is queued. */
  smtpUrl: string | undefined;
  from: string | undefined;
  timeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  /** Per-comment mails per site per hour before the rest wait for an hourly digest. */
  commentMailsPerHour: number;
  /** Where the console is (PUBLIC_URL), for the link to the queue. */
  publicUrl: string;
  now: () => number;
  sites: { get(id: string): Promise<Site | undefined> };
  events: Events;
  logger?: Logger | undefined;
  /** How often the job looks for work, in ms. */
  tickMs?: number;
  /** Tests stand in their own sender. */
  sender?: SmtpSender;
}

const HOUR = 3_600_000;
/** Mails sent at once in one round (each on its own connection). */
const BATCH = 10;
/** Sent and failed mails are kept this long for the operator, then deleted. */
const KEEP_MS = 7 * 24 * HOUR;
const MAX_BACKOFF_MS = 6 * HOUR;

/**
 * E-mail to a site's moderators about comments waiting for moderation. A pending comment is queued durably
 * (mail_waiting); a round of the job composes what is due into the outbox (one mail per comment, or a digest
 * every notifyDigestMinutes, and an hourly digest once a flood passes MAIL_COMMENT_MAILS_PER_HOUR), then claims
 * due outbox rows and sends them, retrying 4xx replies, timeouts and lost connections with doubling delays up
 * to MAIL_MAX_ATTEMPTS. Each instance runs the job; the store makes every comment go into one mail and every
 * mail go out once (at least once if an instance dies mid-send: its claim runs out and another sends again).
 */
export function mailService(store: MailStore, opts: MailOptions) {
  const enabled = opts.smtpUrl !== undefined && opts.from !== undefined;
  let sender: SmtpSender | undefined = opts.sender;
  const smtp = () => (sender ??= smtpSender({ url: opts.smtpUrl!, from: opts.from!, timeoutMs: opts.timeoutMs }));
  // A claim outlives the longest attempt (connect + greeting + each reply, a timeout each) with room to spare.
  const leaseMs = opts.timeoutMs * 6 + 30_000;
  const inFlight = new Set<Promise<unknown>>();
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> | undefined;
  let prunedAt = 0;
  let stopped = false;

  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  };

  const composed = (kind: ComposedMail['kind'], site: Site, content: { subject: string; text: string; html: string }): ComposedMail => ({
    batch: newId(16),
    kind,
    recipients: site.notifyEmails,
    ...content,
  });

  /** What to mail now for one site: the pure decision, inside the store's transaction. */
  function plan(site: Site | undefined, waiting: WaitingComment[], recent: number, now: number): ComposePlan {
    // Moderated (or no longer pending) before its mail went: nothing to say about it.
    const gone = waiting.filter((c) => c.status !== 'pending').map((c) => c.id);
    const pending = waiting.filter((c) => c.status === 'pending');
    if (!site || site.notifyEmails.length === 0 || pending.length === 0) return { mails: [], consumed: waiting.map((c) => c.id) };
    const oldest = pending[0]!.queuedAt;
    const digest = (): ComposePlan => ({ mails: [composed('digest', site, digestMail(site, pending, opts.publicUrl))], consumed: waiting.map((c) => c.id) });
    if (site.notifyDigestMinutes > 0) return oldest <= now - site.notifyDigestMinutes * 60_000 ? digest() : { mails: [], consumed: gone };
    const allowance = Math.max(0, opts.commentMailsPerHour - recent);
    if (allowance >= pending.length)
      return { mails: pending.map((c) => composed('comment', site, commentMail(site, c, opts.publicUrl))), consumed: waiting.map((c) => c.id) };
    // A flood: what the hour's allowance cannot take waits, and goes as one digest once the oldest waited an hour.
    if (oldest <= now - HOUR) return digest();
    if (allowance === 0) return { mails: [], consumed: gone };
    const now_ = pending.slice(0, allowance);
    return { mails: now_.map((c) => composed('comment', site, commentMail(site, c, opts.publicUrl))), consumed: [...gone, ...now_.map((c) => c.id)] };
  }

  async function compose(): Promise<void> {
    const now = opts.now();
    for (const w of await store.waitingSites()) {
      const site = await opts.sites.get(w.siteId);
      await store.compose(w.siteId, now - HOUR, now, (waiting, recent) => plan(site, waiting, recent, now));
    }
  }

  async function deliver(m: OutboxMail): Promise<void> {
    try {
      await smtp().send({ to: m.recipient, subject: m.subject, text: m.text, html: m.html, headers: { 'X-Ykien-Site': m.siteId, 'Auto-Submitted': 'auto-generated' } });
      await store.sent(m.id, opts.now());
      opts.events.emit({ type: 'mail.sent', kind: m.kind });
    } catch (err) {
      const e = err instanceof SmtpError ? err : new SmtpError('other', true, String(err));
      opts.events.emit({ type: 'mail.failed', reason: e.reason });
      const error = `${e.reason}: ${e.message}`;
      if (!e.retry || m.attempts >= opts.maxAttempts) {
        await store.fail(m.id, opts.now(), error);
        opts.events.emit({ type: 'mail.given_up', reason: e.reason });
        opts.logger?.warn({ site: m.siteId, mail: m.id, attempts: m.attempts, reason: e.reason, error: e.message }, 'moderator mail given up');
        return;
      }
      const delay = Math.min(MAX_BACKOFF_MS, opts.retryBaseMs * 2 ** (m.attempts - 1));
      await store.retry(m.id, opts.now() + delay, error);
      opts.logger?.info({ site: m.siteId, mail: m.id, attempts: m.attempts, reason: e.reason, retryInMs: delay }, 'moderator mail will be retried');
    }
  }

  async function send(): Promise<void> {
    for (;;) {
      if (stopped) return;
      const due = await store.claim(opts.now(), leaseMs, BATCH);
      if (!due.length) return;
      await Promise.all(due.map((m) => track(deliver(m))));
      if (due.length < BATCH) return;
    }
  }

  async function runRound(): Promise<void> {
    await compose();
    await send();
    const now = opts.now();
    if (now - prunedAt >= HOUR) {
      prunedAt = now;
      await store.prune(now - KEEP_MS);
    }
  }

  /** One round of the job; a round already running is joined, not doubled. */
  function tick(): Promise<void> {
    if (!enabled) return Promise.resolve();
    return (round ??= track(runRound()).finally(() => (round = undefined)));
  }

  return {
    enabled,

    /** A comment now waits for moderation: queue it for its site's moderators, after the response. Never throws. */
    notify(site: Site, commentId: string): void {
      if (!enabled || site.notifyEmails.length === 0) return;
      track(
        store
          .enqueue(site.id, commentId, opts.now())
          .then(() => (site.notifyDigestMinutes === 0 && !stopped ? tick() : undefined))
          .catch((err: unknown) => opts.logger?.error({ err, site: site.id }, 'queuing or sending a moderator mail failed')),
      );
    },

    tick,

    /** Starts the job on a timer (the server). */
    start(): void {
      if (!enabled || timer) return;
      stopped = false;
      timer = setInterval(() => {
        tick().catch((err: unknown) => opts.logger?.error({ err }, 'moderator mail round failed'));
      }, opts.tickMs ?? 5_000);
      timer.unref();
    },

    /** Stops the timer and new rounds; what is being sent finishes (idle()). */
    stop(): void {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
    },

    /** Resolves when every queuing and send under way has finished. */
    async idle(): Promise<void> {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },

    /** Closes the SMTP connections (after idle()). */
    close(): void {
      sender?.close();
    },

    counts: () => store.counts(),

    /** `ykien mail test --to ADDR`: one mail now, and the server's answer. */
    async test(to: string): Promise<SmtpAnswer> {
      if (!enabled) throw new AppError(400, 'mail_disabled', 'E-mail is off: set SMTP_URL and MAIL_FROM.');
      try {
        return await smtp().send({
          to,
          subject: 'ykien: thư thử (test mail)',
          text: 'Đây là thư thử do lệnh "ykien mail test" gửi. Nếu bạn đọc được thư này, ykien gửi được thư tới người kiểm duyệt.\n\nThis is a test mail from "ykien mail test".\n',
          html: '<!doctype html><html lang="vi"><head><meta charset="utf-8"></head><body><p>Đây là thư thử do lệnh <code>ykien mail test</code> gửi. Nếu bạn đọc được thư này, ykien gửi được thư tới người kiểm duyệt.</p><p lang="en">This is a test mail from <code>ykien mail test</code>.</p></body></html>',
        });
      } catch (err) {
        if (err instanceof SmtpError) throw new AppError(502, `mail_${err.reason}`, `The SMTP server did not take the mail (${err.reason}): ${err.message}`);
        throw err;
      }
    },
  };
}

export type MailService = ReturnType<typeof mailService>;
