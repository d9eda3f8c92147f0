import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { sendJson, sharedJson } from '../src/http/sendJson.js';

/** src/http/sendJson.ts against what it replaces, res.status(201).json(value), on apps set as app.ts sets its own. */
const appWith = (send: (res: express.Response, value: unknown) => void, value: unknown) => {
  const app = express();
  app.set('etag', false);
  app.disable('x-powered-by');
  app.post('/', (_req, res) => send(res, value));
  return app;
};

const values: unknown[] = [
  { pollId: 'cong-thong-tin', voted: true, results: { total: 21, voters: 21, options: [{ label: 'Đẹp, tiện lợi tra cứu', votes: 5, percent: 23.8 }] } },
  { content: 'Ý kiến bạn đọc: “Tổng cộng: 21 Phiếu” — <b>không</b> phải HTML', emoji: '👍', empty: '' },
  [],
  { nested: { deeper: [null, true, 0, -1.5, 'x'] } },
];

describe('sendJson answers as res.status(201).json does', () => {
  it('the same status, headers and bytes', async () => {
    for (const value of values) {
      const ours = await request(appWith((res, v) => sendJson(res, 201, v), value)).post('/');
      const theirs = await request(appWith((res, v) => void res.status(201).json(v), value)).post('/');
      const headers = (r: request.Response) => {
        const { date: _d, ...rest } = r.headers as Record<string, string>;
        return rest;
      };
      expect(ours.status).toBe(201);
      expect(headers(ours)).toEqual(headers(theirs));
      expect(ours.text).toBe(theirs.text);
    }
  });
});

describe('sharedJson: one answer object, serialized once', () => {
  it('gives the bytes JSON.stringify would, once per object, and fresh bytes for the next object', () => {
    const answer = values[0] as object;
    const first = sharedJson(answer);
    expect(first.toString('utf8')).toBe(JSON.stringify(answer));
    expect(sharedJson(answer)).toBe(first);
    const other = { ...(values[1] as object) };
    expect(sharedJson(other).toString('utf8')).toBe(JSON.stringify(other));
    // An equal but distinct object is another answer: serialized again, not taken for the last one.
    const equal = { ...other };
    expect(sharedJson(equal)).not.toBe(sharedJson(other));
    expect(sharedJson(equal).equals(Buffer.from(JSON.stringify(other)))).toBe(true);
  });
});
