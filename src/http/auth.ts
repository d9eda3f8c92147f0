import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { assertAdmin } from '../access/access.js';
import type { Principal } from '../access/principal.js';
import { principalActor, type Actor } from '../audit/actor.js';
import { AppError, unauthorized } from '../errors.js';
import type { KeysService } from '../keys/keys.service.js';
import type { ActiveSession, SessionsService } from '../users/sessions.service.js';
import { publicOrigin } from './publicOrigin.js';
import type { SessionCookie } from './sessionCookie.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      principal?: Principal;
      /** Set when a person's session cookie (not a key) authenticated the request. */
      userSession?: ActiveSession;
    }
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * A browser call that changes something must come from our own page: an Origin equal to PUBLIC_URL's
 * (a cross-site form or fetch names its own), and the session's CSRF token in X-CSRF-Token (which a page
 * of another origin cannot read). Either alone would do against today's browsers; both, because one
 * misconfigured proxy or one old browser should not be all that stands in the way.
 */
export function assertSameOrigin(req: Request): void {
  const origin = req.get('origin');
  if (origin !== undefined && origin === publicOrigin(req)) return;
  throw new AppError(403, 'origin_not_allowed', 'A call made with the session cookie must come from the console itself (its Origin).');
}

function assertCsrf(req: Request, session: ActiveSession): void {
  if (SAFE_METHODS.has(req.method)) return;
  assertSameOrigin(req);
  if (!sameText(req.get('x-csrf-token') ?? '', session.csrfToken))
    throw new AppError(403, 'csrf_invalid', 'The X-CSRF-Token header is missing or is not this session\'s: read it again from GET /v1/session.');
}

/**
 * Authenticates by the session cookie (a person in the console); CSRF-checked for every state-changing
 * method. 401 `session_expired` (the cookie cleared) when the cookie names no live session.
 * `allowLimited`: a session that may only set up two-factor login (REQUIRE_TOTP_FOR_ADMINS) gets in too.
 */
export function requireSession(sessions: SessionsService, cookie: SessionCookie, opts: { allowLimited?: boolean } = {}): RequestHandler {
  return async (req, res, next) => {
    const token = cookie.read(req);
    if (!token) throw new AppError(401, 'unauthorized', 'Sign in first (POST /v1/session).');
    const active = await sessions.authenticate(token);
    if (!active) {
      cookie.clear(res);
      throw new AppError(401, 'session_expired', 'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.');
    }
    assertCsrf(req, active);
    if (active.session.limited && !opts.allowLimited)
      throw new AppError(403, 'totp_setup_required', 'Admins must set up two-factor login first (POST /v1/session/totp/setup, then /v1/session/totp/enable).');
    req.userSession = active;
    req.principal = active.principal;
    next();
  };
}

/**
 * The admin API's door: `Authorization: Bearer KEY` (scripts, unchanged, no CSRF: a browser never adds
 * that header by itself) or else the console's session cookie. Both end as the same Principal.
 */
export function requirePrincipal(keys: KeysService, sessions: SessionsService, cookie: SessionCookie): RequestHandler {
  const byKey = requireKey(keys);
  const bySession = requireSession(sessions, cookie);
  // Neither a key nor a cookie: the 401 scripts always had.
  return (req, res, next) => (req.get('authorization') !== undefined || cookie.read(req) === undefined ? byKey(req, res, next) : bySession(req, res, next));
}

/** The session behind this request; only call behind requireSession. */
export function sessionOf(req: Request): ActiveSession {
  if (!req.userSession) throw unauthorized('Sign in first (POST /v1/session).');
  return req.userSession;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The key of `Authorization: Bearer KEY`, if the header has that shape. */
export const bearerOf = (req: Request): string | undefined => BEARER.exec(req.get('authorization') ?? '')?.[1];

/** Reads `Authorization: Bearer KEY`; 401 for a missing, malformed, unknown or revoked key. */
export function requireKey(keys: KeysService): RequestHandler {
  return async (req, _res, next) => {
    const key = bearerOf(req);
    const principal = key ? await keys.authenticate(key) : undefined;
    if (!principal) throw unauthorized();
    req.principal = principal;
    next();
  };
}

export const requireAdmin: RequestHandler = (req, _res, next) => {
  assertAdmin(principalOf(req));
  next();
};

/** The authenticated principal; only call behind requireKey. */
export function principalOf(req: Request): Principal {
  if (!req.principal) throw unauthorized();
  return req.principal;
}

/** Who the audit log records for this request: the key's id and name. */
export const actorOf = (req: Request): Actor => principalActor(principalOf(req));
