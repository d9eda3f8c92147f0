import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Config } from '../config.js';
import { networkKey } from '../util/network.js';
import { sendProblem } from './problem.js';

export interface RateLimiters {
  /** Public writes: votes, comments, captcha, page views. */
  write: RequestHandler;
  /** Public reads. */
  read: RequestHandler;
  /** Anything under /v1/admin. */
  admin: RequestHandler;
  /** Build a limiter of your own (per-feature tiers); perMinute 0 = off. */
  make(perMinute: number, name: string): RequestHandler;
}

const pass: RequestHandler = (_req, _res, next) => next();

export function createRateLimiters(config: Config, onLimited?: (tier: string) => void): RateLimiters {
  const make = (perMinute: number, name: string): RequestHandler => {
    if (perMinute <= 0) return pass;
    return rateLimit({
      windowMs: 60_000,
      limit: perMinute,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      // req.ip honours TRUST_PROXY and nothing else; an IPv6 client counts as its /64 (IPV6_PREFIX_LENGTH).
      keyGenerator: (incoming) => networkKey(incoming.ip, config.IPV6_PREFIX_LENGTH),
      handler: (_req, res) => {
        onLimited?.(name);
        sendProblem(res, 429, 'rate_limited', 'Too many requests from this address. Please wait a minute and try again.');
      },
    });
  };
  return {
    write: make(config.RATE_LIMIT_WRITE_PER_MIN, 'write'),
    read: make(config.RATE_LIMIT_READ_PER_MIN, 'read'),
    admin: make(config.RATE_LIMIT_ADMIN_PER_MIN, 'admin'),
    make,
  };
}
