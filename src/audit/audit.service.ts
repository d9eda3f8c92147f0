import { scopeOf } from '../access/access.js';
import type { Principal } from '../access/principal.js';
import { auditRecord, readableDetail, type AuditEntry } from './audit.entry.js';
import type { AuditStore } from './audit.store.js';

export type { AuditView } from '../api/audit.js';
import type { AuditPage, AuditView } from '../api/audit.js';

/** What the log can be narrowed to besides the site (GET /v1/admin/audit's query). */
export interface AuditFilters {
  action?: string | undefined;
  /** The key's id or "user:<username>". */
  actor?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
}

export function auditService(store: AuditStore, now: () => number) {
  return {
    /** The stored form of an entry, for a store to write in the transaction of the change it records. */
    entry: (e: AuditEntry) => auditRecord(e, now()),
    /** Records an act that writes nothing else (an export, a backup). */
    record: (e: AuditEntry) => store.record(auditRecord(e, now())),
    /** Newest first; a moderator sees its own sites only. */
    async list(p: Principal, q: AuditFilters & { site?: string | undefined; cursor?: number | undefined; limit: number }): Promise<AuditPage> {
      const { site, cursor, actor, ...filters } = q;
      const rows = await store.list({ ...filters, sites: scopeOf(p, site), actorId: actor, before: cursor, limit: q.limit });
      const entries: AuditView[] = rows.map((r) => ({
        id: r.id,
        at: new Date(r.at).toISOString(),
        actor: r.actorName,
        actorId: r.actorId,
        action: r.action,
        targetType: r.targetType,
        targetId: r.targetId,
        site: r.siteId,
        // Rows written before URLs were redacted on the way in are redacted on the way out.
        detail: readableDetail(r.detail),
      }));
      return { entries, nextCursor: entries.length === q.limit ? String(entries.at(-1)!.id) : null };
    },
  };
}

export type AuditService = ReturnType<typeof auditService>;
