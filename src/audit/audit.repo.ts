import type { Db } from '../db/open.js';
import { resolveActor, type ActorRef } from './actor.js';
import { redactUrl } from './redact.js';

/** Details as a reader of the log may see them: a URL (a webhook's) never with its tokens, also in rows written before this rule. */
function readable(detail: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!detail || typeof detail.url !== 'string') return detail;
  return { ...detail, url: redactUrl(detail.url) };
}

export interface AuditEntry {
  /** The key (id and name) or system actor; a bare name records no key id (see actor.ts). */
  actor: ActorRef;
  action: string;
  targetType: string;
  targetId?: string | null;
  siteId?: string | null;
  detail?: Record<string, unknown>;
}

export interface AuditRow {
  id: number;
  at: string;
  /** The key's name at the time (or "cli", "seed"). */
  actor: string;
  /** The key's id, "cli" or "seed"; null for entries written before keys were recorded by id. */
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  site: string | null;
  detail: Record<string, unknown> | null;
}

export function auditRepo(db: Db, now: () => number = Date.now) {
  const insert = db.prepare(
    'INSERT INTO audit_log (at, actor, actor_id, action, target_type, target_id, site_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const page = db.prepare(
    `SELECT id, at, actor, actor_id, action, target_type, target_id, site_id, detail FROM audit_log
     WHERE (@site IS NULL OR site_id = @site) AND (@action IS NULL OR action = @action) AND (@before IS NULL OR id < @before)
     ORDER BY id DESC LIMIT @limit`,
  );
  return {
    /** Call inside the same transaction as the change it records. A `detail.url` is stored redacted. */
    record(e: AuditEntry): void {
      const actor = resolveActor(e.actor);
      const detail = readable(e.detail ?? null);
      insert.run(now(), actor.name, actor.id, e.action, e.targetType, e.targetId ?? null, e.siteId ?? null, detail ? JSON.stringify(detail) : null);
    },
    list(q: { site?: string | undefined; action?: string | undefined; before?: number | undefined; limit: number }): AuditRow[] {
      const rows = page.all({ site: q.site ?? null, action: q.action ?? null, before: q.before ?? null, limit: q.limit }) as {
        id: number; at: number; actor: string; actor_id: string | null; action: string; target_type: string; target_id: string | null; site_id: string | null; detail: string | null;
      }[];
      return rows.map((r) => ({
        id: r.id,
        at: new Date(r.at).toISOString(),
        actor: r.actor,
        actorId: r.actor_id,
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
