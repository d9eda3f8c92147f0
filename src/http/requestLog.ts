import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../logger.js';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;
// A path is whatever a client typed: an e-mail or an IP can sit in any segment of it.
const EMAIL_LIKE = /@|%40/i;
const IPV4_LIKE = /\b\d{1,3}(?:\.\d{1,3}){3}\b/;
const IPV6_LIKE = /(?:[0-9a-f]{0,4}(?::|%3a)){2,}[0-9a-f]{0,4}/i;

/** The path without its query string, with segments that look like an e-mail or an IP masked. */
export function loggablePath(url: string): string {
  const q = url.indexOf('?');
  const path = (q === -1 ? url : url.slice(0, q)).slice(0, 300);
  if (!EMAIL_LIKE.test(path) && !IPV4_LIKE.test(path) && !IPV6_LIKE.test(path)) return path;
  return path
    .split('/')
    .map((seg) => (EMAIL_LIKE.test(seg) || IPV4_LIKE.test(seg) || IPV6_LIKE.test(seg) ? '[redacted]' : seg))
    .join('/');
}

/**
 * One log line per request with a request id (taken from X-Request-Id when sane), no IPs,
 * no query strings, no e-mails or IPs typed into the path: 5xx at error, 4xx at info, the rest at debug.
 *
 * Hand-written rather than pino-http: pino-http builds a child logger and serializes the
 * request for every request even when the line is not written, which cost about a tenth
 * of the service's CPU under load (see bench/results.md). Here nothing is built unless the
 * level is enabled.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && SAFE_ID.test(incoming) ? incoming : randomUUID();
    (req as { id?: string }).id = id;
    res.setHeader('X-Request-Id', id);
    const start = performance.now();
    const method = req.method;
    const url = req.originalUrl;
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
    next();
  };
}
