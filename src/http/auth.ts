import type { Request, RequestHandler } from 'express';
import { keyActor, type Actor } from '../audit/actor.js';
import { forbidden, unauthorized } from '../errors.js';
import type { KeysService, Principal } from '../keys/keys.service.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      principal?: Principal;
    }
  }
}

/** Reads `Authorization: Bearer KEY`; 401 for a missing, malformed, unknown or revoked key. */
export function requireKey(keys: KeysService): RequestHandler {
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const principal = match ? keys.authenticate(match[1]!) : undefined;
    if (!principal) throw unauthorized();
    req.principal = principal;
    next();
  };
}

export const requireAdmin: RequestHandler = (req, _res, next) => {
  if (req.principal?.role !== 'admin') throw forbidden('This needs an admin key.');
  next();
};

/** The authenticated principal; only call behind requireKey. */
export function principalOf(req: Request): Principal {
  if (!req.principal) throw unauthorized();
  return req.principal;
}

/** Who the audit log records for this request: the key's id and name. */
export const actorOf = (req: Request): Actor => keyActor(principalOf(req));

/** Admins see every site; a scoped moderator only its own. */
export function canAccessSite(p: Principal, siteId: string): boolean {
  return p.role === 'admin' || p.siteId === null || p.siteId === siteId;
}

export function assertSiteAccess(p: Principal, siteId: string): void {
  if (!canAccessSite(p, siteId)) throw forbidden(`This key may not act on site "${siteId}".`);
}
