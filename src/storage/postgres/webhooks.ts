import type { WebhookRecord, WebhooksStore } from '../../comments/webhooks.store.js';
import { writeAudit } from './audit.js';
import type { PgDb } from './db.js';
import type { WebhookRow } from '../rows/webhooks.js';

/** One webhook per site by its primary key: a set is an upsert, so two instances replacing it at once leave one row. */
export function pgWebhooksStore(db: PgDb): WebhooksStore {
  return {
    async get(siteId) {
      const r = (await db.rows<WebhookRow>('SELECT * FROM site_webhooks WHERE site_id = $1', [siteId]))[0];
      return r && ({ siteId: r.site_id, url: r.url, secret: r.secret, createdAt: r.created_at, updatedAt: r.updated_at } satisfies WebhookRecord);
    },
    set: (siteId, hook, at, audit) =>
      db.write(async (c) => {
        await c.query(
          `INSERT INTO site_webhooks (site_id, url, secret, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
           ON CONFLICT (site_id) DO UPDATE SET url = excluded.url, secret = excluded.secret, updated_at = excluded.updated_at`,
          [siteId, hook.url, hook.secret, at],
        );
        await writeAudit(c, audit);
      }),
    remove: (siteId, audit) =>
      db.write(async (c) => {
        if ((await c.query('DELETE FROM site_webhooks WHERE site_id = $1', [siteId])).rowCount === 0) return false;
        await writeAudit(c, audit);
        return true;
      }),
  };
}
