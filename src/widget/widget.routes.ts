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
  /** When the file's mtime was last looked at (Date.now()). */
  checkedAt: number;
}

/** How often a built file's mtime is looked at: a rebuild shows within a second, and a request costs no stat(). */
const RECHECK_MS = 1_000;

/**
 * Serves the built widget (scripts/build-widget.mjs → dist/widget):
 *   /widget.js          short cache + ETag, so portals pick up new releases within minutes;
 *   /widget.<hash>.js   immutable for a year (the hash changes with the content);
 *   /survey.js, /survey.<hash>.js   the same for the surveys chunk widget.js loads on pages with a
 *   survey. A widget.js kept stale by its cache (stale-while-revalidate) may ask for the previous
 *   chunk's hash: it gets the current chunk under the short cache rather than a 404 that would
 *   leave the survey blank (the chunk's entry point does not change between releases).
 * All carry Cross-Origin-Resource-Policy: cross-origin (helmet's same-origin default
 * would stop portals on other origins from loading the script).
 */
/** A widget file ready to send: the lane (src/http/lane/) and the router below answer with it alike. */
export interface WidgetAnswer {
  /** The route pattern it is served under (the metrics label: a string, or the hashed names' RegExp). */
  route: string | RegExp;
  send(res: Response, ifNoneMatch: string | undefined): void;
  /** What send() sets besides ETag and Content-Length, as name, value pairs: one array per cache policy. */
  headers: readonly string[];
  etag: string;
  body: Buffer;
}

export interface WidgetFiles {
  /** The answer to a GET of `pathname` when it is a widget file this build has; undefined otherwise. */
  answer(pathname: string): WidgetAnswer | undefined;
  routes(): Router;
}

export function widgetFiles(dir: string): WidgetFiles {
  const SHORT = 'public, max-age=300, stale-while-revalidate=86400';
  const IMMUTABLE = 'public, max-age=31536000, immutable';
  const cached: Record<string, Bundle | undefined> = {};
  const headersFor = (cacheControl: string): readonly string[] => [
    'Content-Type',
    'text/javascript; charset=utf-8',
    'Cache-Control',
    cacheControl,
    'Cross-Origin-Resource-Policy',
    'cross-origin',
    'X-Content-Type-Options',
    'nosniff',
  ];
  const HEADERS = { [SHORT]: headersFor(SHORT), [IMMUTABLE]: headersFor(IMMUTABLE) } as Record<string, readonly string[]>;

  // Re-read only when the file changed (a rebuild during development), never per request.
  const load = (name: 'widget' | 'survey'): Bundle | undefined => {
    const c0 = cached[name];
    const now = Date.now();
    if (c0 && now - c0.checkedAt < RECHECK_MS) return c0;
    const file = path.join(dir, `${name}.js`);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return (cached[name] = undefined);
    }
    if (c0 && c0.mtimeMs === stat.mtimeMs) {
      c0.checkedAt = now;
      return c0;
    }
    const code = fs.readFileSync(file);
    const hash = createHash('sha256').update(code).digest('hex').slice(0, 10);
    return (cached[name] = { code, etag: `"${hash}"`, file: `${name}.${hash}.js`, mtimeMs: stat.mtimeMs, checkedAt: now });
  };

  const send = (res: Response, b: Bundle, cacheControl: string, ifNoneMatch: string | undefined) => {
    const headers = HEADERS[cacheControl]!;
    for (let i = 0; i < headers.length; i += 2) res.setHeader(headers[i]!, headers[i + 1]!);
    res.setHeader('ETag', b.etag);
    if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === b.etag)) {
      res.status(304).end();
      return;
    }
    res.send(b.code);
  };

  const missing = (res: Response) =>
    sendProblem(res, 503, 'widget_not_built', 'The widget has not been built: run "npm run build:widget".');

  const NAMES = ['widget', 'survey'] as const;
  const hashed = Object.fromEntries(NAMES.map((name) => [name, new RegExp(`^/${name}\\.([0-9a-f]{10})\\.js$`)])) as Record<(typeof NAMES)[number], RegExp>;
  const answering = (route: string | RegExp, b: Bundle, cacheControl: string): WidgetAnswer => ({
    route,
    send: (res, ifNoneMatch) => send(res, b, cacheControl, ifNoneMatch),
    headers: HEADERS[cacheControl]!,
    etag: b.etag,
    body: b.code,
  });

  /** What the routes below answer for `pathname` (undefined: the widget is not built, or not a widget file). */
  const answer = (pathname: string): WidgetAnswer | undefined => {
    for (const name of NAMES) {
      if (pathname === `/${name}.js`) {
        const b = load(name);
        return b && answering(pathname, b, SHORT);
      }
      if (!hashed[name].test(pathname)) continue;
      const b = load(name);
      if (!b) return undefined;
      if (pathname === `/${b.file}`) return answering(hashed[name], b, IMMUTABLE);
      if (name === 'survey') return answering(hashed[name], b, SHORT);
      return undefined; // an old or unknown widget version: 404
    }
    return undefined;
  };

  const routes = () => {
    const r = Router();
    for (const name of NAMES) {
      r.get(`/${name}.js`, (req, res) => {
        const b = load(name);
        if (!b) return missing(res);
        send(res, b, SHORT, req.get('if-none-match'));
      });
      r.get(hashed[name], (req, res, next) => {
        const b = load(name);
        if (!b) return missing(res);
        if (req.path === `/${b.file}`) return send(res, b, IMMUTABLE, req.get('if-none-match'));
        if (name === 'survey') return send(res, b, SHORT, req.get('if-none-match'));
        next(); // an old or unknown widget version: 404
      });
    }
    return r;
  };
  return { answer, routes };
}

export function widgetRoutes(dir: string): Router {
  return widgetFiles(dir).routes();
}
