import type { AuditRecord, AuditRow, AuditStore } from '../../audit/audit.store.js';
import type { PgDb } from './db.js';
import type { Client } from './pool.js';

/** Writes an audit entry inside the transaction of the change it records. */
export async function writeAudit(c: Client, e: AuditRecord | null | undefined): Promise<void> {
  if (!e) return;
  await c.query(
    'INSERT INTO audit_log (at, actor, actor_id, action, target_type, target_id, site_id, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
    [e.at, e.actorName, e.actorId, e.action, e.targetType, e.targetId, e.siteId, e.detail === null ? null : JSON.stringify(e.detail)],
  );
}

interface Row {
  id: number;
  at: number;
  actor: string;
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  site_id: string | null;
  detail: Record<string, unknown> | null;
}

export function pgAuditStore(db: PgDb): AuditStore {
  return {
    record: (e) => db.write((c) => writeAudit(c, e)),
    async list(q) {
      const rows = await db.rows<Row>(
        `SELECT id, at, actor, actor_id, action, target_type, target_id, site_id, detail FROM audit_log
         WHERE ($1::text[] IS NULL OR site_id = ANY($1)) AND ($2::text IS NULL OR action = $2) AND ($3::bigint IS NULL OR id < $3)
         ORDER BY id DESC LIMIT $4`,
        [q.sites, q.action ?? null, q.before ?? null, q.limit],
      );
      return rows.map(
        (r): AuditRow => ({
          id: r.id,
          at: r.at,
          actorName: r.actor,
          actorId: r.actor_id,
          action: r.action,
          targetType: r.target_type,
          targetId: r.target_id,
          siteId: r.site_id,
          detail: r.detail,
        }),
      );
    },
  };
}
