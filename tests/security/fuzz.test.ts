import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type request from 'supertest';
import { TEST_BACKEND } from '../helpers/app.js';
import { sqlFingerprint } from '../helpers/dbState.js';
import { ENDPOINTS, type Endpoint } from './endpoints.js';
import { buildFixture, fill } from './fixture.js';

/**
 * Fewer runs on PostgreSQL: the 82 properties x 40 runs take minutes there, and what that project looks for
 * (a value the other engine takes differently, such as U+0000) shows within a few runs of each.
 */
const RUNS = TEST_BACKEND === 'postgres' ? 12 : 40;

function send(f: Awaited<ReturnType<typeof buildFixture>>, e: Endpoint, url: string): request.Test {
  const r = f.t.http[e.method](url);
  return e.admin ? r.set('Authorization', `Bearer ${f.t.adminKey}`) : r;
}

/** A 4xx must be problem+json with a code (an HTML page for people's pages); a 5xx must never happen. */
function expectSane(res: request.Response, what: string, e?: Endpoint) {
  if (res.status >= 500) throw new Error(`${what} → ${res.status} ${JSON.stringify(res.body)}`);
  if (res.status >= 400 && e?.html && String(res.headers['content-type']).startsWith('text/html')) return;
  if (res.status >= 400) {
    expect(res.headers['content-type'], what).toMatch(/^application\/problem\+json/);
    expect(typeof res.body.code, what).toBe('string');
  }
}

// Shapes a client might plausibly get wrong, plus pure noise.
const jsonish = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.object({ maxDepth: 3 }),
  fc.record(
    {
      optionIds: fc.oneof(fc.array(fc.string()), fc.string(), fc.integer()),
      voterId: fc.oneof(fc.string(), fc.stringMatching(/^[A-Za-z0-9_-]{8,20}$/), fc.constant(null)),
      name: fc.string(),
      content: fc.string({ unit: 'grapheme', maxLength: 300 }),
      site: fc.string(),
      question: fc.string(),
      options: fc.array(fc.string()),
      maxChoices: fc.oneof(fc.integer(), fc.double(), fc.string()),
      ids: fc.array(fc.string()),
      action: fc.string(),
      visitorId: fc.string(),
      __proto__: fc.object(),
    },
    { requiredKeys: [] },
  ),
);

const queryish = fc.dictionary(
  fc.constantFrom('voterId', 'site', 'status', 'thread', 'cursor', 'limit', 'format', 'detail', 'bucket', 'from', 'to', 'email', 'action', '__proto__', 'x[y]'),
  fc.oneof(fc.string(), fc.constantFrom('', '%', '-1', '1e309', 'csv', 'json', 'votes', 'day', 'hour', 'pending', '../../etc/passwd')),
);

const segment = fc.oneof(
  fc.string({ minLength: 1, maxLength: 80 }).map(encodeURIComponent),
  fc.constantFrom('..', '.', '%2e%2e', '%00', '%ZZ', '%', 'a%2Fb', '%C0%AF', '%F0%9F%92%A9', '~', 'x'.repeat(500)),
);

describe('property-based: every endpoint answers 2xx/3xx or a 4xx problem, never a 5xx', () => {
  for (const e of ENDPOINTS) {
    it(`${e.method.toUpperCase()} ${e.path} with generated bodies and query strings`, async () => {
      const f = await buildFixture();
      const url = fill(e, f.ids);
      await fc.assert(
        fc.asyncProperty(jsonish, queryish, async (body, query) => {
          const before = await sqlFingerprint(f.t.sql);
          const qs = new URLSearchParams(query as Record<string, string>).toString();
          let req = send(f, e, qs ? `${url}?${qs}` : url);
          if (e.method !== 'get' && e.method !== 'delete') req = req.set('Content-Type', 'application/json').send(JSON.stringify(body));
          const res = await req;
          expectSane(res, `${e.method} ${url}?${qs} ${JSON.stringify(body)}`, e);
          if (res.status >= 400) expect((await sqlFingerprint(f.t.sql)), 'a refused request changed the database').toBe(before);
        }),
        { numRuns: RUNS },
      );
    });

    it(`${e.method.toUpperCase()} ${e.path} with generated path segments and headers`, async () => {
      const f = await buildFixture();
      const names = [...e.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      await fc.assert(
        fc.asyncProperty(
          fc.record(Object.fromEntries(names.map((n) => [n, segment]))),
          fc.record({
            contentType: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'multipart/form-data'),
            auth: fc.oneof(fc.constant(undefined), fc.string().filter((s) => /^[\x21-\x7e ]*$/.test(s)), fc.constant('Bearer '), fc.constant('Bearer yk_' + 'A'.repeat(43))),
            xff: fc.oneof(fc.constant(undefined), fc.ipV4(), fc.string().filter((s) => /^[\x21-\x7e]*$/.test(s))),
          }),
          async (segs, h) => {
            const before = await sqlFingerprint(f.t.sql);
            const url = e.path.replace(/\{(\w+)\}/g, (_, k: string) => (segs as Record<string, string>)[k] ?? k);
            let req = f.t.http[e.method](url).set('Content-Type', h.contentType);
            if (h.auth !== undefined) req = req.set('Authorization', h.auth);
            else if (e.admin) req = req.set('Authorization', `Bearer ${f.t.adminKey}`);
            if (h.xff !== undefined) req = req.set('X-Forwarded-For', h.xff);
            if (e.method !== 'get' && e.method !== 'delete') req = req.send('{"a":1}');
            const res = await req;
            expectSane(res, `${e.method} ${url} ${JSON.stringify(h)}`, e);
            if (res.status >= 400) expect(await sqlFingerprint(f.t.sql)).toBe(before);
          },
        ),
        { numRuns: RUNS },
      );
    });
  }
});

describe('a path id with U+0000 (%00): what no row can have is "not found" on every backend, never a 5xx', () => {
  it('every endpoint, each placeholder in turn, with an empty and a stray body', async () => {
    const f = await buildFixture();
    for (const e of ENDPOINTS) {
      for (const name of [...e.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)) {
        const url = fill({ ...e, path: e.path.replace(`{${name}}`, `%00${name}`) }, f.ids);
        for (const body of ['{}', '{"a":1}']) {
          const before = await sqlFingerprint(f.t.sql);
          let req = send(f, e, url);
          if (e.method !== 'get' && e.method !== 'delete') req = req.set('Content-Type', 'application/json').send(body);
          const res = await req;
          expectSane(res, `${e.method} ${url} ${body}`, e);
          if (res.status >= 400) expect(await sqlFingerprint(f.t.sql), `${e.method} ${url} changed the database`).toBe(before);
        }
      }
    }
  });
});
