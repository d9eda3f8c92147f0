import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { MemoryStore, type Options, type Store } from 'express-rate-limit';
import type { HitCounter } from '../storage/storage.js';
import type { Config } from '../config.js';
import { memoized } from '../util/memo.js';
import { networkKey } from '../util/network.js';
import { sendProblem } from './problem.js';

/** One hit counted for a client, with the headers the limiter answers it with. */
export interface LimitCount {
  /** RateLimit's and RateLimit-Policy's values for this hit. */
  rateLimit: string;
  policy: string;
  /** Over the limit: the answer is a 429 with Retry-After (seconds). */
  over: boolean;
  retryAfter: string;
}

/** The middleware, and what the fast lane (src/http/lane/) calls for a read it answers without Express. */
export interface Limiter extends RequestHandler {
  /**
   * Counts one hit for the client at `ip` (req.ip) exactly as the middleware does; undefined on a limiter
   * that is off. Throws when no key can be made of `ip` (the middleware passes that error on).
   */
  readonly count?: (ip: string | undefined) => Promise<LimitCount>;
  /** What the middleware answers to a hit over the limit, once the count's headers are set. */
  readonly refuse?: (req: Request, res: Response) => void;
}

export interface RateLimiters {
  /** Public writes: votes, comments, captcha, page views. */
  write: Limiter;
  /** Public reads. */
  read: Limiter;
  /** Anything under /v1/admin. */
  admin: RequestHandler;
  /** Build a limiter of your own (per-feature tiers); perMinute 0 = off. */
  make(perMinute: number, name: string): Limiter;
}

const pass: Limiter = (_req, _res, next) => next();

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

const WINDOW_MS = 60_000;
/** Partition keys remembered (the hash of a client's key, sent on every answer); emptied when full. */
const PARTITION_KEYS = 10_000;

/** As express-rate-limit's Response.append through Express: a second limiter on a route adds a second line. */
function append(res: Response, name: string, value: string): void {
  const prev = res.getHeader(name);
  res.setHeader(name, prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [String(prev), value]);
}

/**
 * A fixed one-minute window per client key over an express-rate-limit store (its MemoryStore, or the
 * counts every instance shares), answering exactly as express-rate-limit's own middleware does with
 * `standardHeaders: 'draft-8'` (RateLimit and RateLimit-Policy with the SHA-256 partition key,
 * Retry-After on a 429); tests/rateLimits.parity.test.ts holds the two side by side. Its own because
 * that middleware cost ~25 µs of CPU per request (five awaits, a SHA-256 and validations each time),
 * about a quarter of a cached read (bench/results.md); here a request costs one store call.
 */
export function fixedWindowLimiter(o: {
  perMinute: number;
  store: Store;
  /** The client's key from its address (req.ip): the fast lane has no Express request to give. */
  key(req: Pick<Request, 'ip'>): string;
  onLimited: (req: Request, res: Response) => void;
}): Limiter {
  const { perMinute, store } = o;
  store.init?.({ windowMs: WINDOW_MS, limit: perMinute } as Options);
  const identifier = `"${perMinute}-in-${WINDOW_MS / 60_000}min"`;
  const policy = `${identifier}; q=${perMinute}; w=${WINDOW_MS / 1000}; pk=:`;
  const partitionKey = memoized((key) => Buffer.from(createHash('sha256').update(key).digest('hex').slice(0, 12)).toString('base64'), PARTITION_KEYS);
  const count = (ip: string | undefined): Promise<LimitCount> => {
    const key = o.key({ ip });
    return Promise.resolve(store.increment(key)).then((info) => {
      const reset = info.resetTime ? Math.max(0, Math.ceil((info.resetTime.getTime() - Date.now()) / 1000)) : WINDOW_MS / 1000;
      return {
        rateLimit: `${identifier}; r=${Math.max(perMinute - info.totalHits, 0)}; t=${reset}`,
        policy: `${policy}${partitionKey(key)}:`,
        over: info.totalHits > perMinute,
        retryAfter: String(reset),
      };
    });
  };
  const middleware: RequestHandler = (req, res, next) => {
    let counted: Promise<LimitCount>;
    try {
      counted = count(req.ip);
    } catch (err) {
      return next(err);
    }
    counted.then((c) => {
      if (!res.headersSent) {
        append(res, 'RateLimit', c.rateLimit);
        append(res, 'RateLimit-Policy', c.policy);
      }
      if (!c.over) return next();
      if (!res.headersSent) res.setHeader('Retry-After', c.retryAfter);
      o.onLimited(req, res);
    }, next);
  };
  return Object.assign(middleware, { count, refuse: o.onLimited });
}

/** `hits`: counts shared between instances (several instances on PostgreSQL); without it each process counts alone. */
export function createRateLimiters(config: Config, onLimited?: (tier: string) => void, hits?: HitCounter): RateLimiters {
  // Every limited request asks for its address's network: remembered for the addresses seen lately.
  const networkOf = memoized((ip) => networkKey(ip, config.IPV6_PREFIX_LENGTH), PARTITION_KEYS);
  const make = (perMinute: number, name: string): Limiter => {
    if (perMinute <= 0) return pass;
    return fixedWindowLimiter({
      perMinute,
      store: hits ? sharedStore(hits, name) : new MemoryStore(),
      // req.ip honours TRUST_PROXY and nothing else; an IPv6 client counts as its /64 (IPV6_PREFIX_LENGTH).
      key: (req) => (req.ip ? networkOf(req.ip) : networkKey(undefined, config.IPV6_PREFIX_LENGTH)),
      onLimited: (_req, res) => {
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
