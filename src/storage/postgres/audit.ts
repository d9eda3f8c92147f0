import type { AuditRecord, AuditRow, AuditStore } from '../../audit/audit.store.js';
import type { PgDb } from './db.js';
import type { Client } from './pool.js';
import { AUDIT_COLUMNS, auditMapper, type AuditLogRow } from '../rows/audit.js';
import { postgresFormat } from '../rows/format.js';
import { QUOTED_COMMENT_TEXT } from '../../audit/redact.js';

const toAuditRow = auditMapper(postgresFormat);

/** Writes an audit entry inside the transaction of the change it records. */
export async function writeAudit(c: Client, e: AuditRecord | null | undefined): Promise<void> {
  if (!e) return;
  await c.query(
    'INSERT INTO audit_log (at, actor, actor_id, action, target_type, target_id, site_id, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
    [e.at, e.actorName, e.actorId, e.action, e.targetType, e.targetId, e.siteId, e.detail === null ? null : JSON.stringify(e.detail)],
  );
}

const { action, fields, marker } = QUOTED_COMMENT_TEXT;
const eraseQuotedSql = (comments: string) => `
  UPDATE audit_log SET detail = (detail ${fields.map((f) => `- '${f}'`).join(' ')}) || '{"${marker}": true}'::jsonb
  WHERE action = '${action}' AND target_id IN (SELECT id FROM comments WHERE ${comments})`;
const ERASE_QUOTED = { comments: eraseQuotedSql('id = ANY($1) OR parent_id = ANY($1)'), site: eraseQuotedSql('site_id = $1') };

/**
 * Drops the words the audit quotes of these comments and their replies (redact.ts); call it in the
 * transaction that deletes them, before the delete.
 */
export async function eraseQuotedText(c: Client, commentIds: readonly string[]): Promise<void> {
  if (commentIds.length) await c.query(ERASE_QUOTED.comments, [commentIds]);
}

/** The same for every comment of a site, before the site's deletion takes them. */
export async function eraseQuotedTextOfSite(c: Client, siteId: string): Promise<void> {
  await c.query(ERASE_QUOTED.site, [siteId]);
}

export function pgAuditStore(db: PgDb): AuditStore {
  return {
    record: (e) => db.write((c) => writeAudit(c, e)),
    async list(q) {
      const rows = await db.rows<AuditLogRow<unknown>>(
        `SELECT ${AUDIT_COLUMNS} FROM audit_log
         WHERE ($1::text[] IS NULL OR site_id = ANY($1)) AND ($2::text IS NULL OR action = $2) AND ($3::bigint IS NULL OR id < $3)
           AND ($5::text IS NULL OR actor_id = $5) AND ($6::bigint IS NULL OR at >= $6) AND ($7::bigint IS NULL OR at < $7)
           AND ($8::text IS NULL OR target_type = $8) AND ($9::text IS NULL OR target_id = $9)
         ORDER BY id DESC LIMIT $4`,
        [q.sites, q.action ?? null, q.before ?? null, q.limit, q.actorId ?? null, q.from ?? null, q.to ?? null, q.targetType ?? null, q.targetId ?? null],
      );
      return rows.map(toAuditRow);
    },
  };
}
