import type { Request, RequestHandler } from 'express';
import { sendProblem } from './problem.js';
import { publicOrigin } from './publicOrigin.js';

/**
 * CORS for public endpoints, per site: an origin gets an allowance only when it is in
 * the site's `origins`. Everything else is denied by default. Writes (non-GET) that carry
 * a foreign Origin are refused outright, so another web page cannot cast votes or post
 * comments from its visitors' browsers.
 */
export function siteCors(
  resolveOrigins: (req: Request) => readonly string[] | undefined,
): RequestHandler {
  return (req, res, next) => {
    res.vary('Origin');
    const origin = req.get('origin');
    if (!origin) return next();
    const resolved = resolveOrigins(req);
    const origins = resolved ?? [];
    // An unknown site or poll has no origins; its reads will only ever be a 404, and letting the
    // embedding page read that 404 shows "not found" instead of a misleading network error.
    const unknownRead = resolved === undefined && (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS');
    const allowed = unknownRead || origins.includes(origin) || origins.includes('*');
    const sameOrigin = origin === publicOrigin(req);
    if (allowed) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Expose-Headers', 'ETag, RateLimit, RateLimit-Policy, Retry-After');
    }
    if (req.method === 'OPTIONS') {
      if (allowed) {
        res.setHeader('Access-Control-Allow-Methods', unknownRead ? 'GET' : 'GET, POST, OPTIONS');
        res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
        res.setHeader('Access-Control-Max-Age', '600');
      }
      res.status(204).end();
      return;
    }
    if (!allowed && !sameOrigin && req.method !== 'GET' && req.method !== 'HEAD') {
      sendProblem(res, 403, 'origin_not_allowed', `Origin ${origin} is not allowed for this site.`);
      return;
    }
    next();
  };
}
