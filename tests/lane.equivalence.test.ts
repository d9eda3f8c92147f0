import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildWidget } from '../scripts/build-widget.mjs';
import { createApp, type App } from '../src/app.js';
import type { Config } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createPoll, createSite, emptyDatabase, newVoter, type TestApp } from './helpers/app.js';
import { createSurvey } from './helpers/surveys.js';

/**
 * The fast lane (src/http/lane/) against plain Express on one app (one cache, one limiter, one metrics
 * registry, one log): each request goes once through each path, and everything but timing and the
 * request id's value must be the same. A counter on app.handle tells which path answered, so a lane that
 * silently fell through for everything cannot pass. Runs on PostgreSQL too (vitest.config.ts).
 */
type Line = Record<string, unknown> & { req?: { id?: string; method?: string; path?: string }; res?: { status?: number } };
type Listener = (req: IncomingMessage, res: ServerResponse) => void;

async function setup(overrides: Partial<Config> = {}) {
  const d = await emptyDatabase();
  const config = d.config({ LOG_LEVEL: 'debug', TRUST_PROXY: 'loopback', ...overrides });
  const lines: Line[] = [];
  const logger = createLogger(config, { write: (s: string) => void lines.push(JSON.parse(s) as Line) });
  const app: App = await createApp({ storage: d.storage, config, logger });
  const services = app.locals.services;
  const adminKey = (await services.keys.create({ name: 'Test admin', role: 'admin' })).key;
  // Every request Express's own app.handle sees: the lane answering itself leaves it alone.
  let viaExpress = 0;
  const express = app as unknown as { handle: (...a: unknown[]) => void };
  const handle = express.handle.bind(app);
  express.handle = (...a) => {
    viaExpress++;
    handle(...a);
  };
  // Headers set one by one on the lane: none when it writes a hit itself with one writeHead (the direct
  // path), some when it runs the app's middleware on Express's objects (a refusal, a 429, an If-None-Match list).
  let laneSetHeaders = 0;
  const laneListener = app.locals.lane as Listener;
  const lane = request((req: IncomingMessage, res: ServerResponse) => {
    const setHeader = res.setHeader.bind(res);
    res.setHeader = (...a: Parameters<ServerResponse['setHeader']>) => {
      laneSetHeaders++;
      return setHeader(...a);
    };
    laneListener(req, res);
  });
  const plain = request(app as unknown as Listener);
  const admin = {
    get: (url: string) => plain.get(url).set('Authorization', `Bearer ${adminKey}`),
    post: (url: string, body?: object) => plain.post(url).set('Authorization', `Bearer ${adminKey}`).send(body),
  };
  const t = { admin } as unknown as TestApp;
  await createSite(t, { premoderation: false });
  const poll = await createPoll(t);
  const { survey } = await createSurvey(t);
  for (const content of ['Trang mới dễ tra cứu thủ tục hơn.', 'Xin thêm lịch tiếp dân của xã.']) {
    const res = await plain.post('/v1/sites/xa-a/threads/tin-tuc-1/comments').send({ name: 'Nguyễn Văn An', content });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }

  /** Every sample of /metrics but /metrics' own, timing (sums, buckets below +Inf) and process figures. */
  const metrics = async (): Promise<Map<string, number>> => {
    const res = await admin.get('/metrics');
    expect(res.status).toBe(200);
    const out = new Map<string, number>();
    for (const line of res.text.split('\n')) {
      if (!line || line.startsWith('#') || line.includes('route="/metrics"')) continue;
      if (/^(process_|nodejs_)/.test(line) || /_sum[{ ]/.test(line) || (line.includes('_bucket{') && !line.includes('le="+Inf"'))) continue;
      const at = line.lastIndexOf(' ');
      out.set(line.slice(0, at), Number(line.slice(at + 1)));
    }
    return out;
  };
  const delta = (a: Map<string, number>, b: Map<string, number>) => {
    const out: Record<string, number> = {};
    for (const [k, v] of b) if (v !== (a.get(k) ?? 0)) out[k] = v - (a.get(k) ?? 0);
    return out;
  };
  /** The request lines written since `from`, without /metrics' own and what varies (time, id, timing). */
  const requestLines = (from: number) =>
    lines
      .slice(from)
      .filter((l) => l.req && l.req.path !== '/metrics')
      .map(({ time: _t, pid: _p, hostname: _h, responseTime, req, ...rest }) => {
        expect(typeof responseTime).toBe('number');
        return { ...rest, req: { ...req, id: typeof req?.id === 'string' ? 'id' : req?.id } };
      });

  const comparable = (res: request.Response) => {
    const { date: _date, 'x-request-id': id, ...headers } = res.headers as Record<string, string>;
    expect(id).toMatch(/^[A-Za-z0-9._:-]{1,64}$/);
    return { status: res.status, headers, body: res.text ?? (Buffer.isBuffer(res.body) ? res.body.toString('base64') : res.body) };
  };

  type Send = (agent: ReturnType<typeof request>) => request.Test;
  /** One request through one path: its answer, its request log lines, its metrics and whether Express saw it. */
  const through = async (agent: ReturnType<typeof request>, send: Send) => {
    const m0 = await metrics();
    const l0 = lines.length;
    const e0 = viaExpress;
    const s0 = laneSetHeaders;
    const res = await send(agent);
    const expressed = viaExpress - e0;
    const direct = laneSetHeaders === s0;
    const logged = requestLines(l0);
    return { res, expressed, direct, logged, metrics: delta(m0, await metrics()) };
  };
  /** A write outside HTTP (no log line, no request count): every cached answer is gone after it. */
  const emptyCache = async () => {
    await services.keys.create({ name: `Khóa ${Math.random().toString(36).slice(2, 8)}`, role: 'admin' });
  };
  /**
   * Sends `send` through the lane, then through plain Express, each from the same cache state (a miss
   * empties the cache before each), and compares answer, log line and metrics. `answered`: whether the lane
   * must have answered itself; otherwise it must have handed the request to Express.
   */
  const same = async (send: Send, answered: boolean) => {
    if (!answered) await emptyCache();
    const a = await through(lane, send);
    if (!answered) await emptyCache();
    const b = await through(plain, send);
    expect(a.expressed, 'requests Express saw on the lane').toBe(answered ? 0 : 1);
    expect(comparable(a.res)).toEqual(comparable(b.res));
    expect(a.logged).toHaveLength(1);
    expect(a.logged).toEqual(b.logged);
    expect(Object.keys(a.metrics).length).toBeGreaterThan(0);
    expect(a.metrics).toEqual(b.metrics);
    return { lane: a.res, plain: b.res, metrics: a.metrics, line: a.logged[0]!, direct: a.direct };
  };
  return { app, services, config, lane, plain, admin, poll, survey, same, through, metrics, delta, lines, seenByExpress: () => viaExpress };
}

const ORIGIN = 'https://xa-a.example.vn';
const FOREIGN = 'https://lua-dao.example.com';

describe('the fast lane answers hot reads exactly as Express does', () => {
  // A clean checkout has no widget build until a test makes one: the lane serves only files that exist.
  beforeAll(async () => {
    await buildWidget();
  });

  it('polls, results, surveys, threads, comment counts: 200 from the cache, 304, HEAD, CORS allowed and refused', async () => {
    const s = await setup();
    const paths = [
      `/v1/polls/${s.poll.id}`,
      `/v1/polls/${s.poll.id}/results`,
      `/v1/surveys/${s.survey.id}`,
      `/v1/surveys/${s.survey.id}/results`,
      '/v1/sites/xa-a/threads/tin-tuc-1/comments',
      '/v1/sites/xa-a/threads/tin-tuc-1/comments?limit=1',
      '/v1/sites/xa-a/comment-counts?thread=tin-tuc-1&thread=tin-tuc-2',
      `/v1/polls/${s.poll.id}?voterId=${newVoter()}`,
    ];
    for (const path of paths) {
      // A miss is Express's (and fills the cache); the next read is the lane's.
      await s.same((h) => h.get(path), false);
      const hit = await s.same((h) => h.get(path), true);
      expect(hit.lane.status, path).toBe(200);
      expect(hit.direct, `${path}: written directly`).toBe(true);
      expect(hit.lane.headers.etag).toMatch(/^"/);
      const etag = hit.lane.headers.etag!;
      const fresh = await s.same((h) => h.get(path).set('If-None-Match', etag), true);
      expect(fresh.lane.status).toBe(304);
      expect(fresh.lane.text).toBe('');
      expect(fresh.direct).toBe(true);
      // A list, a weak tag or a reload's Cache-Control: Express's send decides, run by the lane on Express's objects.
      const listed = await s.same((h) => h.get(path).set('If-None-Match', `"x", W/${etag}`), true);
      expect(listed.lane.status).toBe(304);
      expect(listed.direct).toBe(false);
      const reload = await s.same((h) => h.get(path).set('If-None-Match', etag).set('Cache-Control', 'no-cache'), true);
      expect(reload.lane.status).toBe(200);
      const stale = await s.same((h) => h.get(path).set('If-None-Match', '"other"'), true);
      expect(stale.lane.status).toBe(200);
      const head = await s.same((h) => h.head(path), true);
      expect(head.lane.status).toBe(200);
      expect(head.direct).toBe(true);
      const allowed = await s.same((h) => h.get(path).set('Origin', ORIGIN), true);
      expect(allowed.lane.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(allowed.direct).toBe(true);
      const refused = await s.same((h) => h.get(path).set('Origin', FOREIGN), true);
      expect(refused.lane.status).toBe(403);
      expect(refused.lane.body.code).toBe('origin_not_allowed');
      expect(refused.direct).toBe(false);
    }
  });

  it('counts a hit under the route pattern in Prometheus and logs it at debug, as Express does', async () => {
    const s = await setup();
    const path = '/v1/sites/xa-a/threads/tin-tuc-1/comments';
    await s.same((h) => h.get(path), false);
    const hit = await s.same((h) => h.get(path), true);
    expect(hit.line).toMatchObject({ level: 20, msg: 'request completed', req: { method: 'GET', path }, res: { status: 200 } });
    const counted = Object.keys(hit.metrics).join('\n');
    expect(counted).toContain('route="/v1/sites/:site/threads/:thread/comments"');
    expect(counted).not.toContain('xa-a');
    const refused = await s.same((h) => h.get(path).set('Origin', FOREIGN), true);
    expect(refused.line).toMatchObject({ level: 30, res: { status: 403 } });
  });

  it('serves /widget.js and its hashed file with the same headers and 304', async () => {
    const s = await setup();
    const js = await s.same((h) => h.get('/widget.js'), true);
    if (js.lane.status === 503) throw new Error('the widget is not built: npm run build:widget');
    expect(js.lane.status).toBe(200);
    expect(js.lane.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(js.direct).toBe(true);
    const fresh = await s.same((h) => h.get('/widget.js').set('If-None-Match', js.lane.headers.etag!), true);
    expect(fresh.lane.status).toBe(304);
    expect(fresh.direct).toBe(true);
    await s.same((h) => h.get('/widget.js').set('If-None-Match', `W/${js.lane.headers.etag!}`), true);
    await s.same((h) => h.get('/widget.js').set('If-None-Match', '*'), true);
    await s.same((h) => h.get('/widget.js').set('Accept-Encoding', 'gzip, br'), true);
    await s.same((h) => h.head('/widget.js'), true);
    const hashed = await s.same((h) => h.get('/survey.0123456789.js'), true);
    expect(hashed.lane.status).toBe(200);
    await s.same((h) => h.get('/widget.0123456789.js'), false); // an old version: Express's 404
  });

  it('leaves to Express whatever it does not model: unknown site or poll, bad query, Range, preflight, writes', async () => {
    const s = await setup();
    const path = `/v1/polls/${s.poll.id}`;
    await s.same((h) => h.get(path), false);
    await s.same((h) => h.get(path), true);
    await s.same((h) => h.get('/v1/sites/khong-co/threads/tin-tuc-1/comments'), false);
    await s.same((h) => h.get('/v1/polls/khong-co'), false);
    await s.same((h) => h.get(`${path}?voterId=`), false);
    await s.same((h) => h.get(path).set('Range', 'bytes=0-10'), false);
    await s.same((h) => h.get(`${path}/`), false);
    await s.same((h) => h.options(path).set('Origin', ORIGIN).set('Access-Control-Request-Method', 'POST'), false);
    await s.same((h) => h.get('/v1/sites/xa-a/comment-counts'), false);
  });

  it('a write between two reads: the next read is fresh on both paths', async () => {
    const s = await setup();
    const path = `/v1/polls/${s.poll.id}/results`;
    await s.same((h) => h.get(path), false);
    const first = await s.same((h) => h.get(path), true);
    const vote = await s.plain.post(`/v1/polls/${s.poll.id}/votes`).send({ optionIds: [s.poll.options[0]!.id], voterId: newVoter() });
    expect(vote.status, JSON.stringify(vote.body)).toBe(201);
    const after = await s.same((h) => h.get(path), false); // the cache was emptied: Express builds it again
    expect(after.lane.text).not.toBe(first.lane.text);
    await s.same((h) => h.get(path), true);
  });

  it('a write that lands while the lane waits: the answer of the read\'s arrival, one log line, one count, one hit on the limit, and the next read fresh', async () => {
    const s = await setup({ RATE_LIMIT_READ_PER_MIN: 50 });
    const path = `/v1/polls/${s.poll.id}/results`;
    const from0 = { 'X-Forwarded-For': '203.0.113.7', Origin: ORIGIN };
    await s.plain.get(path).set(from0);
    const hit = await s.lane.get(path).set(from0);
    expect(hit.headers.ratelimit).toMatch(/r=48/);
    // The lane has taken its answer from the cache when CORS asks for the poll's site: a vote is
    // acknowledged right then, before the read limit and the send.
    const polls = s.services.polls;
    const siteOf = polls.siteOf.bind(polls);
    let voted = 0;
    polls.siteOf = async (id) => {
      polls.siteOf = siteOf;
      const vote = await polls.vote(s.poll.id, { optionIds: [s.poll.options[1]!.id], voterId: newVoter() }, { ip: '198.51.100.1', userAgent: 'test' });
      voted = vote.results?.voters ?? -1;
      return siteOf(id);
    };
    const from = s.lines.length;
    const before = s.seenByExpress();
    const raced = await s.lane.get(path).set(from0);
    expect(voted).toBeGreaterThan(0);
    expect(s.seenByExpress() - before).toBe(0);
    expect(raced.status).toBe(200);
    expect(raced.text).toBe(hit.text);
    expect(raced.headers.ratelimit).toMatch(/r=47/);
    const fresh = await s.lane.get(path).set(from0);
    expect(s.seenByExpress() - before).toBe(1); // the vote emptied the cache: Express built the fresh answer
    expect(fresh.text).not.toBe(hit.text);
    expect((JSON.parse(fresh.text) as { voters: number }).voters).toBe(voted);
    expect(fresh.headers.ratelimit).toMatch(/r=46/);
    expect(s.lines.slice(from).filter((l) => l.req?.path === path)).toHaveLength(2); // raced + fresh
  });

  it('the read limit: the same limiter and key (an IPv6 /64) on both paths, 429 with Retry-After after the same count', async () => {
    const s = await setup({ RATE_LIMIT_READ_PER_MIN: 5 });
    const path = `/v1/polls/${s.poll.id}`;
    await s.plain.get(path).set('X-Forwarded-For', '2001:db8:9::1'); // fills the cache
    const statuses: number[] = [];
    // Alternating paths and addresses of one /64 share one count.
    for (let i = 0; i < 6; i++) {
      const agent = i % 2 ? s.plain : s.lane;
      statuses.push((await agent.get(path).set('X-Forwarded-For', `2001:db8:1:0::${i + 1}`)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await s.same((h) => h.get(path).set('X-Forwarded-For', '2001:db8:1::99'), true);
    expect(limited.lane.status).toBe(429);
    expect(limited.lane.body.code).toBe('rate_limited');
    expect(limited.direct).toBe(false);
    expect(Number(limited.lane.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.line).toMatchObject({ level: 30, res: { status: 429 } });
    // Another /64 is counted on its own.
    expect((await s.lane.get(path).set('X-Forwarded-For', '2001:db8:2::1')).status).toBe(200);
  });
});

describe('the fast lane casts a vote exactly as Express does', () => {
  const votes = (id: string) => `/v1/polls/${id}/votes`;
  let seq = 0;
  /** Each vote from an address of its own: the per-address cap is not what these tests are about. */
  const from = () => ({ 'X-Forwarded-For': `198.51.100.${++seq % 250}` });

  it('a vote: 201 with the fresh results, the same headers, log line and counts on both paths', async () => {
    const s = await setup();
    const option = s.poll.options[0]!.id;
    const cast = (h: ReturnType<typeof request>) => h.post(votes(s.poll.id)).set(from()).set('Origin', ORIGIN).send({ optionIds: [option], voterId: newVoter() });
    // The first vote reads the poll's site from storage (on Express's objects); from then on it is in memory.
    expect((await cast(s.lane)).status).toBe(201);
    const a = await s.through(s.lane, cast);
    const b = await s.through(s.plain, cast);
    expect(a.expressed, 'requests Express saw on the lane').toBe(0);
    expect(a.direct, 'the vote written with one writeHead, no Express objects').toBe(true);
    expect(b.expressed).toBe(1);
    expect(a.res.status, JSON.stringify(a.res.body)).toBe(201);
    expect(b.res.status).toBe(201);
    const headers = (res: request.Response) => {
      const { date: _d, 'x-request-id': _id, ratelimit, 'content-length': length, ...rest } = res.headers as Record<string, string>;
      expect(Number(length)).toBe(Buffer.byteLength(res.text));
      return { ...rest, ratelimit: ratelimit?.replace(/r=\d+/, 'r=n') };
    };
    expect(headers(a.res)).toEqual(headers(b.res));
    expect(a.res.headers['content-type']).toBe('application/json; charset=utf-8');
    // The second vote's answer counts the first: otherwise the two answers are the same.
    const voters = (res: request.Response) => (res.body as { results: { voters: number } }).results.voters;
    expect(voters(b.res)).toBe(voters(a.res) + 1);
    const shape = (res: request.Response) => JSON.parse(res.text.replace(/\d+(\.\d+)?/g, '0')) as unknown;
    expect(shape(a.res)).toEqual(shape(b.res));
    expect(a.logged).toHaveLength(1);
    expect(a.logged).toEqual(b.logged);
    expect(Object.keys(a.metrics).join('\n')).toContain('route="/v1/polls/:id/votes"');
    expect(a.metrics).toEqual(b.metrics);
  });

  it('refusals, malformed and unusual bodies: the same problem, headers, log line and counts on both paths', async () => {
    const s = await setup();
    const option = s.poll.options[0]!.id;
    const json = (body: string | Buffer) => (h: ReturnType<typeof request>) => h.post(votes(s.poll.id)).set(from()).set('Content-Type', 'application/json').send(body);
    const cases: [string, (h: ReturnType<typeof request>) => request.Test, number][] = [
      ['not JSON', json('{"optionIds": ['), 400],
      ['a string, not an object', json('"abc"'), 400],
      ['not UTF-8', json(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])), 400],
      ['an empty body', json(''), 400],
      ['whitespace before a bad token', json('  \n nope'), 400],
      ['a byte-order mark, then a vote with no voter', json(`\ufeff{"optionIds":["${option}"]}`), 400],
      ['an unknown option', json('{"optionIds":["khong-co"],"voterId":"v-1"}'), 400],
      ['Latin-1', (h) => h.post(votes(s.poll.id)).set(from()).set('Content-Type', 'application/json; charset=latin1').send('{}'), 415],
      ['text/plain', (h) => h.post(votes(s.poll.id)).set(from()).set('Content-Type', 'text/plain').send('{}'), 400],
      ['gzip', (h) => h.post(votes(s.poll.id)).set(from()).set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send(gzipSync('{"optionIds":[]}')), 400],
      ['too large', (h) => h.post(votes(s.poll.id)).set(from()).set('Content-Type', 'application/json').send(`{"voterId":"${'x'.repeat(s.config.BODY_LIMIT_BYTES)}"}`), 413],
      ['a foreign origin', (h) => h.post(votes(s.poll.id)).set(from()).set('Origin', FOREIGN).send({ optionIds: [option], voterId: newVoter() }), 403],
      ['an unknown poll', (h) => h.post(votes('khong-co')).set(from()).send({ optionIds: [option], voterId: newVoter() }), 404],
    ];
    for (const [name, send, status] of cases) {
      const r = await s.same(send, true);
      expect(r.lane.status, `${name}: ${JSON.stringify(r.lane.body)}`).toBe(status);
      expect(String(r.lane.headers['content-type']), name).toMatch(/^application\/problem\+json/);
    }
    // The same voter twice: the second vote is refused alike on each path.
    const voterId = newVoter();
    const first = await s.lane.post(votes(s.poll.id)).set(from()).send({ optionIds: [option], voterId });
    expect(first.status).toBe(201);
    const again = await s.same((h) => h.post(votes(s.poll.id)).set(from()).send({ optionIds: [option], voterId }), true);
    expect(again.lane.status).toBe(409);
  });

  it('a vote with the write limit off, and one from the service\'s own origin: the same on both paths', async () => {
    const s = await setup({ RATE_LIMIT_WRITE_PER_MIN: 0 });
    const option = s.poll.options[0]!.id;
    const headers = (res: request.Response) => {
      const { date: _d, 'x-request-id': _id, 'content-length': _l, ...rest } = res.headers as Record<string, string>;
      return rest;
    };
    for (const origin of [undefined, s.config.PUBLIC_URL]) {
      const cast = (h: ReturnType<typeof request>) => {
        const t = h.post(votes(s.poll.id)).set(from());
        return (origin ? t.set('Origin', origin) : t).send({ optionIds: [option], voterId: newVoter() });
      };
      const a = await s.through(s.lane, cast);
      const b = await s.through(s.plain, cast);
      expect(a.res.status, JSON.stringify(a.res.body)).toBe(201);
      expect(a.expressed).toBe(0);
      // Without an Origin the lane writes the vote itself; the service's own origin is Express's objects' to decide.
      expect(a.direct, String(origin)).toBe(origin === undefined);
      expect(headers(a.res)).toEqual(headers(b.res));
      expect(a.res.headers.ratelimit).toBeUndefined();
      expect(a.logged).toEqual(b.logged);
      expect(a.metrics).toEqual(b.metrics);
    }
  });

  it('the write limit: one count for both paths, 429 with Retry-After after the same number', async () => {
    const s = await setup({ RATE_LIMIT_WRITE_PER_MIN: 3 });
    const option = s.poll.options[0]!.id;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const agent = i % 2 ? s.plain : s.lane;
      statuses.push((await agent.post(votes(s.poll.id)).set('X-Forwarded-For', '2001:db8:5::1').send({ optionIds: [option], voterId: newVoter() })).status);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    const limited = await s.same((h) => h.post(votes(s.poll.id)).set('X-Forwarded-For', '2001:db8:5::2').send({ optionIds: [option], voterId: newVoter() }), true);
    expect(limited.lane.status).toBe(429);
    expect(Number(limited.lane.headers['retry-after'])).toBeGreaterThan(0);
  });
});
