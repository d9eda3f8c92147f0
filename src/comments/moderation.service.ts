import { assertAccess, canAccess, scopeOf } from '../access/access.js';
import type { Principal } from '../access/principal.js';
import { principalActor, type Actor } from '../audit/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import { AppError, fieldError, notFound } from '../errors.js';
import type { SitesService } from '../sites/sites.service.js';
import { resolveWhen } from '../exports/exports.schema.js';
import { newId } from '../util/ids.js';
import { encodeCursor, type AdminListQuery, type CountsQuery, type ModerationAction } from './comments.schema.js';
import { insertDelta } from './counters.js';
import type { CommentRecord, CommentStatus, CommentsStore, NewComment } from './comments.store.js';
import { toAdmin, type AdminComment } from './comments.view.js';
import { moderationWork, type ModerationWork } from './moderation.plan.js';

const TO_STATUS: Record<Exclude<ModerationAction, 'delete'>, CommentStatus> = { approve: 'approved', reject: 'rejected', spam: 'spam' };

/** Moderation: queues with private fields, status changes with the counter and audit kept in step, erasure. */
/** The name an editors' reply is shown under. */
export const EDITORS_NAME = 'Ban biên tập';

export function moderationService(store: CommentsStore, deps: { audit: AuditService; sites: SitesService; now: () => number; defaultTimezone: string }) {
  const { audit, now } = deps;

  /** The filters the queue and its counts share, with dates read in the site's zone (or the default one for all sites). */
  async function filters(p: Principal, q: CountsQuery) {
    const sites = scopeOf(p, q.site);
    const tz = q.site ? (await deps.sites.require(q.site)).timezone : deps.defaultTimezone;
    const from = resolveWhen(q.from, tz, false);
    const to = resolveWhen(q.to, tz, true);
    if (from !== undefined && to !== undefined && from >= to) throw fieldError('to', 'must be after from');
    return { sites, thread: q.thread, from, to, text: q.q };
  }

  /** One action on one comment, as a step of `work` (access already checked); the comment as it now is, or null. */
  function apply(work: ModerationWork, c: CommentRecord, action: ModerationAction, actor: Actor, extra: Record<string, unknown> = {}): CommentRecord | null {
    const about = { actor, targetType: 'comment' as const, targetId: c.id, siteId: c.siteId };
    if (action === 'delete') {
      const replies = c.parentId === null ? work.repliesOf(c.id).length : 0;
      work.remove(c);
      work.audit(audit.entry({ ...about, action: 'comment.delete', detail: { thread: c.threadKey, from: c.status, repliesRemoved: replies, ...extra } }));
      return null;
    }
    const to = TO_STATUS[action];
    const after = work.setStatus(c, to);
    work.audit(audit.entry({ ...about, action: `comment.${action}`, detail: { thread: c.threadKey, from: c.status, to, ...extra } }));
    return after;
  }

  return {
    async list(p: Principal, q: AdminListQuery): Promise<{ comments: AdminComment[]; nextCursor: string | null }> {
      const rows = await store.queue({ ...(await filters(p, q)), status: q.status, before: q.cursor, limit: q.limit + 1 });
      const more = rows.length > q.limit;
      const page = more ? rows.slice(0, q.limit) : rows;
      const last = page.at(-1);
      return { comments: page.map((r) => toAdmin(r)), nextCursor: more && last ? encodeCursor(last.createdAt, last.id) : null };
    },

    /** How many comments wait, were approved, rejected or filed as spam, under the same filters as the queue. */
    async counts(p: Principal, q: CountsQuery): Promise<Record<CommentStatus, number>> {
      return store.counts(await filters(p, q));
    },

    /** A moderator corrects a comment's text (a name or phone number left in it, a typo); audited with before and after. */
    async edit(p: Principal, id: string, content: string): Promise<AdminComment> {
      const actor = principalActor(p);
      const after = await store.edit(id, now(), (c) => {
        assertAccess(p, c.siteId);
        return {
          content,
          audit: audit.entry({ actor, action: 'comment.edit', targetType: 'comment', targetId: c.id, siteId: c.siteId, detail: { thread: c.threadKey, before: c.content, after: content } }),
        };
      });
      if (!after) throw notFound(`Comment "${id}"`);
      return toAdmin(after);
    },

    /** A reply from the editors under an approved top-level comment, published at once. */
    async reply(p: Principal, id: string, content: string): Promise<AdminComment> {
      const parent = await store.get(id);
      if (!parent) throw notFound(`Comment "${id}"`);
      assertAccess(p, parent.siteId);
      const actor = principalActor(p);
      const at = now();
      const reply: NewComment = {
        id: newId(12), siteId: parent.siteId, threadKey: parent.threadKey, parentId: parent.id, name: EDITORS_NAME, address: null, email: null,
        content, status: 'approved', spamReason: null, ipHash: null, userAgent: null, repeatKey: null, createdAt: at,
      };
      const entry = audit.entry({ actor, action: 'comment.reply', targetType: 'comment', targetId: reply.id, siteId: reply.siteId, detail: { thread: reply.threadKey, parentId: parent.id } });
      await store.insert(
        reply,
        (now) => {
          if (!now) throw notFound(`Comment "${id}"`);
          if (now.parentId !== null) throw new AppError(422, 'reply_too_deep', 'Replies go one level deep: reply to the comment it answers.');
          if (now.status !== 'approved') throw new AppError(409, 'parent_not_approved', 'Approve the comment before replying to it.');
          return insertDelta(reply, now);
        },
        undefined,
        entry,
      );
      const stored = await store.get(reply.id);
      return toAdmin(stored!);
    },

    async get(p: Principal, id: string): Promise<AdminComment> {
      const c = await store.get(id);
      if (!c) throw notFound(`Comment "${id}"`);
      assertAccess(p, c.siteId);
      return toAdmin(c);
    },

    act(p: Principal, id: string, action: ModerationAction): Promise<AdminComment | null> {
      const at = now();
      const actor = principalActor(p);
      return store.moderate({ ids: [id] }, at, (snapshot) => {
        const c = snapshot.targets[0];
        if (!c) throw notFound(`Comment "${id}"`);
        assertAccess(p, c.siteId);
        const work = moderationWork(snapshot, at, actor.name);
        const after = apply(work, c, action, actor);
        return work.plan(after && toAdmin(after));
      });
    },

    /** All or nothing: one unknown id or one comment of a site the key may not act on refuses the whole request. */
    bulk(p: Principal, ids: string[], action: ModerationAction): Promise<{ id: string; status: CommentStatus | 'deleted' }[]> {
      const at = now();
      const actor = principalActor(p);
      return store.moderate({ ids }, at, (snapshot) => {
        const found = new Set(snapshot.targets.map((c) => c.id));
        const missing = [...new Set(ids)].filter((id) => !found.has(id));
        if (missing.length) throw new AppError(404, 'not_found', `${missing.length} comment(s) were not found; nothing was changed.`, { missing });
        const denied = snapshot.targets.filter((c) => !canAccess(p, c.siteId)).map((c) => c.id);
        if (denied.length) throw new AppError(403, 'forbidden', 'This key may not act on some of these comments; nothing was changed.', { denied });
        const work = moderationWork(snapshot, at, actor.name);
        // Replies before comments: deleting a comment takes its replies with it.
        const ordered = [...snapshot.targets].sort((a, b) => Number(a.parentId === null) - Number(b.parentId === null));
        const results = ordered.map(({ id }) => {
          const c = work.current(id);
          const after = c ? apply(work, c, action, actor, { bulk: true }) : null;
          return { id, status: after ? after.status : ('deleted' as const) };
        });
        return work.plan(results);
      });
    },

    /** Deletes every comment of an e-mail (and the replies to them) on the sites the key may act on, or the one named. */
    async erase(p: Principal, site: string | undefined, email: string): Promise<{ erased: number; repliesRemoved: number }> {
      const sites = scopeOf(p, site);
      if (site) await deps.sites.require(site);
      const at = now();
      const actor = principalActor(p);
      return store.moderate({ email, sites }, at, (snapshot) => {
        const own = snapshot.targets;
        if (own.some((c) => !canAccess(p, c.siteId)))
          throw new AppError(403, 'forbidden', 'This commenter also wrote on sites this key may not act on; name the site.');
        const work = moderationWork(snapshot, at, actor.name);
        let repliesRemoved = 0;
        const touched = new Set<string>();
        for (const row of own) {
          const c = work.current(row.id);
          if (!c) continue; // went with its parent, counted below
          if (c.parentId === null) repliesRemoved += work.repliesOf(c.id).filter((r) => r.email !== email).length;
          work.remove(c);
          touched.add(c.siteId);
        }
        // The audit entry names no e-mail: it would outlive the erasure it records.
        const entrySites = touched.size ? [...touched] : [sites?.length === 1 ? sites[0]! : null];
        for (const s of entrySites)
          work.audit(audit.entry({ actor, action: 'commenter.erase', targetType: 'commenter', targetId: null, siteId: s, detail: { comments: own.filter((c) => c.siteId === s).length, repliesRemoved } }));
        return work.plan({ erased: own.length, repliesRemoved });
      });
    },
  };
}

export type ModerationService = ReturnType<typeof moderationService>;
