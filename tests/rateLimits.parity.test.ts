import express, { type RequestHandler } from 'express';
import { MemoryStore, rateLimit } from 'express-rate-limit';
import request from 'supertest';
import { afterEach, expect, it, vi } from 'vitest';
import { fixedWindowLimiter } from '../src/http/rateLimits.js';
import { sendProblem } from '../src/http/problem.js';
import { networkKey } from '../src/util/network.js';

/**
 * Our limiter (src/http/rateLimits.ts) answers as express-rate-limit's own middleware with the options
 * we used to give it: the same statuses, RateLimit / RateLimit-Policy / Retry-After headers and bodies,
 * request after request, with two limiters on one route, IPv6 /64 keys and a window that ends.
 */
const key = (req: express.Request) => networkKey(req.ip, 64);
const limited: RequestHandler = (_req, res) => sendProblem(res, 429, 'rate_limited', 'Too many requests from this address. Please wait a minute and try again.');

const theirs = (limit: number) =>
  rateLimit({ windowMs: 60_000, limit, standardHeaders: 'draft-8', legacyHeaders: false, keyGenerator: key, handler: limited, validate: { keyGeneratorIpFallback: false } });
const ours = (limit: number) => fixedWindowLimiter({ perMinute: limit, store: new MemoryStore(), key, onLimited: (req, res) => limited(req, res, () => undefined) });

const appWith = (make: (limit: number) => RequestHandler) => {
  const app = express();
  app.set('trust proxy', true);
  app.get('/one', make(3), (_req, res) => void res.json({ ok: true }));
  app.get('/two', make(5), make(2), (_req, res) => void res.json({ ok: true }));
  return app;
};

afterEach(() => {
  vi.useRealTimers();
});

it('answers request after request exactly as express-rate-limit does', async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse('2026-12-03T08:00:00Z'));
  const a = request(appWith(theirs));
  const b = request(appWith(ours));
  const seen = (r: request.Response) => ({
    status: r.status,
    ratelimit: r.headers.ratelimit,
    policy: r.headers['ratelimit-policy'],
    retryAfter: r.headers['retry-after'],
    body: r.text,
  });
  const clients = ['203.0.113.7', '2001:db8:1:2::1', '2001:db8:1:2::ffff', '2001:db8:9::1'];
  let limitedSeen = 0;
  let policy = '';
  // Within a window, later in it (t= counts down), and in the next windows.
  for (const step of [0, 20_000, 59_500, 61_000, 130_000]) {
    vi.setSystemTime(Date.parse('2026-12-03T08:00:00Z') + step);
    for (const path of ['/one', '/two'])
      for (let i = 0; i < 6; i++)
        for (const ip of clients) {
          const x = seen(await a.get(path).set('X-Forwarded-For', ip));
          const y = seen(await b.get(path).set('X-Forwarded-For', ip));
          expect(y).toEqual(x);
          if (x.status === 429) limitedSeen++;
          policy = String(x.policy);
        }
  }
  expect(limitedSeen).toBeGreaterThan(50);
  expect(policy).toMatch(/pk=:[A-Za-z0-9+/=]+:/);
});
