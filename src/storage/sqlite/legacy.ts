import { auditRecord, type AuditEntry } from '../../audit/audit.entry.js';
import { auditWriter } from './audit.js';
import type { Db } from './open.js';

/**
 * TRANSITION ONLY (removed when comments, counters and exports are behind their stores): the
 * synchronous audit writer those features still call inside their own SQLite transactions.
 */
export function legacyAuditRepo(db: Db, now: () => number) {
  const write = auditWriter(db);
  return { record: (e: AuditEntry) => write(auditRecord(e, now())) };
}

export type LegacyAuditRepo = ReturnType<typeof legacyAuditRepo>;
