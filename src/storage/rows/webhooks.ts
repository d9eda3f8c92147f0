/** A site_webhooks row, the same on both backends. */
export interface WebhookRow {
  site_id: string;
  url: string;
  secret: string;
  created_at: number;
  updated_at: number;
}
