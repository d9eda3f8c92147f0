import { createHmac, randomUUID } from 'node:crypto';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import type { Db } from '../storage/sqlite/open.js';
import type { Logger } from '../logger.js';

export interface WebhookConfig {
  url: string;
  secret: string;
}

export interface WebhookOptions {
  timeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  now: () => number;
  logger?: Logger | undefined;
  /** WEBHOOK_ALLOW_PRIVATE: deliver to loopback, private and other special-purpose addresses too. */
  allowPrivate?: boolean;
  /** Name resolution (dns.lookup); tests stand in for an attacker's DNS. */
  lookup?: LookupFunction;
}

/**
 * Addresses a webhook must not reach unless WEBHOOK_ALLOW_PRIVATE: IANA special-purpose ranges
 * (RFC 6890 and successors). IPv4-mapped IPv6 (::ffff:127.0.0.1) is checked as its IPv4 address;
 * NAT64 and 6to4 prefixes, which embed an IPv4 address, are refused whole.
 */
const SPECIAL = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const)
  SPECIAL.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 23], ['2001:db8::', 32], ['2002::', 16],
  ['3fff::', 20], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const)
  SPECIAL.addSubnet(net, bits, 'ipv6');

/** True for an address a webhook must not reach by default (loopback, private, link-local, CGNAT, metadata, …). */
export function isSpecialAddress(ip: string): boolean {
  const family = isIP(ip);
  if (!family) return true;
  return SPECIAL.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

/** The host of a URL as an IP address when it is one (brackets of IPv6 removed), else undefined. */
const literalIp = (host: string) => {
  const h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return isIP(h) ? h : undefined;
};

/** Why a webhook URL may not be stored, judged on its text alone (a literal address or a localhost name), or undefined. */
export function refusedTarget(url: string, allowPrivate: boolean): string | undefined {
  if (allowPrivate) return undefined;
  const host = new URL(url).hostname.toLowerCase();
  const ip = literalIp(host);
  if (ip ? isSpecialAddress(ip) : host === 'localhost' || host.endsWith('.localhost'))
    return 'is a loopback, private or special-purpose address (set WEBHOOK_ALLOW_PRIVATE=true to allow an intranet receiver)';
  return undefined;
}

class TargetNotAllowed extends Error {
  readonly code = 'ETARGETNOTALLOWED';
}

/**
 * dns.lookup that drops special-purpose addresses. The socket connects to what this returns,
 * so the address checked is the address used (a name that rebinds to 127.0.0.1 between the
 * check and the connection cannot slip through: there is no second resolution).
 */
function guardedLookup(resolve: LookupFunction, allowPrivate: boolean): LookupFunction {
  return ((hostname: string, options: dns.LookupOptions, callback: (err: Error | null, address: string | dns.LookupAddress[], family?: number) => void) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const list = (Array.isArray(addresses) ? addresses : [{ address: addresses, family: isIP(addresses) }]).filter(
        (a) => allowPrivate || !isSpecialAddress(a.address),
      );
      if (!list.length) return callback(new TargetNotAllowed(`${hostname} resolves only to private or special-purpose addresses`), '');
      if (options.all) callback(null, list);
      else callback(null, list[0]!.address, list[0]!.family);
    });
  }) as LookupFunction;
}

/** `sha256=<hex>` of HMAC-SHA256(secret, raw body): what X-Ykien-Signature carries. */
export const signBody = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref?.());

/**
 * Per-site webhook, POSTed when a comment waits for moderation. Delivery runs after the
 * response is sent: each attempt has a timeout, failures (network, timeout, 5xx, 429) are
 * retried with doubling delays, and nothing here can fail or slow the commenter's request.
 */
