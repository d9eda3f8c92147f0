import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { originAllowed } from '../sites/origins.js';
import { sendProblem } from './problem.js';
import { publicOrigin } from './publicOrigin.js';

/** The site a public request is about, and the origins it allows. */
export interface SiteOrigins {
  id: string;
  origins: readonly string[];
}

/**
 * CORS for public endpoints, per site: an origin gets an allowance only when it is in
 * the site's `origins`. Writes (non-GET) that carry a foreign Origin are refused outright,
 * so another web page cannot cast votes or post comments from its visitors' browsers.
 *
 * A READ from a foreign origin is refused too, but readably: 403 origin_not_allowed WITH
 * Access-Control-Allow-Origin, so the widget can tell the operator which origin to add instead
 * of showing readers a network error. Safe to expose: the body names only the origin (which the
 * page sent) and the site (which the page asked for).
 */
/** The middleware, and what the fast lane (src/http/lane/) asks for a read it answers without Express. */
export interface SiteCors extends RequestHandler {
  /**
   * The headers this middleware adds to a GET or HEAD with `origin` (the Origin header) that it lets
   * through with an allowance or without one, or undefined when it would answer or decide otherwise (a
   * refusal, a same-origin request with a foreign-looking origin): those are Express's to answer.
   */
  readHeaders(params: Record<string, string>, origin: string | undefined): readonly string[] | undefined | Promise<readonly string[] | undefined>;
  /** The same for a POST (a write: an origin outside the site's is never let through, an unknown site allows none). */
  writeHeaders(params: Record<string, string>, origin: string | undefined): readonly string[] | undefined | Promise<readonly string[] | undefined>;
}

const EXPOSE = 'ETag, RateLimit, RateLimit-Policy, Retry-After';
const NO_ORIGIN = ['Vary', 'Origin'] as const;

export function siteCors(resolveSite: (params: Record<string, string>) => SiteOrigins | undefined | Promise<SiteOrigins | undefined>): SiteCors {
  // Synchronous unless the site must be read: most requests carry no Origin, or name a cached site.
  const middleware: RequestHandler = (req, res, next) => {
    res.vary('Origin');
    const origin = req.get('origin');
    if (!origin) return next();
    const site = resolveSite(req.params as Record<string, string>);
    if (site instanceof Promise) return site.then((s) => decide(s, origin, req, res, next));
    decide(site, origin, req, res, next);
  };
  const allowance = (origin: string) => ['Vary', 'Origin', 'Access-Control-Allow-Origin', origin, 'Access-Control-Expose-Headers', EXPOSE];
  const allowingRead = (resolved: SiteOrigins | undefined, origin: string) =>
    resolved === undefined || originAllowed(resolved.origins, origin) !== undefined ? allowance(origin) : undefined;
  const allowingWrite = (resolved: SiteOrigins | undefined, origin: string) =>
    resolved !== undefined && originAllowed(resolved.origins, origin) !== undefined ? allowance(origin) : undefined;
  const asking = (allowing: typeof allowingRead) => (params: Record<string, string>, origin: string | undefined) => {
    if (!origin) return NO_ORIGIN;
    const site = resolveSite(params);
    return site instanceof Promise ? site.then((s) => allowing(s, origin)) : allowing(site, origin);
  };
  return Object.assign(middleware, { readHeaders: asking(allowingRead), writeHeaders: asking(allowingWrite) });
}

function decide(resolved: SiteOrigins | undefined, origin: string, req: Request, res: Response, next: NextFunction): void {
  const origins = resolved?.origins ?? [];
  const read = req.method === 'GET' || req.method === 'HEAD';
  // An unknown site or poll has no origins; its reads will only ever be a 404, and letting the
  // embedding page read that 404 shows "not found" instead of a misleading network error.
  const unknownRead = resolved === undefined && (read || req.method === 'OPTIONS');
  const allowed = unknownRead || originAllowed(origins, origin) !== undefined;
  const sameOrigin = origin === publicOrigin(req);
  if (allowed) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', EXPOSE);
  }
  if (req.method === 'OPTIONS') {
    if (allowed) {
      res.setHeader('Access-Control-Allow-Methods', unknownRead ? 'GET' : 'GET, POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Idempotency-Key');
      res.setHeader('Access-Control-Max-Age', '600');
    }
    res.status(204).end();
    return;
  }
  if (allowed || sameOrigin) return next();
  const site = resolved?.id;
  const detail = site
    ? `Origin ${origin} is not in the origins of site "${site}". An admin adds it with: ykien sites origins add ${site} ${origin}`
    : `Origin ${origin} is not allowed here.`;
  if (read) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Cache-Control', 'no-store');
  }
  sendProblem(res, 403, 'origin_not_allowed', detail, { origin, ...(site ? { site } : {}) });
}
