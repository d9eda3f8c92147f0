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

  it('serves the survey chunk beside it: short cache, immutable versioned copy, and the current chunk for a stale widget\'s hash', async () => {
    const t = await makeTestApp();
    const main = fs.readFileSync(path.join(built.outdir, 'widget.js'), 'utf8');
    // widget.js names the exact chunk it was built with.
    expect(main).toContain(`"${built.survey.file}"`);
    const short = await t.http.get('/survey.js');
    expect(short.status).toBe(200);
    expect(short.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(short.headers['cache-control']).toBe('public, max-age=300, stale-while-revalidate=86400');
    expect(short.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(short.headers.etag).toBe(`"${built.survey.hash}"`);
    const pinned = await t.http.get(`/${built.survey.file}`);
    expect(pinned.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(pinned.text).toBe(short.text);
    // A widget.js from before a release (kept by stale-while-revalidate) asks for the old chunk: it gets today's, briefly cached.
    const stale = await t.http.get('/survey.0000000000.js');
    expect(stale.status).toBe(200);
    expect(stale.headers['cache-control']).toBe('public, max-age=300, stale-while-revalidate=86400');
    expect(stale.text).toBe(short.text);
  });

  it('keeps the survey chunk within its 10 KB gzip budget, without eval or HTML parsing', () => {
    const code = fs.readFileSync(path.join(built.outdir, 'survey.js'));
    expect(gzipSync(code, { level: 9 }).length).toBeLessThanOrEqual(10 * 1024);
    expect(code.toString('utf8')).not.toMatch(/\beval\(|new Function\(|innerHTML|insertAdjacentHTML|document\.write/);
    const manifest = JSON.parse(fs.readFileSync(path.join(built.outdir, 'manifest.json'), 'utf8'));
    expect(manifest.survey.file).toBe(built.survey.file);
  });
});
