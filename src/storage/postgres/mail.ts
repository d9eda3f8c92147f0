import type { MailStore, OutboxCounts, WaitingSite } from '../../mail/mail.store.js';
import { newId } from '../../util/ids.js';
import type { PgDb } from './db.js';
import { toOutboxMail, toWaitingComment, type OutboxRow, type WaitingRow } from '../rows/mail.js';

/**
 * The mail queue shared by every instance. Composing a site's mails holds a transaction-level advisory lock
 * on the site, so two instances never put one comment in two mails nor both count under the hourly cap;
 * a claim takes due rows with FOR UPDATE SKIP LOCKED and moves them past the lease in the same statement.
 * Nothing a cached answer is built from changes here: the writes leave the change version alone.
 */
export function pgMailStore(db: PgDb): MailStore {
  const quiet = { unversioned: true } as const;
  return {
    enqueue: async (siteId, commentId, at) => {
      await db.writeStatement(
        { text: 'INSERT INTO mail_waiting (comment_id, site_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', values: [commentId, siteId, at] },
        quiet,
      );
    },
    waitingSites: () =>
      db.rows<WaitingSite>(
        'SELECT site_id AS "siteId", COUNT(*)::int AS waiting, MIN(created_at) AS "oldestAt" FROM mail_waiting GROUP BY site_id ORDER BY site_id',
      ),
    compose: (siteId, since, at, plan) =>
      db.write(async (c) => {
        await c.query("SELECT pg_advisory_xact_lock(hashtextextended('ykien-mail:' || $1, 0))", [siteId]);
        const waiting = (
          await c.query<WaitingRow>(
            `SELECT c.id, c.site_id, c.thread_key, c.name, c.content, c.status, c.created_at, w.created_at AS queued_at
             FROM mail_waiting w JOIN comments c ON c.id = w.comment_id WHERE w.site_id = $1 ORDER BY w.created_at, c.id`,
            [siteId],
          )
        ).rows.map(toWaitingComment);
        const recent = (
          await c.query<{ n: number }>("SELECT COUNT(DISTINCT batch)::int AS n FROM mail_outbox WHERE site_id = $1 AND kind = 'comment' AND created_at >= $2", [siteId, since])
        ).rows[0]!.n;
        const { mails, consumed } = plan(waiting, recent);
        let written = 0;
        for (const m of mails)
          for (const to of m.recipients) {
            await c.query(
              `INSERT INTO mail_outbox (id, site_id, batch, kind, recipient, subject, body_text, body_html, next_attempt_at, created_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
              [newId(16), siteId, m.batch, m.kind, to, m.subject, m.text, m.html, at],
            );
            written++;
          }
        if (consumed.length) await c.query('DELETE FROM mail_waiting WHERE comment_id = ANY($1)', [consumed]);
        return written;
      }, quiet),
    claim: async (at, leaseMs, limit) => {
      const { rows } = await db.writeStatement<OutboxRow>(
        {
          text: `UPDATE mail_outbox SET next_attempt_at = $2, attempts = attempts + 1
                 WHERE id IN (SELECT id FROM mail_outbox WHERE status = 'queued' AND next_attempt_at <= $1
                              ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
                 RETURNING *`,
          values: [at, at + leaseMs, limit],
        },
        quiet,
      );
      return rows.map(toOutboxMail);
    },
    sent: async (id, at) => {
      await db.writeStatement({ text: "UPDATE mail_outbox SET status = 'sent', body_text = '', body_html = '', finished_at = $2, last_error = NULL WHERE id = $1 AND status = 'queued'", values: [id, at] }, quiet);
    },
    retry: async (id, nextAt, error) => {
      await db.writeStatement({ text: "UPDATE mail_outbox SET next_attempt_at = $2, last_error = $3 WHERE id = $1 AND status = 'queued'", values: [id, nextAt, error] }, quiet);
    },
    fail: async (id, at, error) => {
      await db.writeStatement({ text: "UPDATE mail_outbox SET status = 'failed', body_text = '', body_html = '', finished_at = $2, last_error = $3 WHERE id = $1 AND status = 'queued'", values: [id, at, error] }, quiet);
    },
    counts: async () =>
      (
        await db.rows<OutboxCounts>(
          `SELECT (SELECT COUNT(*) FROM mail_waiting)::int AS waiting,
                  (SELECT COUNT(*) FROM mail_outbox WHERE status = 'queued')::int AS queued,
                  (SELECT COUNT(*) FROM mail_outbox WHERE status = 'failed')::int AS failed`,
        )
      )[0]!,
    prune: async (before) =>
      (await db.writeStatement({ text: "DELETE FROM mail_outbox WHERE status IN ('sent', 'failed') AND finished_at < $1", values: [before] }, quiet)).rowCount ?? 0,
  };
}
