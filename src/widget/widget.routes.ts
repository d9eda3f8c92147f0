import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Router, type Response } from 'express';
import { sendProblem } from '../http/problem.js';

interface Bundle {
  code: Buffer;
  etag: string;
  /** "widget.<hash>.js", the versioned file name. */
  file: string;
  mtimeMs: number;
}

/**
 * Serves the built widget (scripts/build-widget.mjs → dist/widget):
 *   /widget.js          short cache + ETag, so portals pick up new releases within minutes;
 *   /widget.<hash>.js   immutable for a year (the hash changes with the content).
 * Both carry Cross-Origin-Resource-Policy: cross-origin (helmet's same-origin default
 * would stop portals on other origins from loading the script).
 */
export function widgetRoutes(dir: string): Router {
  let cached: Bundle | undefined;

  // Re-read only when the file changed (a rebuild during development), never per request.
  const load = (): Bundle | undefined => {
    const file = path.join(dir, 'widget.js');
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return (cached = undefined);
    }
    if (cached && cached.mtimeMs === stat.mtimeMs) return cached;
    const code = fs.readFileSync(file);
    const hash = createHash('sha256').update(code).digest('hex').slice(0, 10);
    return (cached = { code, etag: `"${hash}"`, file: `widget.${hash}.js`, mtimeMs: stat.mtimeMs });
  };

  const send = (res: Response, b: Bundle, cacheControl: string, ifNoneMatch: string | undefined) => {
    res.set({
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': cacheControl,
      'Cross-Origin-Resource-Policy': 'cross-origin',
      ETag: b.etag,
      'X-Content-Type-Options': 'nosniff',
    });
    if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === b.etag)) {
      res.status(304).end();
      return;
    }
    res.send(b.code);
  };

  const missing = (res: Response) =>
    sendProblem(res, 503, 'widget_not_built', 'The widget has not been built: run "npm run build:widget".');

  const r = Router();
  r.get('/widget.js', (req, res) => {
    const b = load();
    if (!b) return missing(res);
    send(res, b, 'public, max-age=300, stale-while-revalidate=86400', req.get('if-none-match'));
  });
  r.get(/^\/widget\.([0-9a-f]{10})\.js$/, (req, res, next) => {
    const b = load();
    if (!b) return missing(res);
    if (req.path !== `/${b.file}`) return next(); // an old or unknown version: 404
    send(res, b, 'public, max-age=31536000, immutable', req.get('if-none-match'));
  });
  return r;
}

