import { principalActor as keyActor, type Actor } from '../audit/actor.js';
import type { LegacyAuditRepo as AuditRepo } from '../storage/sqlite/legacy.js';
import type { Db } from '../storage/sqlite/open.js';
import { AppError, notFound } from '../errors.js';
import { assertAccess as assertSiteAccess, canAccess as canAccessSite, scopeOf } from '../access/access.js';
import type { Principal } from '../access/principal.js';
import type { SitesService } from '../sites/sites.service.js';
import type { CommentRow, CommentsRepo } from './comments.repo.js';
import { encodeCursor, type AdminListQuery, type CommentStatus, type ModerationAction } from './comments.schema.js';
import { toAdmin, type AdminComment } from './comments.view.js';
import { statusDelta } from './counters.js';

const TO_STATUS: Record<Exclude<ModerationAction, 'delete'>, CommentStatus> = { approve: 'approved', reject: 'rejected', spam: 'spam' };

/** The site a principal's list or erasure is about: a scoped moderator is pinned to its own. */
function siteFor(p: Principal, site: string | undefined): string | undefined {
  // Moderator keys name at most one site today (several sites per person come with the console).
  return scopeOf(p, site)?.[0];
}

/** Moderation: queues with private fields, status changes with the counter and audit kept in step, erasure. */
export function moderationService(db: Db, deps: { repo: CommentsRepo; audit: AuditRepo; sites: SitesService; now: () => number }) {
  const { repo, audit } = deps;

  /** Applies one action to one row; the caller holds the transaction and checked access. */
  function apply(c: CommentRow, action: ModerationAction, actor: Actor, extra: Record<string, unknown> = {}): AdminComment | null {
    const t = deps.now();
    if (action === 'delete') {
      const replies = c.parent_id === null ? repo.replyCount(c.id) : 0;
      repo.bump(c.site_id, c.thread_key, statusDelta(repo, c, 'deleted'));
      repo.delete(c.id);
      audit.record({
        actor, action: 'comment.delete', targetType: 'comment', targetId: c.id, siteId: c.site_id,
        detail: { thread: c.thread_key, from: c.status, repliesRemoved: replies, ...extra },
      });
      return null;
    }
    const to = TO_STATUS[action];
    repo.bump(c.site_id, c.thread_key, statusDelta(repo, c, to));
    repo.setStatus(c.id, to, t, actor.name);
    audit.record({
      actor, action: `comment.${action}`, targetType: 'comment', targetId: c.id, siteId: c.site_id,
      detail: { thread: c.thread_key, from: c.status, to, ...extra },
    });
    return toAdmin(repo.get(c.id)!);
  }

  const actOne = db.transaction((p: Principal, id: string, action: ModerationAction) => {
    const c = repo.get(id);
    if (!c) throw notFound(`Comment "${id}"`);
    assertSiteAccess(p, c.site_id);
    return apply(c, action, keyActor(p));
  });

  const actMany = db.transaction((p: Principal, ids: string[], action: ModerationAction) => {
    const unique = [...new Set(ids)];
    const rows = unique.map((id) => repo.get(id));
    const missing = unique.filter((_, i) => !rows[i]);
    if (missing.length) throw new AppError(404, 'not_found', `${missing.length} comment(s) were not found; nothing was changed.`, { missing });
    const denied = rows.filter((c) => !canAccessSite(p, c!.site_id)).map((c) => c!.id);
    if (denied.length) throw new AppError(403, 'forbidden', 'This key may not act on some of these comments; nothing was changed.', { denied });
    // Replies before comments: deleting a comment takes its replies with it.
    const ordered = [...rows].sort((a, b) => Number(a!.parent_id === null) - Number(b!.parent_id === null));
    const results: { id: string; status: CommentStatus | 'deleted' }[] = [];
    for (const row of ordered) {
      const c = repo.get(row!.id);
      if (!c) {
        results.push({ id: row!.id, status: 'deleted' });
        continue;
      }
      const after = apply(c, action, keyActor(p), { bulk: true });
      results.push({ id: c.id, status: after ? after.status : 'deleted' });
    }
    return results;
  });

  const erase = db.transaction((p: Principal, site: string | undefined, email: string) => {
    const own = repo.byEmail(email, site);
    const denied = own.filter((c) => !canAccessSite(p, c.site_id));
    if (denied.length) throw new AppError(403, 'forbidden', 'This commenter also wrote on sites this key may not act on; name the site.');
    let repliesRemoved = 0;
    const sites = new Set<string>();
    for (const row of own) {
      const c = repo.get(row.id);
      if (!c) continue; // went with its parent, counted below
      if (c.parent_id === null)
        repliesRemoved += repo.othersReplies(c.id, email);
      repo.bump(c.site_id, c.thread_key, statusDelta(repo, c, 'deleted'));
      repo.delete(c.id);
      sites.add(c.site_id);
    }
    const erased = own.length;
    // The audit entry names no e-mail: it would outlive the erasure it records.
    for (const s of sites.size ? sites : new Set([site ?? null]))
      audit.record({ actor: keyActor(p), action: 'commenter.erase', targetType: 'commenter', targetId: null, siteId: s, detail: { comments: own.filter((c) => c.site_id === s).length, repliesRemoved } });
    return { erased, repliesRemoved };
  });

  return {
    async list(p: Principal, q: AdminListQuery): Promise<{ comments: AdminComment[]; nextCursor: string | null }> {
      const site = siteFor(p, q.site);
      if (q.site) await deps.sites.require(q.site);
      const rows = repo.adminList({ status: q.status, thread: q.thread, cursor: q.cursor, site, limit: q.limit + 1 });
      const more = rows.length > q.limit;
      const page = more ? rows.slice(0, q.limit) : rows;
      const last = page.at(-1);
      return { comments: page.map((r) => toAdmin(r)), nextCursor: more && last ? encodeCursor(last.created_at, last.id) : null };
    },
    get(p: Principal, id: string): AdminComment {
      const c = repo.get(id);
      if (!c) throw notFound(`Comment "${id}"`);
      assertSiteAccess(p, c.site_id);
      return toAdmin(c);
    },
    act: (p: Principal, id: string, action: ModerationAction) => actOne.immediate(p, id, action),
    bulk: (p: Principal, ids: string[], action: ModerationAction) => actMany.immediate(p, ids, action),
    async erase(p: Principal, site: string | undefined, email: string) {
      if (site) await deps.sites.require(site);
      return erase.immediate(p, siteFor(p, site), email);
    },
  };
}

export type ModerationService = ReturnType<typeof moderationService>;
