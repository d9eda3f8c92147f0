import fs from 'node:fs';
import path from 'node:path';
import { Router, type Response } from 'express';
import { sendProblem } from '../http/problem.js';

interface Built {
  js: string;
  css: string;
  mtimeMs: number;
}

/**
 * The console's own Content-Security-Policy, stricter than the rest of the service: nothing inline
 * (a comment's text can never become script or style even through a bug), only our origin, no
 * framing (clickjacking a "Duyệt" button), no plugins, forms only to ourselves.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const shell = (b: Built) => `<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>Quản trị ý kiến – ykien</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/admin/${b.css}">
<script src="/admin/${b.js}" defer></script>
</head><body><div id="app"><noscript>Trang quản trị cần JavaScript. / The console needs JavaScript.</noscript></div></body></html>
`;

/**
 * /admin/: the HTML shell (no-store: it names the current bundle, and it is a signed-in page) and the
 * content-hashed bundle and stylesheet from scripts/build-console.mjs (dist/console), cached for a year.
 */
export function consoleRoutes(dir: string): Router {
  let cached: Built | undefined;
  const load = (): Built | undefined => {
    const file = path.join(dir, 'manifest.json');
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return (cached = undefined);
    }
    if (cached && cached.mtimeMs === stat.mtimeMs) return cached;
    const m = JSON.parse(fs.readFileSync(file, 'utf8')) as { js: string; css: string };
    return (cached = { js: m.js, css: m.css, mtimeMs: stat.mtimeMs });
  };
  const harden = (res: Response) =>
    res.set({ 'Content-Security-Policy': CONSOLE_CSP, 'X-Frame-Options': 'DENY', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'same-origin' });

  const r = Router({ strict: true }); // "/admin" and "/admin/" differ: the first redirects
  r.get('/admin', (_req, res) => res.redirect(301, '/admin/'));
  r.get('/admin/', (_req, res) => {
    const b = load();
    harden(res);
    if (!b) return sendProblem(res, 503, 'console_not_built', 'The console has not been built: run "npm run build".');
    res.set({ 'Cache-Control': 'no-store', 'Content-Type': 'text/html; charset=utf-8' }).send(shell(b));
  });
  r.get(/^\/admin\/(console\.[0-9a-f]{10}\.(?:js|css))$/, (req, res, next) => {
    const b = load();
    const name = req.path.slice('/admin/'.length);
    if (!b || (name !== b.js && name !== b.css)) return next(); // an old or unknown build: 404
    harden(res).set({
      'Content-Type': name.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8',
      'Cache-Control': 'public, max-age=31536000, immutable',
    });
    res.send(fs.readFileSync(path.join(dir, name)));
  });
  return r;
}
