import type { AuditAction } from '../audit/actions.js';
import { createHmac, randomUUID } from 'node:crypto';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { WebhookInfo } from '../api/comments.js';
import type { ActorRef } from '../audit/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import { AppError, notFound } from '../errors.js';
import type { Logger } from '../logger.js';
import { guardedLookup, isSpecialAddress, literalIp, refusedTarget, TargetNotAllowed } from './webhook.targets.js';
import type { WebhooksStore } from './webhooks.store.js';

export interface WebhookConfig {
  url: string;
  secret: string;
}

export type { WebhookInfo } from '../api/comments.js';

export interface WebhookOptions {
  timeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  now: () => number;
  audit: AuditService;
  sites: { require(id: string): Promise<unknown> };
  logger?: Logger | undefined;
  /** WEBHOOK_ALLOW_PRIVATE: deliver to loopback, private and other special-purpose addresses too. */
  allowPrivate?: boolean;
  /** Name resolution (dns.lookup); tests stand in for an attacker's DNS. */
  lookup?: LookupFunction;
}

/** `sha256=<hex>` of HMAC-SHA256(secret, raw body): what X-Ykien-Signature carries. */
export const signBody = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref?.());
const hookNotFound = (site: string) => notFound(`A webhook for site "${site}"`);

/**
 * Per-site webhook, POSTed when a comment waits for moderation. Delivery runs after the
 * response is sent: each attempt has a timeout, failures (network, timeout, 5xx, 429) are
 * retried with doubling delays, and nothing here can fail or slow the commenter's request.
 */
export function webhookService(store: WebhooksStore, opts: WebhookOptions) {
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

  async function info(siteId: string): Promise<WebhookInfo | undefined> {
    const r = await store.get(siteId);
    return r && { url: r.url, createdAt: new Date(r.createdAt).toISOString(), updatedAt: new Date(r.updatedAt).toISOString() };
  }

  const entry = (actor: ActorRef, action: AuditAction, site: string, detail?: Record<string, unknown>) =>
    opts.audit.entry({ actor, action, targetType: 'site', targetId: site, siteId: site, ...(detail && { detail }) });

  return {
    /** The site's webhook without its secret; 404 when the site or its webhook does not exist. */
    async info(siteId: string): Promise<WebhookInfo> {
      await opts.sites.require(siteId);
      const hook = await info(siteId);
      if (!hook) throw hookNotFound(siteId);
      return hook;
    },

    /** Creates or replaces the site's webhook, audited. A name is checked again, after resolution, at every delivery. */
    async set(siteId: string, hook: WebhookConfig, actor: ActorRef): Promise<WebhookInfo> {
      await opts.sites.require(siteId);
      const refused = refusedTarget(hook.url, allowPrivate);
      if (refused)
        throw new AppError(400, 'webhook_target_not_allowed', `The webhook URL ${refused}.`, { errors: [{ field: 'url', message: refused }] });
      await store.set(siteId, hook, opts.now(), entry(actor, 'webhook.set', siteId, { url: hook.url }));
      return (await info(siteId))!;
    },

    async remove(siteId: string, actor: ActorRef): Promise<void> {
      await opts.sites.require(siteId);
      if (!(await store.remove(siteId, entry(actor, 'webhook.delete', siteId)))) throw hookNotFound(siteId);
    },

    /** Queues a delivery for after the current response; returns at once. */
    notify(siteId: string, event: string, payload: Record<string, unknown>): void {
      const body = JSON.stringify({ event, site: siteId, sentAt: new Date(opts.now()).toISOString(), ...payload });
      const p: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => store.get(siteId))
        .then((hook) => hook && deliver(siteId, hook, event, body))
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
