// An audit log entry as the admin API answers it (GET /v1/admin/audit): the console is written against it too.

/** An entry as the API shows it. */
export interface AuditView {
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

/** GET /v1/admin/audit: newest first; `nextCursor` is the `cursor` of the next page. */
export interface AuditPage {
  entries: AuditView[];
  nextCursor: string | null;
}
