import { Router, type Request, type Response } from 'express';
import { AppError } from '../errors.js';
import { assertSameOrigin, requireSession, sessionOf } from '../http/auth.js';
import type { SessionCookie } from '../http/sessionCookie.js';
import { networkKey } from '../util/network.js';
import { parse } from '../validation/validate.js';
import type { SessionsService } from './sessions.service.js';
import { changePasswordSchema, loginSchema, passwordConfirmSchema, totpCodeSchema } from './users.schema.js';

const noStore = (res: Response) => res.set('Cache-Control', 'no-store');

/**
 * /v1/session: sign in and out of the console, who am I (with the CSRF token), one's own password and
 * two-factor login. Only a session cookie gets in here (an API key is not a person).
 */
export function sessionRoutes(sessions: SessionsService, cookie: SessionCookie, ipv6PrefixLength: number): Router {
  const r = Router();
  const session = requireSession(sessions, cookie);
  // What a session that must first set up two-factor login may still do.
  const limitedToo = requireSession(sessions, cookie, { allowLimited: true });

  r.post('/', async (req: Request, res) => {
    noStore(res);
    // A login form posted from another site would sign the visitor in as the attacker (login CSRF).
    if (req.get('origin') !== undefined) assertSameOrigin(req);
    const body = parse(loginSchema, req.body);
    try {
      const { token, ...who } = await sessions.login(body, { network: networkKey(req.ip, ipv6PrefixLength), replaces: cookie.read(req) });
      cookie.set(res, token);
      res.json(who);
    } catch (err) {
      if (err instanceof AppError && err.code === 'login_throttled') res.set('Retry-After', String(err.extra.retryAfterSeconds));
      throw err;
    }
  });
  r.get('/', limitedToo, (req, res) => {
    const a = sessionOf(req);
    noStore(res).json(sessions.view(a));
  });
  r.delete('/', limitedToo, async (req, res) => {
    await sessions.logout(sessionOf(req));
    cookie.clear(res);
    noStore(res).status(204).end();
  });
  r.post('/logout-all', session, async (req, res) => {
    await sessions.logoutEverywhere(sessionOf(req));
    cookie.clear(res);
    noStore(res).status(204).end();
  });
  r.post('/password', session, async (req, res) => {
    const b = parse(changePasswordSchema, req.body);
    await sessions.changePassword(sessionOf(req), b.currentPassword, b.newPassword);
    noStore(res).status(204).end();
  });
  r.post('/totp/setup', limitedToo, async (req, res) => {
    noStore(res).json(await sessions.setupTotp(sessionOf(req)));
  });
  r.post('/totp/enable', limitedToo, async (req, res) => {
    noStore(res).json(await sessions.enableTotp(sessionOf(req), parse(totpCodeSchema, req.body).code));
  });
  r.post('/totp/disable', session, async (req, res) => {
    await sessions.disableTotp(sessionOf(req), parse(passwordConfirmSchema, req.body).password);
    noStore(res).status(204).end();
  });
  return r;
}
