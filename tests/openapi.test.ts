import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { openApiDocument, openApiPath } from '../src/openapi/document.js';
import { makeTestApp } from './helpers/app.js';

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

  it('describes every JSON route of the service', async () => {
    const t = await makeTestApp();
    const all = [...new Set(routes((t.app as unknown as { router: { stack: Layer[] } }).router.stack))];
    const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> };
    const documented = new Set(Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)));
    const missing = all.filter((r) => !NOT_API.test(r)).filter((r) => {
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

  it('documents the console session: cookie only, Set-Cookie on sign-in and out, X-CSRF-Token on writes', () => {
    const doc = openApiDocument() as { paths: Record<string, Record<string, any>> };
    const session = doc.paths['/v1/session']!;
    expect(session.post.security).toBeUndefined();
    expect(session.post.responses[200].headers['Set-Cookie']).toBeDefined();
    expect(session.delete.responses[204].headers['Set-Cookie']).toBeDefined();
    expect(session.get.security).toEqual([{ session: [] }]);
    expect(session.delete.parameters).toContainEqual(expect.objectContaining({ name: 'X-CSRF-Token', in: 'header', required: true }));
    expect(session.get.parameters.some((p: { name: string }) => p.name === 'X-CSRF-Token')).toBe(false);
    // A key needs no CSRF token; a session's write does (optional in the document, as either may call).
    const users = doc.paths['/v1/admin/users']!;
    expect(users.post.security).toEqual([{ bearer: [] }, { session: [] }]);
    expect(users.post.parameters).toContainEqual(expect.objectContaining({ name: 'X-CSRF-Token', required: false }));
    expect(Object.keys(doc.paths['/v1/admin/surveys/{id}/export']!.get.responses[200].content)).toEqual(['text/csv', 'application/json', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
  });

  it('names no password hash, key hash, TOTP secret or IP in any answer about people, keys or sites', () => {
    const { components } = openApiDocument() as { components: { schemas: Record<string, unknown> } };
    const names = new Set<string>();
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) return v.forEach(walk);
      if (!v || typeof v !== 'object') return;
      for (const [k, x] of Object.entries(v)) {
        if (k === 'properties') Object.keys(x as object).forEach((n) => names.add(n));
        walk(x);
      }
    };
    for (const id of ['Session', 'User', 'UserList', 'ApiKey', 'NewApiKey', 'ApiKeyList', 'Site', 'ModeratorSite', 'SiteList']) {
      expect(components.schemas[id], id).toBeDefined();
      walk(components.schemas[id]);
    }
    expect(names).toContain('username');
    expect([...names].filter((n) => /hash|secret|^ip|password/i.test(n))).toEqual([]);
    // Strict: a field the document does not name fails the response checks.
    expect((components.schemas.User as { additionalProperties?: unknown }).additionalProperties).toBe(false);
  });

  it('shows a session-only route and a download\'s types on the readable page', async () => {
    const t = await makeTestApp();
    const page = await t.http.get('/openapi');
    expect(page.text).toContain('chỉ phiên đăng nhập bảng điều khiển / console session only');
    expect(page.text).toContain('<code>Set-Cookie</code>');
    expect(page.text).toContain('<code>text/csv</code>');
    expect(page.text).toContain('id="schema-Session"');
  });
});
