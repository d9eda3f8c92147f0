import type { RequestHandler } from 'express';
import { sendProblem } from './problem.js';

/**
 * Refuses a request whose Content-Length announces more than `limit` bytes at once, from the
 * headers alone, and closes the connection. Without this, body-parser answers 413 only after
 * it has read (and thrown away) the whole announced body, so a client announcing 50 MB keeps
 * the connection busy until REQUEST_TIMEOUT_MS. Bodies without a length (chunked) are still
 * cut off by express.json's own limit.
 */
export function refuseOversizedBody(limit: number): RequestHandler {
  return (req, res, next) => {
    const length = req.headers['content-length'];
    if (length !== undefined && Number(length) > limit) {
      res.setHeader('Connection', 'close');
      sendProblem(res, 413, 'body_too_large', 'The request body is too large.');
      return;
    }
    next();
  };
}
