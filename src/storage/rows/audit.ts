import type { AuditRow } from '../../audit/audit.store.js';
import type { RowFormat } from './format.js';

/** An audit_log row; `detail` is JSON text on SQLite, JSONB on PostgreSQL. */
export interface AuditLogRow<Json> {
  id: number;
  at: number;
  actor: string;
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  site_id: string | null;
  detail: Json | null;
}

export const AUDIT_COLUMNS = 'id, at, actor, actor_id, action, target_type, target_id, site_id, detail';

export const auditMapper =
  <Json>(format: RowFormat<Json, unknown>) =>
  (r: AuditLogRow<Json>): AuditRow => ({
    id: r.id,
    at: r.at,
    actorName: r.actor,
    actorId: r.actor_id,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    siteId: r.site_id,
    detail: r.detail ? format.json<Record<string, unknown>>(r.detail) : null,
  });
