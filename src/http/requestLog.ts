import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../logger.js';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * One log line per request with a request id (taken from X-Request-Id when sane), no IPs,
 * no query strings: 5xx at error, 4xx at info, the rest at debug.
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
      const q = url.indexOf('?');
      logger[level](
        {
          req: { id, method, path: q === -1 ? url : url.slice(0, q) },
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
