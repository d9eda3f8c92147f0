/** An audit entry as it is stored: who (key id and name), what, on which site, when. */
export interface AuditRecord {
  at: number;
  actorId: string | null;
  actorName: string;
  action: string;
  targetType: string;
  targetId: string | null;
  siteId: string | null;
  detail: Record<string, unknown> | null;
}

export interface AuditRow extends Omit<AuditRecord, 'at'> {
  id: number;
  at: number;
}

export interface AuditQuery {
  /** null: every site. */
  sites: readonly string[] | null;
  action?: string | undefined;
  /** The key's id, or "user:<username>", "cli", "seed". */
  actorId?: string | undefined;
  /** Entries at or after `from`, and before `to` (epoch ms). */
  from?: number | undefined;
  to?: number | undefined;
  /** One thing's history: its type ("comment"), and its id. */
  targetType?: string | undefined;
  targetId?: string | undefined;
  /** Entries older than this id (the cursor). */
  before?: number | undefined;
  limit: number;
}

/**
 * What the audit log needs from storage. Changes write their entry in their own transaction
 * (every store's mutations take the AuditRecord); `record` is for acts with no other write
 * (an export, a backup).
 */
export interface AuditStore {
  record(entry: AuditRecord): Promise<void>;
  /** Newest first. */
  list(q: AuditQuery): Promise<AuditRow[]>;
}
