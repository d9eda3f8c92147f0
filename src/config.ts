import { isIP } from 'node:net';
import addressparser from 'nodemailer/lib/addressparser';
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

/** A boolean that may be left unset (undefined), for defaults that depend on another variable. */
const optionalBool = z.preprocess((v) => (v === undefined || v === '' ? undefined : v), bool(false).optional());
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

/** Express's names for address ranges in "trust proxy" (proxy-addr). */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** One entry of a TRUST_PROXY list: an IP, a subnet (ip/bits or IPv4 ip/netmask), or one of Express's range names. */
export function isProxyEntry(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const slash = entry.indexOf('/');
  const ip = slash === -1 ? entry : entry.slice(0, slash);
  const family = isIP(ip);
  if (!family) return false;
  if (slash === -1) return true;
  const range = entry.slice(slash + 1);
  if (/^\d{1,3}$/.test(range)) return Number(range) <= (family === 4 ? 32 : 128);
  return family === 4 && isIP(range) === 4;
}

const TRUST_PROXY_TRUE =
  "TRUST_PROXY=true would believe any client's X-Forwarded-For (every per-IP cap could be dodged with one made-up header); " +
  "set the proxy's address (TRUST_PROXY=127.0.0.1 or loopback or 10.0.0.0/8) or a hop count (TRUST_PROXY=1)";

/**
 * TRUST_PROXY follows Express's "trust proxy" setting, except `true`: off by default; a hop
 * count, or a comma-separated list of addresses/subnets ("loopback", "10.0.0.0/8"). Each entry
 * is checked here, so a typo stops the start with a message instead of a stack trace later.
 */
const trustProxy = z.preprocess(
  (v) => (v === undefined || v === '' ? 'false' : v),
  z
    .string()
    .trim()
    .superRefine((s, ctx) => {
      const lower = s.toLowerCase();
      if (lower === 'true') ctx.addIssue({ code: 'custom', message: TRUST_PROXY_TRUE });
      else if (lower !== 'false' && !/^\d+$/.test(s)) {
        const bad = s.split(',').map((e) => e.trim()).filter((e) => !isProxyEntry(e));
        if (bad.length)
          ctx.addIssue({
            code: 'custom',
            message: `${bad.map((e) => JSON.stringify(e)).join(', ')} is not an IP address, a subnet (10.0.0.0/8), a hop count, loopback, linklocal or uniquelocal`,
          });
      }
    })
    .transform((s): false | number | string => {
      if (s.toLowerCase() === 'false') return false;
      if (/^\d+$/.test(s)) return Number(s);
      return s;
    }),
);

/** smtp://user:pass@host:587 (STARTTLS when offered) or smtps://…:465 (TLS from the start). */
const smtpUrl = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z
    .string()
    .refine((s) => {
      try {
        const u = new URL(s);
        return (u.protocol === 'smtp:' || u.protocol === 'smtps:') && u.hostname !== '';
      } catch {
        return false;
      }
    }, 'must be an smtp:// or smtps:// URL with a host (e.g. smtp://user:password@mail.example.vn:587)')
    .optional(),
);

/** One sender, with an optional display name: `"Cổng thông tin xã" <noreply@xa.gov.vn>` or `noreply@xa.gov.vn`. */
const mailFrom = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z
    .string()
    .refine((s) => {
      if (/[\u0000-\u001F\u007F]/.test(s)) return false;
      const list = addressparser(s, { flatten: true });
      return list.length === 1 && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(list[0]!.address);
    }, 'must be one address, optionally with a name: "Cổng thông tin xã" <noreply@xa.gov.vn>')
    .optional(),
);