export function webhookService(db: Db, opts: WebhookOptions) {
  const s = {
    get: db.prepare('SELECT url, secret FROM site_webhooks WHERE site_id = ?'),
    upsert: db.prepare(
      `INSERT INTO site_webhooks (site_id, url, secret, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (site_id) DO UPDATE SET url = excluded.url, secret = excluded.secret, updated_at = excluded.updated_at`,
    ),
    delete: db.prepare('DELETE FROM site_webhooks WHERE site_id = ?'),
    info: db.prepare('SELECT url, created_at, updated_at FROM site_webhooks WHERE site_id = ?'),
  };
  const inFlight = new Set<Promise<void>>();
  const allowPrivate = opts.allowPrivate ?? false;
  const lookup = guardedLookup(opts.lookup ?? (dns.lookup as LookupFunction), allowPrivate);

  /** One POST; redirects are not followed. Resolves with the status code. */
  function post(url: URL, headers: Record<string, string>, body: string): Promise<number> {
    const ip = literalIp(url.hostname);
    // A literal address is connected to without a lookup: check it here.
    if (ip && !allowPrivate && isSpecialAddress(ip)) return Promise.reject(new TargetNotAllowed(`${ip} is a private or special-purpose address`));
    return new Promise((resolve, reject) => {
      const req = (url.protocol === 'https:' ? https : http).request(
        url,
        { method: 'POST', headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) }, lookup, agent: false, signal: AbortSignal.timeout(opts.timeoutMs) },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  async function attempt(hook: WebhookConfig, event: string, body: string, delivery: string): Promise<'ok' | 'retry' | 'give_up' | 'target_not_allowed'> {
    try {
      const status = await post(new URL(hook.url), {
        'Content-Type': 'application/json; charset=utf-8',
        'User-Agent': 'ykien-webhook/1',
        'X-Ykien-Event': event,
        'X-Ykien-Delivery': delivery,
        'X-Ykien-Signature': signBody(hook.secret, body),
      }, body);
      if (status >= 200 && status < 300) return 'ok';
      return status >= 500 || status === 429 || status === 408 ? 'retry' : 'give_up';
    } catch (err) {
      return err instanceof TargetNotAllowed ? 'target_not_allowed' : 'retry';
    }
  }

  async function deliver(siteId: string, hook: WebhookConfig, event: string, body: string): Promise<void> {
    const delivery = randomUUID();
    for (let n = 1; n <= opts.maxAttempts; n++) {
      const result = await attempt(hook, event, body, delivery);
      if (result === 'ok') return;
      if (result === 'target_not_allowed') {
        opts.logger?.warn({ site: siteId, event, delivery, reason: 'target_not_allowed' }, 'comment webhook not delivered: its address is loopback, private or special-purpose');
        return;
      }
      if (result === 'give_up' || n === opts.maxAttempts) {
        opts.logger?.warn({ site: siteId, event, delivery, attempts: n }, 'comment webhook not delivered');
        return;
      }
      await sleep(opts.retryBaseMs * 2 ** (n - 1));
    }
  }

  return {
    get: (siteId: string) => s.get.get(siteId) as WebhookConfig | undefined,
    info(siteId: string): { url: string; createdAt: string; updatedAt: string } | null {
      const r = s.info.get(siteId) as { url: string; created_at: number; updated_at: number } | undefined;
      return r ? { url: r.url, createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString() } : null;
    },
    /** Call inside the caller's transaction (with its audit record). */
    set: (siteId: string, hook: WebhookConfig) => void s.upsert.run(siteId, hook.url, hook.secret, opts.now(), opts.now()),
    remove: (siteId: string) => s.delete.run(siteId).changes > 0,

    /** Queues a delivery for after the current response; returns at once. */
    notify(siteId: string, event: string, payload: Record<string, unknown>): void {
      const hook = s.get.get(siteId) as WebhookConfig | undefined;
      if (!hook) return;
      const body = JSON.stringify({ event, site: siteId, sentAt: new Date(opts.now()).toISOString(), ...payload });
      const p: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => deliver(siteId, hook, event, body))
        .catch((err: unknown) => opts.logger?.error({ err, site: siteId }, 'comment webhook failed'))
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    },

    /** Resolves when every queued delivery has finished (tests, graceful shutdown). */
    async idle(): Promise<void> {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
  };
}

export type WebhookService = ReturnType<typeof webhookService>;
