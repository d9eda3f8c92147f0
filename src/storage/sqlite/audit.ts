import type { AuditQuery, AuditRecord, AuditRow, AuditStore } from '../../audit/audit.store.js';
import type { Db } from './open.js';
import { AUDIT_COLUMNS, auditMapper, type AuditLogRow } from '../rows/audit.js';
import { sqliteFormat } from '../rows/format.js';
import { QUOTED_COMMENT_TEXT } from '../../audit/redact.js';

const toAuditRow = auditMapper(sqliteFormat);

/** Writes audit entries; stores call it inside the transaction of the change an entry records. */
export function auditWriter(db: Db): (e: AuditRecord | null | undefined) => void {
  const insert = db.prepare(
    'INSERT INTO audit_log (at, actor, actor_id, action, target_type, target_id, site_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  return (e) => {
    if (!e) return;
    insert.run(e.at, e.actorName, e.actorId, e.action, e.targetType, e.targetId, e.siteId, e.detail ? JSON.stringify(e.detail) : null);
  };
}

const { action, fields, marker } = QUOTED_COMMENT_TEXT;

const OF = { comment: 'id = @id OR parent_id = @id', site: 'site_id = @id' } as const;

/**
 * Drops the words the audit quotes of a comment and its replies, or of every comment of a site
 * (redact.ts); call it in the transaction that deletes them, before the delete.
 */
export function quotedTextEraser(db: Db, of: keyof typeof OF): (id: string) => void {
  const erase = db.prepare(
    `UPDATE audit_log SET detail = json_set(json_remove(detail, ${fields.map((f) => `'$.${f}'`).join(', ')}), '$.${marker}', json('true'))
     WHERE action = '${action}' AND target_id IN (SELECT id FROM comments WHERE ${OF[of]})`,
  );
  return (id) => void erase.run({ id });
}

export function sqliteAuditStore(db: Db): AuditStore {
  const write = auditWriter(db);
  const page = db.prepare(
    `SELECT ${AUDIT_COLUMNS} FROM audit_log
     WHERE (@all = 1 OR site_id IN (SELECT value FROM json_each(@sites))) AND (@action IS NULL OR action = @action)
       AND (@before IS NULL OR id < @before) AND (@actorId IS NULL OR actor_id = @actorId)
       AND (@from IS NULL OR at >= @from) AND (@to IS NULL OR at < @to)
       AND (@targetType IS NULL OR target_type = @targetType) AND (@targetId IS NULL OR target_id = @targetId)
     ORDER BY id DESC LIMIT @limit`,
  );
  return {
    record: async (e) => write(e),
    async list(q: AuditQuery): Promise<AuditRow[]> {
      const rows = page.all({ all: q.sites === null ? 1 : 0, sites: JSON.stringify(q.sites ?? []), action: q.action ?? null, before: q.before ?? null, actorId: q.actorId ?? null, from: q.from ?? null, to: q.to ?? null, targetType: q.targetType ?? null, targetId: q.targetId ?? null, limit: q.limit }) as AuditLogRow<string>[];
      return rows.map(toAuditRow);
    },
  };
}
