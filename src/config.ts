import { isIP } from 'node:net';
import { z } from 'zod';

/** Whole-number environment variable with bounds; empty string counts as unset. */
const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? def : v),
    z.coerce.number().int().min(min).max(max),
  );

const bool = (def: boolean) =>
  z.preprocess((v) => {
    if (v === undefined || v === '') return def;
    if (typeof v === 'string') {
      const s = v.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(s)) return true;
      if (['0', 'false', 'no', 'off'].includes(s)) return false;
    }
    return v;
  }, z.boolean());

/** RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, 253 characters at most. */
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

const timeZone = z.string().refine((tz) => isValidTimeZone(tz), 'is not an IANA time zone');

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * TRUST_PROXY follows Express's "trust proxy" setting: off by default; "true"/"false",
 * a hop count, or a comma-separated list of addresses/subnets ("loopback", "10.0.0.0/8").
 */
const trustProxy = z.preprocess(
  (v) => (v === undefined || v === '' ? 'false' : v),
  z
    .string()
    .trim()
    .transform((s): boolean | number | string => {
      if (s === 'true') return true;
      if (s === 'false') return false;
      if (/^\d+$/.test(s)) return Number(s);
      return s;
    }),
);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(8080, 0, 65535),
  /** An IP address of this machine, `localhost`, or a host name it resolves (checked at start-up, before the database is opened). */
  HOST: z.preprocess(
    (v) => (v === undefined || v === '' ? '0.0.0.0' : typeof v === 'string' ? v.trim() : v),
    z.string().refine((h) => isIP(h) !== 0 || HOSTNAME.test(h), 'must be an IP address (0.0.0.0, 127.0.0.1, ::) or a host name'),
  ),
  DATABASE_PATH: z.string().min(1).default('./data/ykien.db'),
  TRUST_PROXY: trustProxy,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Public base URL, used in links the service prints (demo page, no-JS poll pages). */
  PUBLIC_URL: z.string().url().optional().or(z.literal('').transform(() => undefined)),
  DEFAULT_TIMEZONE: z.preprocess((v) => (v === '' ? undefined : v), timeZone.default('Asia/Ho_Chi_Minh')),
  /** Seed the demo site and poll on first start. */
  SEED_DEMO: bool(true),
  /** Votes one IP may cast in one poll per 24 h; 0 = no cap. */
  VOTE_LIMIT_PER_IP: int(50),
  /** Requests per IP per minute; 0 disables that tier. */
  RATE_LIMIT_WRITE_PER_MIN: int(30),
  RATE_LIMIT_READ_PER_MIN: int(600),
  RATE_LIMIT_ADMIN_PER_MIN: int(600),
  /** Page-view counts per IP per minute (generous: a whole office behind one NAT reads the portal); 0 = off. */
  RATE_LIMIT_VIEWS_PER_MIN: int(120),
  /** Largest JSON body accepted, in bytes. */
  BODY_LIMIT_BYTES: int(16 * 1024, 256, 1024 * 1024),
  /** Captcha for comments: svg (default) or off (intranets, black-box tests). */
  CAPTCHA: z.enum(['svg', 'off']).default('svg'),
  CAPTCHA_TTL_SECONDS: int(300, 10, 3600),
  COMMENT_MIN_SECONDS: int(3, 0, 3600),
  /** Comments with more links than this go to "spam" for a moderator to look at. */
  COMMENT_MAX_LINKS: int(2, 0, 1000),
  /** Comment posts and captcha fetches per IP per minute, on top of the write tier; 0 = off. */
  RATE_LIMIT_COMMENT_PER_MIN: int(5),
  RATE_LIMIT_CAPTCHA_PER_MIN: int(20),
  /** Comment webhooks: time allowed per attempt, attempts in all, first retry delay (doubles each time). */
  WEBHOOK_TIMEOUT_MS: int(5_000, 100, 60_000),
  WEBHOOK_MAX_ATTEMPTS: int(4, 1, 10),
  WEBHOOK_RETRY_BASE_MS: int(2_000, 0, 600_000),
  RETENTION_DAYS: int(180, 1, 36500),
  /** Bearer token accepted by GET /metrics in addition to admin keys. */
  METRICS_TOKEN: z.string().min(16).optional().or(z.literal('').transform(() => undefined)),
  /** Overrides the per-install random salt used to hash IPs and voter ids. */
  HASH_SALT: z.string().min(16).optional().or(z.literal('').transform(() => undefined)),
  SHUTDOWN_TIMEOUT_MS: int(10_000, 100, 120_000),
  /** Slow clients: whole request headers within this, whole request (headers + body) within that, idle keep-alive this long. */
  HEADERS_TIMEOUT_MS: int(10_000, 100, 600_000),
  REQUEST_TIMEOUT_MS: int(30_000, 100, 3_600_000),
  KEEP_ALIVE_TIMEOUT_MS: int(5_000, 100, 600_000),
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {}

/** Parse the environment once. Throws ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.fromEntries(Object.keys(schema.shape).map((k) => [k, env[k]]));
  const result = schema.safeParse(known);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(known[String(i.path[0])])})`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** Config for tests and tools: defaults plus overrides, no environment read. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_PATH: ':memory:', SEED_DEMO: 'false' }),
    RATE_LIMIT_WRITE_PER_MIN: 0,
    RATE_LIMIT_READ_PER_MIN: 0,
    RATE_LIMIT_ADMIN_PER_MIN: 0,
    RATE_LIMIT_VIEWS_PER_MIN: 0,
    VOTE_LIMIT_PER_IP: 0,
    CAPTCHA: 'off',
    COMMENT_MIN_SECONDS: 0,
    RATE_LIMIT_COMMENT_PER_MIN: 0,
    RATE_LIMIT_CAPTCHA_PER_MIN: 0,
    WEBHOOK_RETRY_BASE_MS: 10,
    HASH_SALT: 'test-salt-0123456789abcdef',
    ...overrides,
  };
}