/** Variables whose value a configuration error must not repeat. */
const SECRET_VARIABLES = new Set(['SMTP_URL']);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(8080, 0, 65535),
  /** An IP address of this machine, `localhost`, or a host name it resolves (checked at start-up, before the database is opened). */
  HOST: z.preprocess(
    (v) => (v === undefined || v === '' ? '0.0.0.0' : typeof v === 'string' ? v.trim() : v),
    z.string().refine((h) => isIP(h) !== 0 || HOSTNAME.test(h), 'must be an IP address (0.0.0.0, 127.0.0.1, ::) or a host name'),
  ),
  DATABASE_PATH: z.string().min(1).default('./data/ykien.db'),
  /** postgres://user:password@host:5432/ykien selects PostgreSQL (several instances on one database); unset = SQLite at DATABASE_PATH. */
  DATABASE_URL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .refine((s) => /^postgres(ql)?:\/\/./.test(s), 'must be a postgres:// or postgresql:// URL (e.g. postgres://ykien:secret@127.0.0.1:5432/ykien)')
      .optional(),
  ),
  /** Connections each instance keeps to PostgreSQL. */
  PG_POOL_SIZE: int(10, 1, 200),
  /** A PostgreSQL statement (and a wait for a connection) longer than this is cut off: the request gets 503, never a hang. */
  PG_STATEMENT_TIMEOUT_MS: int(5_000, 100, 600_000),
  /** TLS to PostgreSQL: off, require (encrypted, certificate not checked) or verify (checked against the system CAs or PG_SSL_CA_FILE). */
  PG_SSL: z.enum(['off', 'require', 'verify']).default('off'),
  /** A CA certificate (PEM) that the PostgreSQL server's certificate must chain to, with PG_SSL=verify. */
  PG_SSL_CA_FILE: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  TRUST_PROXY: trustProxy,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Public base URL, used in links the service prints (demo page, no-JS poll pages). */
  PUBLIC_URL: z.string().url().optional().or(z.literal('').transform(() => undefined)),
  DEFAULT_TIMEZONE: z.preprocess((v) => (v === '' ? undefined : v), timeZone.default('Asia/Ho_Chi_Minh')),
  /** Seed the demo site and poll on first start; unset = only in development (never by default in production). */
  SEED_DEMO: optionalBool,
  /** Every per-IP cap, rate limit and IP hash treats an IPv6 address as its network of this many bits. */
  IPV6_PREFIX_LENGTH: int(64, 32, 128),
  /** Votes one IP may cast in one poll per 24 h; 0 = no cap. */
  VOTE_LIMIT_PER_IP: int(50),
  /** Requests per IP per minute; 0 disables that tier. */
  RATE_LIMIT_WRITE_PER_MIN: int(30),
  RATE_LIMIT_READ_PER_MIN: int(600),
  RATE_LIMIT_ADMIN_PER_MIN: int(600),
  /** New page keys one site's view counters may gain per day (its time zone); 0 = no cap. */
  COUNTER_NEW_PAGES_PER_DAY: int(2000),
  /** Page-view counts per IP per minute (generous: a whole office behind one NAT reads the portal); 0 = off. */
  RATE_LIMIT_VIEWS_PER_MIN: int(120),
  /** Live results streams (server-sent events) one network (an IPv4 address, an IPv6 /64) may hold open at once. */
  LIVE_MAX_PER_CLIENT: int(6, 0, 1_000),
  /** Live results streams one instance holds open at once; beyond it a page falls back to polling. */
  LIVE_MAX_STREAMS: int(2_000, 0, 100_000),
  /** How often live streams look for a change (one storage version read per tick for all streams). */
  LIVE_TICK_MS: int(1_000, 100, 60_000),
  /** A comment line on every quiet stream this often, so proxies and NATs keep it open. */
  LIVE_HEARTBEAT_MS: int(25_000, 1_000, 300_000),
  /** Largest JSON body accepted, in bytes. */
  BODY_LIMIT_BYTES: int(16 * 1024, 256, 1024 * 1024),
  /** Captcha for comments: svg (default) or off (intranets, black-box tests). */
  CAPTCHA: z.enum(['svg', 'off']).default('svg'),
  CAPTCHA_TTL_SECONDS: int(300, 10, 3600),
  /** Proof of work on comments: auto (on whenever the captcha is), on, or off. The accessible path always has one. */
  POW: z.enum(['auto', 'on', 'off']).default('auto'),
  /** Largest number the widget may have to hash up to; it tries half as many on average (tuned in README). */
  POW_MAX_NUMBER: int(30_000, 1_000, 10_000_000),
  /** How many times more work the "I can't read the code" path costs than the picture. */
  POW_ACCESSIBLE_FACTOR: int(5, 2, 50),
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
  /** Let webhooks reach loopback, private and other special-purpose addresses (an intranet receiver). */
  WEBHOOK_ALLOW_PRIVATE: bool(false),
  /** E-mail to moderators: the SMTP server (its password is a secret: never logged or shown). Unset = no e-mail. */
  SMTP_URL: smtpUrl,
  /** The sender of those mails; required with SMTP_URL. */
  MAIL_FROM: mailFrom,
  /** Time allowed to connect, for the greeting and for each SMTP reply; attempts in all; first retry delay (doubles). */
  MAIL_TIMEOUT_MS: int(15_000, 100, 300_000),
  MAIL_MAX_ATTEMPTS: int(6, 1, 20),
  MAIL_RETRY_BASE_MS: int(60_000, 0, 3_600_000),
  /** One mail per comment for at most this many comments per site and hour; beyond, one digest an hour (a spam wave). */
  MAIL_COMMENT_MAILS_PER_HOUR: int(20, 1, 1000),
  RETENTION_DAYS: int(180, 1, 36500),
  /** Bearer token accepted by GET /metrics in addition to admin keys. */
  METRICS_TOKEN: z.string().min(16).optional().or(z.literal('').transform(() => undefined)),
  /**
   * Secret the IP and view-visitor hash keys are derived from (HKDF, one key per purpose). Unset,
   * a random salt kept in the database is used, which a stolen backup would then carry too.
   */
  HASH_SALT: z.string().min(16).optional().or(z.literal('').transform(() => undefined)),
  /** A console session ends after this many minutes without a request, and after SESSION_MAX_HOURS whatever the activity. */
  SESSION_IDLE_MINUTES: int(30, 1, 24 * 60),
  SESSION_MAX_HOURS: int(12, 1, 24 * 30),
  /** Admins must sign in with a two-factor code; one without it set up gets a session that can only set it up. */
  REQUIRE_TOTP_FOR_ADMINS: bool(false),
  /** Failed logins allowed per username and per client network within LOGIN_THROTTLE_MINUTES, before 429. */
  LOGIN_MAX_FAILURES_PER_USER: int(5, 1, 1000),
  LOGIN_MAX_FAILURES_PER_IP: int(20, 1, 100_000),
  LOGIN_THROTTLE_MINUTES: int(15, 1, 24 * 60),
  /** scrypt's cost for new password hashes, as log2(N) (15: 32 MiB and tens of milliseconds a hash); old hashes keep theirs. */
  PASSWORD_SCRYPT_LOG2N: int(15, 14, 20),
  SHUTDOWN_TIMEOUT_MS: int(10_000, 100, 120_000),
  /** Slow clients: whole request headers within this, whole request (headers + body) within that, idle keep-alive this long. */
  HEADERS_TIMEOUT_MS: int(10_000, 100, 600_000),
  REQUEST_TIMEOUT_MS: int(30_000, 100, 3_600_000),
  KEEP_ALIVE_TIMEOUT_MS: int(5_000, 100, 600_000),
});

