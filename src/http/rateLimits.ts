import type { RequestHandler } from 'express';
import { rateLimit, type Options, type Store } from 'express-rate-limit';
import type { HitCounter } from '../storage/storage.js';
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

/** express-rate-limit's store over counts shared by every instance (PostgreSQL), one key space per limiter. */
function sharedStore(hits: HitCounter, name: string): Store {
  let windowMs = 60_000;
  let limit = 0;
  return {
    prefix: `${name}:`,
    localKeys: false,
    init(options: Options) {
      windowMs = options.windowMs;
      limit = typeof options.limit === 'number' ? options.limit : 0;
    },
    async increment(key) {
      const r = await hits.hit(`${name}:${key}`, windowMs, limit);
      return { totalHits: r.hits, resetTime: new Date(r.resetAt) };
    },
    decrement: (key) => hits.undo(`${name}:${key}`),
    resetKey: (key) => hits.reset(`${name}:${key}`),
  };
}

/** `hits`: counts shared between instances (several instances on PostgreSQL); without it each process counts alone. */
export function createRateLimiters(config: Config, onLimited?: (tier: string) => void, hits?: HitCounter): RateLimiters {
  const make = (perMinute: number, name: string): RequestHandler => {
    if (perMinute <= 0) return pass;
    return rateLimit({
      windowMs: 60_000,
      limit: perMinute,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      ...(hits && { store: sharedStore(hits, name) }),
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
