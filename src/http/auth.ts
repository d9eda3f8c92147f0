import type { Request, RequestHandler } from 'express';
import { assertAdmin } from '../access/access.js';
import type { Principal } from '../access/principal.js';
import { principalActor, type Actor } from '../audit/actor.js';
import { unauthorized } from '../errors.js';
import type { KeysService } from '../keys/keys.service.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      principal?: Principal;
    }
  }
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
