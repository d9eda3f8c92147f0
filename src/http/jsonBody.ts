import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import express, { type RequestHandler } from 'express';
import { AppError } from '../errors.js';

/** Bytes that are not UTF-8 would be decoded to U+FFFD and stored silently: refuse them instead. */
function verifyUtf8(buf: Buffer): void {
  if (!isUtf8(buf)) throw new AppError(400, 'invalid_utf8', 'The request body is not valid UTF-8.');
}

/** body-parser's error for a body that is not JSON (or not an object or array): the error handler's malformed_json. */
function parseFailed(cause: unknown): Error {
  const err = cause instanceof SyntaxError ? cause : new SyntaxError('Unexpected token in JSON');
  return Object.assign(err, { status: 400, statusCode: 400, expose: true, type: 'entity.parse.failed' });
}

const PLAIN_TYPES = new Set(['application/json', 'application/json; charset=utf-8']);
const EMPTY = Buffer.alloc(0);
const WHITESPACE = /^[\x20\x09\x0a\x0d]*/;

/** The middleware, and what the fast lane's vote (src/http/lane/) calls on a request it holds without Express. */
export interface JsonBody extends RequestHandler {
  /** Whether the body is the plain kind this reader parses itself (else body-parser does, through the middleware). */
  plain(req: IncomingMessage): boolean;
  /** Reads a plain body as the middleware does; `done` gets the error the middleware would pass on, or the value. */
  read(req: IncomingMessage, done: (err: unknown, body?: unknown) => void): void;
}

/**
 * JSON bodies: express.json (body-parser) with a strict parser, `limit` and UTF-8 only, and in front
 * of it a short way for the body nearly every client sends (Content-Type application/json, UTF-8 or no
 * charset, a Content-Length within the limit, no Content-Encoding): read in one go and parsed as
 * body-parser parses it (the BOM dropped, an empty body as {}, only an object or array, the same
 * errors), without its type, charset and stream machinery, which cost ~15 % of a vote's CPU
 * (bench/results.md). Anything else goes to body-parser itself.
 */
export function jsonBody(limit: number): JsonBody {
  const parser = express.json({ limit, strict: true, verify: (_req, _res, buf) => verifyUtf8(buf) });
  const plain = (req: IncomingMessage): boolean => {
    const h = req.headers;
    const type = h['content-type'];
    const length = h['content-length'];
    return (
      type !== undefined &&
      length !== undefined &&
      h['transfer-encoding'] === undefined &&
      h['content-encoding'] === undefined &&
      PLAIN_TYPES.has(type.toLowerCase()) &&
      Number(length) <= limit &&
      !(req as { _body?: boolean })._body &&
      !req.readableEnded
    );
  };
  const read = (req: IncomingMessage, done: (err: unknown, body?: unknown) => void): void => {
    (req as { _body?: boolean })._body = true;
    const chunks: Buffer[] = [];
    let size = 0;
    // One outcome per request; the listeners stay (the request is over when any of them has fired).
    let settled = false;
    const settle = (err: unknown, body?: unknown) => {
      if (settled) return;
      settled = true;
      done(err, body);
    };
    req.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
    });
    req.on('end', () => {
      const buf = size === 0 ? EMPTY : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      try {
        verifyUtf8(buf);
      } catch (err) {
        return settle(err);
      }
      let text = buf.toString('utf8');
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (text.length === 0) return settle(undefined, {});
      const first = text[WHITESPACE.exec(text)![0].length];
      if (first !== '{' && first !== '[') return settle(parseFailed(undefined));
      let body: unknown;
      try {
        body = JSON.parse(text) as unknown;
      } catch (err) {
        return settle(parseFailed(err));
      }
      settle(undefined, body);
    });
    const aborted = () => Object.assign(new Error('request aborted'), { status: 400, statusCode: 400, expose: true, type: 'request.aborted' });
    req.on('error', () => settle(aborted()));
    req.on('close', () => {
      if (!req.readableEnded) settle(aborted());
    });
  };
  const middleware: RequestHandler = (req, res, next) => {
    if (!plain(req)) return parser(req, res, next);
    req.body = undefined;
    read(req, (err, body) => {
      if (err === undefined) req.body = body;
      next(err);
    });
  };
  return Object.assign(middleware, { plain, read });
}
