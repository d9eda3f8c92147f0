import type { OutboxMail, WaitingComment } from '../../mail/mail.store.js';

/** A waiting comment as both backends read it (mail_waiting joined with comments). */
export interface WaitingRow {
  id: string;
  site_id: string;
  thread_key: string;
  name: string;
  content: string;
  status: string;
  created_at: number;
  queued_at: number;
}

/** A mail_outbox row, the same on both backends. */
export interface OutboxRow {
  id: string;
  site_id: string;
  batch: string;
  kind: 'comment' | 'digest';
  recipient: string;
  subject: string;
  body_text: string;
  body_html: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  finished_at: number | null;
}

export const toWaitingComment = (r: WaitingRow): WaitingComment => ({
  id: r.id,
  siteId: r.site_id,
  threadKey: r.thread_key,
  name: r.name,
  content: r.content,
  status: r.status,
  createdAt: r.created_at,
  queuedAt: r.queued_at,
});

export const toOutboxMail = (r: OutboxRow): OutboxMail => ({
  id: r.id,
  siteId: r.site_id,
  batch: r.batch,
  kind: r.kind,
  recipient: r.recipient,
  subject: r.subject,
  text: r.body_text,
  html: r.body_html,
  attempts: r.attempts,
});
