import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { VOTER_ID } from '../api/patterns.js';
import { publicOrigin } from '../http/publicOrigin.js';
import type { Site } from '../sites/sites.store.js';
import type { Hasher } from '../util/hash.js';

/**
 * What the no-JS pages (/p/:id polls, /s/:id surveys) share: their cookies, the forgery defences
 * of their forms, the "back" link and the figures' formats.
 */

/** A random id per browser, set by the GET of a page; its form carries an HMAC of it and the page's id. */
const FORM_COOKIE = 'ykien_form';

export function cookieFrom(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === name && v && VOTER_ID.test(v)) return v;
  }
  return undefined;
}

const originOf = (url: string): string | undefined => {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

/**
 * Whether a POST comes from a page of this service. Origin when the browser sends one ("null",
 * from a sandboxed iframe or a data: page, never matches); else Sec-Fetch-Site; else, for old
 * browsers, a same-origin Referer (the pages ask for one with Referrer-Policy: same-origin).
 */
export function fromThisService(req: Request): boolean {
  const own = publicOrigin(req);
  const origin = req.get('origin');
  if (origin !== undefined) return origin === own;
  const fetchSite = req.get('sec-fetch-site');
  if (fetchSite !== undefined) return fetchSite === 'same-origin' || fetchSite === 'none';
  const referer = req.get('referer');
  return referer !== undefined && originOf(referer) === own;
}

/**
 * The article a visitor came from, for the "back" link: only an http(s) address on one of the
 * site's own origins (a "*" allowance does not count), so the link is never an open redirect.
 */
export function backLink(candidate: unknown, site: Site | undefined): string | undefined {
  if (typeof candidate !== 'string' || candidate.length > 1000 || !site) return undefined;
  let u: URL;
  try {
    u = new URL(candidate);
  } catch {
    return undefined;
  }
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || !site.origins.includes(u.origin)) return undefined;
  return u.href;
}

const sameToken = (sent: unknown, expected: string) =>
  typeof sent === 'string' && sent.length === expected.length && timingSafeEqual(Buffer.from(sent), Buffer.from(expected));

/** `${prefix}/:id` with optional query parameters, for links between a page's own views. */
export function selfUrl(prefix: string, id: string, params: Record<string, string | undefined>): string {
  const q = Object.entries(params).flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${encodeURIComponent(v)}`]));
  return `${prefix}/${encodeURIComponent(id)}${q.length ? `?${q.join('&')}` : ''}`;
}

export function dateIn(tz: string) {
  const f = new Intl.DateTimeFormat('vi-VN', { timeZone: tz, hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', year: 'numeric', hour12: false });
  return (iso: string | null) => (iso ? f.format(new Date(iso)) : '');
}

export const nf = new Intl.NumberFormat('vi-VN');
export const pct = (p: number) => `${p.toFixed(1)}%`;

/** Headers every no-JS page answer carries: never cached, and a Referer on its own posts for old browsers. */
export function pageHeaders(res: Response): Response {
  return res.set('Cache-Control', 'private, no-store').set('Referrer-Policy', 'same-origin');
}

/**
 * The forgery defences of the forms under `path` ("/p", "/s"). Another website must not be able to
 * post them from its visitors' browsers (each one a fresh voter from its own IP, so per-IP caps never
 * trigger): a POST must come from one of our pages (fromThisService) and carry the token of the form
 * cookie the GET set. The cookie is SameSite=Lax, so a cross-site post never sends it, and nobody
 * else can compute the token. `scope` keeps a poll's token from passing for a survey of the same id.
 */
export function formGuard(hasher: Hasher, path: string, scope: string) {
  const cookieOptions = (req: Request, maxAge: number) =>
    ({ httpOnly: true, sameSite: 'lax', secure: publicOrigin(req).startsWith('https:'), path, maxAge }) as const;
  const tokenFor = (browser: string, id: string) => hasher.formToken(browser, scope ? `${scope}:${id}` : id);
  return {
    cookieOptions,
    /** The token for this browser's form of `id`, setting the form cookie on `res` when it has none yet. */
    token(req: Request, res: Response, id: string): string {
      let browser = cookieFrom(req, FORM_COOKIE);
      if (!browser) {
        browser = randomBytes(18).toString('base64url');
        res.cookie(FORM_COOKIE, browser, cookieOptions(req, 30 * 86_400_000));
      }
      return tokenFor(browser, id);
    },
    /** Why a POST of the form of `id` is refused, or null when it may proceed. */
    refusal(req: Request, id: string, sent: unknown): 'origin_not_allowed' | 'form_token' | null {
      if (!fromThisService(req)) return 'origin_not_allowed';
      const browser = cookieFrom(req, FORM_COOKIE);
      if (!browser || !sameToken(sent, tokenFor(browser, id))) return 'form_token';
      return null;
    },
    /** The id in `name`'s cookie, or a fresh one set on `res` for a year. */
    id(req: Request, res: Response, name: string): { id: string; fresh: boolean; keep(): void } {
      const existing = cookieFrom(req, name);
      const id = existing ?? randomBytes(18).toString('base64url');
      return { id, fresh: !existing, keep: () => void (existing || res.cookie(name, id, cookieOptions(req, 365 * 86_400_000))) };
    },
  };
}