export type Config = Omit<z.infer<typeof schema>, 'SEED_DEMO'> & { SEED_DEMO: boolean };

export class ConfigError extends Error {}

/** Parse the environment once. Throws ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.fromEntries(Object.keys(schema.shape).map((k) => [k, env[k]]));
  const result = schema.safeParse(known);
  if (!result.success) {
    const got = (name: string) => (SECRET_VARIABLES.has(name) ? 'a value not shown here: it may hold a password' : JSON.stringify(known[name]));
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${got(String(i.path[0]))})`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (result.data.SMTP_URL && !result.data.MAIL_FROM)
    throw new ConfigError('Invalid configuration:\n  MAIL_FROM: is required with SMTP_URL (the sender of the mails to moderators, e.g. "Cổng thông tin xã" <noreply@xa.gov.vn>)');
  return { ...result.data, SEED_DEMO: result.data.SEED_DEMO ?? result.data.NODE_ENV === 'development' };
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
    // Tests that turn the captcha on solve its proof of work in Node: keep it cheap there.
    POW_MAX_NUMBER: 1_000,
    RATE_LIMIT_COMMENT_PER_MIN: 0,
    RATE_LIMIT_CAPTCHA_PER_MIN: 0,
    WEBHOOK_RETRY_BASE_MS: 10,
    HASH_SALT: 'test-salt-0123456789abcdef',
    // Below what production accepts: tests hash many passwords; the hash carries its cost, so this proves nothing weaker.
    PASSWORD_SCRYPT_LOG2N: 10,
    ...overrides,
  };
}
