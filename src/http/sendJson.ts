import type { ServerResponse } from 'node:http';

/**
 * What Express's res.status(status).json(value) sends for a write's answer (no ETag, never fresh: a
 * POST), without its steps: res.json sets the type through mime and send parses it again to add the
 * charset, measures, looks for an ETag function and checks freshness. On a vote that was up to a tenth of
 * its CPU (bench/results.md, session 20). Same bytes, same headers: tests/sendJson.test.ts compares them.
 */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

let last: { value: object; bytes: Buffer } | undefined;

/**
 * The JSON bytes of an answer that consecutive responses share (the votes of one PostgreSQL batch are answered
 * one after another with one object: src/polls/polls.service.ts), serialized once: the last one is kept. Only
 * for objects nobody changes once answered.
 */
export function sharedJson(value: object): Buffer {
  if (last?.value !== value) last = { value, bytes: Buffer.from(JSON.stringify(value)) };
  return last.bytes;
}
