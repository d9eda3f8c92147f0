import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from '../logger.js';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;
// A path is whatever a client typed: an e-mail, an IP or a pasted API key can sit in any segment of it.
const EMAIL_LIKE = /@/;
const IPV4_LIKE = /\b\d{1,3}(?:\.\d{1,3}){3}\b/;
const IPV6_LIKE = /(?:[0-9a-f]{0,4}:){2,}[0-9a-f]{0,4}/i;
const KEY_LIKE = /yk_[A-Za-z0-9_-]{8,}/;
/** Percent-decoding rounds tried per segment: "%252540" is "@" three rounds down. */
const DECODE_ROUNDS = 4;

/** The segment percent-decoded until it stops changing (at most DECODE_ROUNDS); malformed escapes stop it. */
function decoded(segment: string): string {
  let s = segment;
  for (let i = 0; i < DECODE_ROUNDS && s.includes('%'); i++) {
    try {
      const next = decodeURIComponent(s);
      if (next === s) break;
      s = next;
    } catch {
      break;
    }
  }
  return s;
}

const sensitive = (segment: string) => {
  const s = decoded(segment);
  return EMAIL_LIKE.test(s) || IPV4_LIKE.test(s) || IPV6_LIKE.test(s) || KEY_LIKE.test(s);
};

/** The path without its query string, with segments that are (once decoded) an e-mail, an IP or a key masked. */
export function loggablePath(url: string): string {
  const q = url.indexOf('?');
  const path = (q === -1 ? url : url.slice(0, q)).slice(0, 300);
  if (!path.includes('%') && !sensitive(path)) return path;
  return path
    .split('/')
    .map((seg) => (sensitive(seg) ? '[redacted]' : seg))
    .join('/');
}

/**
 * One log line per request with a request id (taken from X-Request-Id when sane), no IPs,
 * no query strings, no e-mails, IPs or keys typed into the path (however often percent-encoded): 5xx at error, 4xx at info, the rest at debug.
 *
 * Hand-written rather than pino-http: pino-http builds a child logger and serializes the
 * request for every request even when the line is not written, which cost about a tenth
 * of the service's CPU under load (see bench/results.md). Here nothing is built unless the
 * level is enabled.
 */
/** The middleware, and what the fast lane (src/http/lane/) calls for a request it answers without Express. */
export interface RequestLog extends RequestHandler {
  /** Starts the request's log line, written when `res` closes; returns its id (sending X-Request-Id is the caller's). */
  begin(req: IncomingMessage, res: ServerResponse, url: string): string;
}

export function requestLog(logger: Logger): RequestLog {
  const begin = (req: IncomingMessage, res: ServerResponse, url: string): string => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && SAFE_ID.test(incoming) ? incoming : randomUUID();
    (req as { id?: string }).id = id;
    const start = performance.now();
    const method = req.method;
    const done = (aborted: boolean) => {
      const status = res.statusCode;
      const level = status >= 500 ? 'error' : status >= 400 || aborted ? 'info' : 'debug';
      if (!logger.isLevelEnabled(level)) return;
      logger[level](
        {
          req: { id, method, path: loggablePath(url) },
          res: { status },
          responseTime: Math.round(performance.now() - start),
        },
        aborted ? 'request aborted' : 'request completed',
      );
    };
    res.once('close', () => done(!res.writableFinished));
    return id;
  };
  const middleware: RequestHandler = (req, res, next) => {
    res.setHeader('X-Request-Id', begin(req, res, req.originalUrl));
    next();
  };
  return Object.assign(middleware, { begin });
}
