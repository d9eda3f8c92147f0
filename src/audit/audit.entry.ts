import type { AuditAction, AuditTargetType } from './actions.js';
import { resolveActor, type ActorRef } from './actor.js';
import type { AuditRecord } from './audit.store.js';
import { redactUrl } from './redact.js';

export interface AuditEntry {
  /** The key (id and name) or system actor; a bare name records no key id (see actor.ts). */
  actor: ActorRef;
  action: AuditAction;
  targetType: AuditTargetType;
  targetId?: string | null;
  siteId?: string | null;
  detail?: Record<string, unknown>;
}

/** Details as a reader of the log may see them: a URL (a webhook's) never with its tokens. */
export function readableDetail(detail: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!detail || typeof detail.url !== 'string') return detail;
  return { ...detail, url: redactUrl(detail.url) };
}

/** The entry as it is stored: the actor resolved to id and name, a URL redacted, the time of `at`. */
export function auditRecord(e: AuditEntry, at: number): AuditRecord {
  const actor = resolveActor(e.actor);
  return {
    at,
    actorId: actor.id,
    actorName: actor.name,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId ?? null,
    siteId: e.siteId ?? null,
    detail: readableDetail(e.detail ?? null),
  };
}
