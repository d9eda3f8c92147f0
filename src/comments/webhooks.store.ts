import type { AuditRecord } from '../audit/audit.store.js';

/** A site's moderation webhook as stored. Times are epoch ms; the secret is never shown. */
export interface WebhookRecord {
  siteId: string;
  url: string;
  /** HMAC-SHA256 key of the signature. */
  secret: string;
  createdAt: number;
  updatedAt: number;
}

/** What the webhooks need from storage: one per site. */
export interface WebhooksStore {
  get(siteId: string): Promise<WebhookRecord | undefined>;
  /** Creates or replaces the site's webhook (createdAt kept on a replace), with its audit entry, in one transaction. */
  set(siteId: string, hook: { url: string; secret: string }, at: number, audit: AuditRecord): Promise<void>;
  /** Removes it with its audit entry; false (and no entry written) when there was none. */
  remove(siteId: string, audit: AuditRecord): Promise<boolean>;
}
