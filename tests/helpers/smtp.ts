import net from 'node:net';
import { afterEach } from 'vitest';
import { SMTPServer } from 'smtp-server';

/** One message as a real SMTP server received it: the envelope and the raw bytes, decoded as UTF-8. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  /** The authenticated user, when the client logged in. */
  user: string | undefined;
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

/**
 * A real SMTP server (the npm package smtp-server) on 127.0.0.1 at a free port. `refuse` answers RCPT TO with
 * the next code of the list (550, 421 …) while it lasts, then accepts. No STARTTLS: the client speaks plain SMTP.
 */
export async function smtpServer(o: { refuse?: number[]; user?: string; password?: string } = {}) {
  const got: ReceivedMail[] = [];
  const refusals = [...(o.refuse ?? [])];
  let rcptAttempts = 0;
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (o.user !== undefined && (auth.username !== o.user || auth.password !== o.password)) return cb(Object.assign(new Error('Invalid credentials'), { responseCode: 535 }));
      cb(null, { user: auth.username });
    },
    onRcptTo(_address, _session, cb) {
      rcptAttempts++;
      const code = refusals.shift();
      if (code) return cb(Object.assign(new Error(code >= 500 ? 'Mailbox unavailable' : 'Try again later'), { responseCode: code }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        got.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          user: session.user as string | undefined,
        });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as net.AddressInfo).port;
  closers.push(() => new Promise<void>((r) => server.close(() => r())));
  const auth = o.user !== undefined ? `${encodeURIComponent(o.user)}:${encodeURIComponent(o.password ?? '')}@` : '';
  return { url: `smtp://${auth}127.0.0.1:${port}`, port, got, rcptAttempts: () => rcptAttempts };
}

/** A server that accepts connections and never says a word: the SMTP greeting never comes. */
export async function stallingServer() {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((s) => {
    connections++;
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  closers.push(
    () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  );
  return { url: `smtp://127.0.0.1:${port}`, connections: () => connections };
}

/** The decoded body parts and headers of a raw message are not needed: tests read what is on the wire. */
export const headerOf = (raw: string, name: string) => {
  const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  return head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))?.slice(name.length + 1).trim();
};
