import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isUtf8 } from 'node:buffer';
import express, { type RequestHandler } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../src/errors.js';
import { jsonBody } from '../src/http/jsonBody.js';
import { errorHandler } from '../src/http/problem.js';

/**
 * src/http/jsonBody.ts reads the common JSON body itself: every body below goes through it and through
 * express.json with the options it replaces, on two servers, and the answers (status, problem code, the
 * parsed body) must be the same, including bodies sent in several pieces.
 */
const LIMIT = 1024;
const theirs = express.json({
  limit: LIMIT,
  strict: true,
  verify: (_req, _res, buf) => {
    if (!isUtf8(buf)) throw new AppError(400, 'invalid_utf8', 'The request body is not valid UTF-8.');
  },
});

const serve = (parser: RequestHandler) => {
  const app = express();
  app.post('/', parser, (req, res) => void res.json({ body: req.body as unknown, type: typeof req.body }));
  app.use(errorHandler(() => undefined));
  return http.createServer(app);
};

const servers = { ours: serve(jsonBody(LIMIT)), theirs: serve(theirs) };
const port = (s: http.Server) => (s.address() as AddressInfo).port;
beforeAll(async () => {
  for (const s of Object.values(servers)) await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
});
afterAll(() => {
  for (const s of Object.values(servers)) s.close();
});

/** POSTs `pieces` (written one by one, with a pause between) to one server; answers status and JSON. */
function post(server: http.Server, pieces: Buffer[], headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: port(server), method: 'POST', path: '/', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown }));
    });
    req.on('error', reject);
    const next = (i: number) => {
      if (i === pieces.length) return void req.end();
      req.write(pieces[i]);
      setTimeout(() => next(i + 1), 5);
    };
    next(0);
  });
}

const bodies: [string, string | Buffer][] = [
  ['an object', '{"optionIds":["a","b"],"voterId":"v-1"}'],
  ['an array', '[1,2,3]'],
  ['Vietnamese text', JSON.stringify({ content: 'Ý kiến bạn đọc: Nguyễn Văn An, xã Tiến Ngọc' })],
  ['a byte-order mark', '\ufeff{"a":1}'],
  ['only a byte-order mark', '\ufeff'],
  ['whitespace first', ' \t\r\n{"a":1}'],
  ['only whitespace', '   '],
  ['empty', ''],
  ['null', 'null'],
  ['a number', '123'],
  ['a string', '"abc"'],
  ['cut short', '{"a":'],
  ['a trailing comma', '{"a":1,}'],
  ['not UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d])],
  ['a lone surrogate escape', '{"a":"\\ud800"}'],
  ['exactly the limit', `{"a":"${'x'.repeat(LIMIT - 8)}"}`],
  ['one byte over the limit', `{"a":"${'x'.repeat(LIMIT - 7)}"}`],
];
const types = ['application/json', 'application/json; charset=utf-8', 'Application/JSON', 'application/json; charset=UTF-8', 'application/json;charset=utf-8', 'application/json; charset=utf-16le', 'application/json; charset=latin1', 'text/plain'];

describe('jsonBody parses as express.json does', () => {
  it('every body, every content type, in one piece and in three', async () => {
    let compared = 0;
    for (const [name, body] of bodies) {
      const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
      const pieces = [bytes.subarray(0, 2), bytes.subarray(2, 5), bytes.subarray(5)].filter((p) => p.length);
      for (const type of types) {
        for (const split of [[bytes], pieces]) {
          const headers = { 'Content-Type': type, 'Content-Length': String(bytes.length) };
          const [a, b] = await Promise.all([post(servers.ours, split, headers), post(servers.theirs, split, headers)]);
          expect(a, `${name}, ${type}, ${split.length} piece(s)`).toEqual(b);
          compared++;
        }
      }
    }
    expect(compared).toBe(bodies.length * types.length * 2);
  });

  it('a parsed body, a refusal and a malformed one answer what the API promises', async () => {
    const headers = (n: number) => ({ 'Content-Type': 'application/json', 'Content-Length': String(n) });
    const ok = await post(servers.ours, [Buffer.from('{"a":"Phiếu"}')], headers(Buffer.byteLength('{"a":"Phiếu"}')));
    expect(ok).toEqual({ status: 200, body: { body: { a: 'Phiếu' }, type: 'object' } });
    const bad = await post(servers.ours, [Buffer.from('{"a":')], headers(5));
    expect(bad).toMatchObject({ status: 400, body: { code: 'malformed_json' } });
    const notUtf8 = await post(servers.ours, [Buffer.from([0x7b, 0xff, 0x7d])], headers(3));
    expect(notUtf8).toMatchObject({ status: 400, body: { code: 'invalid_utf8' } });
  });
});
