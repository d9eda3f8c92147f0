import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { sendProblem } from './problem.js';

/** The middleware, and what the fast lane's vote (src/http/lane/) asks before it reads a body itself. */
export interface BodyGuard extends RequestHandler {
  /** Whether the middleware lets `req` through (it refuses from the headers alone). */
  passes(req: IncomingMessage): boolean;
}

/**
 * Refuses a request whose Content-Length announces more than `limit` bytes at once, from the
 * headers alone, and closes the connection. Without this, body-parser answers 413 only after
 * it has read (and thrown away) the whole announced body, so a client announcing 50 MB keeps
 * the connection busy until REQUEST_TIMEOUT_MS. Bodies without a length (chunked) are still
 * cut off by express.json's own limit.
 */
export function refuseOversizedBody(limit: number): BodyGuard {
  const passes = (req: IncomingMessage) => {
    const length = req.headers['content-length'];
    return length === undefined || !(Number(length) > limit);
  };
  const middleware: RequestHandler = (req, res, next) => {
    if (!passes(req)) {
      res.setHeader('Connection', 'close');
      sendProblem(res, 413, 'body_too_large', 'The request body is too large.');
      return;
    }
    next();
  };
  return Object.assign(middleware, { passes });
}
