import type { WebhookRecord, WebhooksStore } from '../../comments/webhooks.store.js';
import { auditWriter } from './audit.js';
import type { Db } from './open.js';
import type { WebhookRow } from '../rows/webhooks.js';

export function sqliteWebhooksStore(db: Db): WebhooksStore {
  const writeAudit = auditWriter(db);
  const s = {
    get: db.prepare('SELECT * FROM site_webhooks WHERE site_id = ?'),
    upsert: db.prepare(
      `INSERT INTO site_webhooks (site_id, url, secret, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (site_id) DO UPDATE SET url = excluded.url, secret = excluded.secret, updated_at = excluded.updated_at`,
    ),
    delete: db.prepare('DELETE FROM site_webhooks WHERE site_id = ?'),
  };
  const set = db.transaction((siteId: string, hook: { url: string; secret: string }, at: number, audit: Parameters<WebhooksStore['set']>[3]) => {
    s.upsert.run(siteId, hook.url, hook.secret, at, at);
    writeAudit(audit);
  });
  const remove = db.transaction((siteId: string, audit: Parameters<WebhooksStore['remove']>[1]) => {
    if (s.delete.run(siteId).changes === 0) return false;
    writeAudit(audit);
    return true;
  });
  return {
    async get(siteId) {
      const r = s.get.get(siteId) as WebhookRow | undefined;
      return r && ({ siteId: r.site_id, url: r.url, secret: r.secret, createdAt: r.created_at, updatedAt: r.updated_at } satisfies WebhookRecord);
    },
    set: async (siteId, hook, at, audit) => set.immediate(siteId, hook, at, audit),
    remove: async (siteId, audit) => remove.immediate(siteId, audit),
  };
}
