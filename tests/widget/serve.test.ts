import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildWidget } from '../../scripts/build-widget.mjs';
import { makeTestApp } from '../helpers/app.js';

let built: Awaited<ReturnType<typeof buildWidget>>;
beforeAll(async () => {
  built = await buildWidget();
});

describe('serving the widget script', () => {
  it('serves /widget.js with a short cache, an ETag, and a cross-origin resource policy', async () => {
    const t = await makeTestApp();
    const res = await t.http.get('/widget.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=300, stale-while-revalidate=86400');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers.etag).toBe(`"${built.hash}"`);
    expect(Buffer.byteLength(res.text)).toBe(built.bytes);
    const again = await t.http.get('/widget.js').set('If-None-Match', res.headers.etag!);
    expect(again.status).toBe(304);
  });

  it('serves the versioned copy as immutable for a year, and 404s an unknown version', async () => {
    const t = await makeTestApp();
    const res = await t.http.get(`/${built.file}`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect((await t.http.get('/widget.0000000000.js')).status).toBe(404);
  });

  it('stays within the 12 KB gzip budget and carries no eval or inline handlers', () => {
    const code = fs.readFileSync(path.join(built.outdir, 'widget.js'));
    expect(gzipSync(code, { level: 9 }).length).toBeLessThanOrEqual(12 * 1024);
    const text = code.toString('utf8');
    expect(text).not.toMatch(/\beval\(|new Function\(|innerHTML|insertAdjacentHTML|document\.write/);
    const manifest = JSON.parse(fs.readFileSync(path.join(built.outdir, 'manifest.json'), 'utf8'));
    expect(manifest.file).toBe(built.file);
  });
});
