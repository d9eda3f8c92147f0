import type { MailStore, OutboxMail, WaitingSite } from '../../mail/mail.store.js';
import { newId } from '../../util/ids.js';
import type { Db } from './open.js';
import { toOutboxMail, toWaitingComment, type OutboxRow, type WaitingRow } from '../rows/mail.js';

/** The mail queue on SQLite: one process per file, so a claim is an UPDATE in an IMMEDIATE transaction. */
export function sqliteMailStore(db: Db): MailStore {
  const s = {
    enqueue: db.prepare('INSERT INTO mail_waiting (comment_id, site_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
    sites: db.prepare('SELECT site_id AS siteId, COUNT(*) AS waiting, MIN(created_at) AS oldestAt FROM mail_waiting GROUP BY site_id ORDER BY site_id'),
    waiting: db.prepare(
      `SELECT c.id, c.site_id, c.thread_key, c.name, c.content, c.status, c.created_at, w.created_at AS queued_at
       FROM mail_waiting w JOIN comments c ON c.id = w.comment_id WHERE w.site_id = ? ORDER BY w.created_at, c.id`,
    ),
    recent: db.prepare("SELECT COUNT(DISTINCT batch) FROM mail_outbox WHERE site_id = ? AND kind = 'comment' AND created_at >= ?").pluck(),
    consume: db.prepare('DELETE FROM mail_waiting WHERE comment_id = ?'),
    insert: db.prepare(
      `INSERT INTO mail_outbox (id, site_id, batch, kind, recipient, subject, body_text, body_html, next_attempt_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    due: db.prepare("SELECT * FROM mail_outbox WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?"),
    take: db.prepare('UPDATE mail_outbox SET next_attempt_at = ?, attempts = attempts + 1 WHERE id = ?'),
    sent: db.prepare("UPDATE mail_outbox SET status = 'sent', body_text = '', body_html = '', finished_at = ?, last_error = NULL WHERE id = ? AND status = 'queued'"),
    retry: db.prepare("UPDATE mail_outbox SET next_attempt_at = ?, last_error = ? WHERE id = ? AND status = 'queued'"),
    fail: db.prepare("UPDATE mail_outbox SET status = 'failed', body_text = '', body_html = '', finished_at = ?, last_error = ? WHERE id = ? AND status = 'queued'"),
    counts: db.prepare(
      `SELECT (SELECT COUNT(*) FROM mail_waiting) AS waiting,
              (SELECT COUNT(*) FROM mail_outbox WHERE status = 'queued') AS queued,
              (SELECT COUNT(*) FROM mail_outbox WHERE status = 'failed') AS failed`,
    ),
    prune: db.prepare("DELETE FROM mail_outbox WHERE status IN ('sent', 'failed') AND finished_at < ?"),
  };

  const compose = db.transaction((siteId: string, since: number, at: number, plan: Parameters<MailStore['compose']>[3]) => {
    const waiting = (s.waiting.all(siteId) as WaitingRow[]).map(toWaitingComment);
    const { mails, consumed } = plan(waiting, s.recent.get(siteId, since) as number);
    let written = 0;
    for (const m of mails)
      for (const to of m.recipients) {
        s.insert.run(newId(16), siteId, m.batch, m.kind, to, m.subject, m.text, m.html, at, at);
        written++;
      }
    for (const id of consumed) s.consume.run(id);
    return written;
  });

  const claim = db.transaction((at: number, leaseMs: number, limit: number): OutboxMail[] => {
    const rows = s.due.all(at, limit) as OutboxRow[];
    for (const r of rows) s.take.run(at + leaseMs, r.id);
    return rows.map((r) => toOutboxMail({ ...r, attempts: r.attempts + 1 }));
  });

  return {
    enqueue: async (siteId, commentId, at) => void s.enqueue.run(commentId, siteId, at),
    waitingSites: async () => s.sites.all() as WaitingSite[],
    compose: async (siteId, since, at, plan) => compose.immediate(siteId, since, at, plan),
    claim: async (at, leaseMs, limit) => claim.immediate(at, leaseMs, limit),
    sent: async (id, at) => void s.sent.run(at, id),
    retry: async (id, nextAt, error) => void s.retry.run(nextAt, error, id),
    fail: async (id, at, error) => void s.fail.run(at, error, id),
    counts: async () => s.counts.get() as { waiting: number; queued: number; failed: number },
    prune: async (before) => s.prune.run(before).changes,
  };
}

