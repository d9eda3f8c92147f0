import type { Transporter } from 'nodemailer';

/** Why an attempt failed, as /metrics counts it: a short fixed list, whatever the server says. */
export type MailFailure = 'rejected' | 'temporary' | 'timeout' | 'connection' | 'auth' | 'other';

export interface SmtpAnswer {
  /** The server's last reply ("250 2.0.0 Ok: queued as …"). */
  response: string;
}

export class SmtpError extends Error {
  constructor(
    readonly reason: MailFailure,
    /** Worth another attempt later (4xx, a timeout, no connection) or not (a 5xx refusal). */
    readonly retry: boolean,
    message: string,
  ) {
    super(message);
  }
}

/** The parts of SMTP_URL that must never be printed: its user name and password, as written and decoded. */
function secretsOf(url: string): string[] {
  try {
    const u = new URL(url);
    return [u.username, u.password, decodeURIComponent(u.username), decodeURIComponent(u.password)].filter((s) => s.length >= 3);
  } catch {
    return [];
  }
}

/**
 * The SMTP connection of the moderator mails: one connection per mail (a few a minute at most), each step
 * bounded by `timeoutMs` (connecting, the greeting, every reply), so a server that accepts and never answers
 * costs one timeout, not a hang. Errors come out as SmtpError with a reason and a message that holds no
 * credential of SMTP_URL.
 */
export function smtpSender(o: { url: string; from: string; timeoutMs: number }) {
  const secrets = secretsOf(o.url);
  const scrub = (s: string) => secrets.reduce((t, secret) => t.split(secret).join('***'), s).slice(0, 300);
  // nodemailer (~16 MB of RSS) loads with the first mail, not at start: most instances never send one.
  let transport: Promise<Transporter> | undefined;
  const transportOf = () =>
    (transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport({
        url: o.url,
        connectionTimeout: o.timeoutMs,
        greetingTimeout: o.timeoutMs,
        socketTimeout: o.timeoutMs,
        disableFileAccess: true,
        disableUrlAccess: true,
      }),
    ));

  function classify(err: unknown): SmtpError {
    const e = err as { code?: string; responseCode?: number; message?: string };
    const message = scrub(String(e.message ?? err));
    if (e.code === 'EAUTH' || e.code === 'ENOAUTH') return new SmtpError('auth', true, message);
    if (typeof e.responseCode === 'number') {
      if (e.responseCode >= 500) return new SmtpError('rejected', false, message);
      if (e.responseCode >= 400) return new SmtpError('temporary', true, message);
    }
    if (e.code === 'ETIMEDOUT') return new SmtpError('timeout', true, message);
    if (e.code === 'ECONNECTION' || e.code === 'ESOCKET' || e.code === 'EDNS' || e.code === 'ETLS') return new SmtpError('connection', true, message);
    return new SmtpError('other', true, message);
  }

  return {
    /** One mail to one recipient (the others of its list never appear in it). */
    async send(m: { to: string; subject: string; text: string; html: string; headers?: Record<string, string> }): Promise<SmtpAnswer> {
      try {
        const info = await (await transportOf()).sendMail({ from: o.from, to: m.to, subject: m.subject, text: m.text, html: m.html, headers: m.headers ?? {} });
        return { response: scrub(String(info.response ?? '')) };
      } catch (err) {
        throw classify(err);
      }
    },
    close: (): void => void transport?.then((t) => t.close()),
  };
}

export type SmtpSender = ReturnType<typeof smtpSender>;
