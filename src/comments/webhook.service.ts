import { createHmac, randomUUID } from 'node:crypto';
import type { Db } from '../db/open.js';
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

  async function attempt(hook: WebhookConfig, event: string, body: string, delivery: string): Promise<'ok' | 'retry' | 'give_up'> {
    try {
      const res = await fetch(hook.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'User-Agent': 'ykien-webhook/1',
          'X-Ykien-Event': event,
          'X-Ykien-Delivery': delivery,
          'X-Ykien-Signature': signBody(hook.secret, body),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
      await res.body?.cancel().catch(() => {});
      if (res.ok) return 'ok';
      return res.status >= 500 || res.status === 429 || res.status === 408 ? 'retry' : 'give_up';
    } catch {
      return 'retry';
    }
  }

  async function deliver(siteId: string, hook: WebhookConfig, event: string, body: string): Promise<void> {
    const delivery = randomUUID();
    for (let n = 1; n <= opts.maxAttempts; n++) {
      const result = await attempt(hook, event, body, delivery);
      if (result === 'ok') return;
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
