import { beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../scripts/build-console.mjs';
import { makeTestApp } from '../helpers/app.js';

let built: Awaited<ReturnType<typeof buildConsole>>;
beforeAll(async () => {
  built = await buildConsole();
});

describe('the console at /admin/', () => {
  it('serves the HTML shell, not cached, naming the current bundle and stylesheet', async () => {
    const t = await makeTestApp();
    const res = await t.http.get('/admin/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain(`<script src="/admin/${built.files.js}" defer></script>`);
    expect(res.text).toContain(`<link rel="stylesheet" href="/admin/${built.files.css}">`);
    expect(res.text).toContain('<html lang="vi">');
    expect(res.text).toContain('name="viewport"');
  });

  it('has a strict CSP (nothing inline, no framing) and X-Frame-Options DENY', async () => {
    const t = await makeTestApp();
    for (const url of ['/admin/', `/admin/${built.files.js}`]) {
      const res = await t.http.get(url);
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
    // The shell itself carries no inline script or style for the CSP to have to allow.
    const shell = (await t.http.get('/admin/')).text;
    expect(shell).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(shell).not.toMatch(/<style|\sstyle=/);
  });

  it('serves the bundle and the stylesheet under their content hash, cached for a year', async () => {
    const t = await makeTestApp();
    const js = await t.http.get(`/admin/${built.files.js}`);
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.text).toBe(built.js.toString('utf8'));
    const css = await t.http.get(`/admin/${built.files.css}`);
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(css.text).toBe(built.css.toString('utf8'));
  });

  it('answers 404 for another build\'s hash and redirects /admin to /admin/', async () => {
    const t = await makeTestApp();
    expect((await t.http.get('/admin/console.0123456789.js')).status).toBe(404);
    expect((await t.http.get('/admin/console.0123456789.css')).status).toBe(404);
    const r = await t.http.get('/admin');
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe('/admin/');
  });

  it('keeps the rest of the service\'s CSP as it was (the console\'s is its own)', async () => {
    const t = await makeTestApp();
    const res = await t.http.get('/healthz');
    expect(String(res.headers['x-frame-options'])).toBe('SAMEORIGIN');
  });
});
