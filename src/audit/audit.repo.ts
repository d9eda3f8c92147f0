import type { Db } from '../db/open.js';
import { redactUrl } from './redact.js';

/** Details as a reader of the log may see them: a URL (a webhook's) never with its tokens, also in rows written before this rule. */
function readable(detail: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!detail || typeof detail.url !== 'string') return detail;
  return { ...detail, url: redactUrl(detail.url) };
}

export interface AuditEntry {
  actor: string;
  action: string;
  targetType: string;
  targetId?: string | null;
  siteId?: string | null;
  detail?: Record<string, unknown>;
}

export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  targetType: string;
  targetId: string | null;
  site: string | null;
  detail: Record<string, unknown> | null;
}

export function auditRepo(db: Db, now: () => number = Date.now) {
  const insert = db.prepare(
    'INSERT INTO audit_log (at, actor, action, target_type, target_id, site_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const page = db.prepare(
    `SELECT id, at, actor, action, target_type, target_id, site_id, detail FROM audit_log
     WHERE (@site IS NULL OR site_id = @site) AND (@action IS NULL OR action = @action) AND (@before IS NULL OR id < @before)
     ORDER BY id DESC LIMIT @limit`,
  );
  return {
    /** Call inside the same transaction as the change it records. A `detail.url` is stored redacted. */
    record(e: AuditEntry): void {
      const detail = readable(e.detail ?? null);
      insert.run(now(), e.actor, e.action, e.targetType, e.targetId ?? null, e.siteId ?? null, detail ? JSON.stringify(detail) : null);
    },
    list(q: { site?: string | undefined; action?: string | undefined; before?: number | undefined; limit: number }): AuditRow[] {
      const rows = page.all({ site: q.site ?? null, action: q.action ?? null, before: q.before ?? null, limit: q.limit }) as {
        id: number; at: number; actor: string; action: string; target_type: string; target_id: string | null; site_id: string | null; detail: string | null;
      }[];
      return rows.map((r) => ({
        id: r.id,
        at: new Date(r.at).toISOString(),
        actor: r.actor,
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        site: r.site_id,
        detail: readable(r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null),
      }));
    },
  };
}

export type AuditRepo = ReturnType<typeof auditRepo>;
