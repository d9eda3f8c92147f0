import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { openApiDocument, openApiPath } from '../src/openapi/document.js';
import { makeTestApp } from './helpers/app.js';

/**
 * Routes the document does not describe yet (the admin API and the console's sessions: docs/api.md is
 * their reference meanwhile). A route leaving this list must be in the document; a route not in
 * either fails below, so a new endpoint cannot go undocumented.
 */
const NOT_YET_PREFIXES = [
  // Moderation, polls, exports, the log, the overview, live results.
  '/v1/admin/comments',
  '/v1/admin/commenters',
  '/v1/admin/polls',
  '/v1/admin/audit',
  '/v1/admin/overview',
  '/v1/admin/live',
];
const NOT_YET = { test: (route: string) => NOT_YET_PREFIXES.some((p) => route.split(' ')[1]!.startsWith(p)) };
/** Pages and files for people and browsers, not the JSON API. */
const NOT_API = /^GET \/(metrics|openapi(\.json)?|widget|survey|admin|demo\.css|p\.css|s\.css|p\/|s\/|$)|^POST \/(p|s)\//;

interface Layer { route?: { path: string; methods: Record<string, boolean> }; rawPath?: unknown; handle?: { stack?: Layer[] } }
function routes(stack: Layer[], prefix = ''): string[] {
  return stack.flatMap((l) => {
    if (l.route && typeof l.route.path === 'string')
      return Object.keys(l.route.methods).map((m) => `${m.toUpperCase()} ${`${prefix}${l.route!.path === '/' ? '' : l.route!.path}`.replace(/\/{2,}/g, '/') || '/'}`);
    return l.handle?.stack ? routes(l.handle.stack, prefix + (typeof l.rawPath === 'string' ? l.rawPath : '')) : [];
  });
}

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(openApiDocument() as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('describes every JSON route of the service, except those it lists as not yet', async () => {
    const t = await makeTestApp();
    const all = [...new Set(routes((t.app as unknown as { router: { stack: Layer[] } }).router.stack))];
    const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> };
    const documented = new Set(Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)));
    const missing = all.filter((r) => !NOT_API.test(r) && !NOT_YET.test(r)).filter((r) => {
      const [method, path] = r.split(' ');
      return !documented.has(`${method} ${openApiPath(path!).path}`);
    });
    expect(missing).toEqual([]);
    // And nothing documented that the service does not answer.
    const served = new Set(all.map((r) => { const [m, p] = r.split(' '); return `${m} ${openApiPath(p!).path}`; }));
    expect([...documented].filter((d) => !served.has(d))).toEqual([]);
  });

  it('is served as JSON at /openapi.json and as a readable page at /openapi', async () => {
    const t = await makeTestApp();
    const json = await t.http.get('/openapi.json');
    expect(json.status).toBe(200);
    expect(json.headers['access-control-allow-origin']).toBe('*');
    expect(json.body).toEqual(openApiDocument());
    const page = await t.http.get('/openapi');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'|default-src 'self'/);
    expect(page.text).toContain('<code>/v1/polls/{id}/votes</code>');
    expect(page.text).toContain('id="schema-PublicPoll"');
    expect(page.text).not.toMatch(/<script/);
  });
});
