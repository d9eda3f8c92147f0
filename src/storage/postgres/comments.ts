import type { AuditRecord } from '../../audit/audit.store.js';
import type { AnswerClaim, CommentRecord, CommentStatus, CommentsStore, CountQuery, ModerationSnapshot, ModerationTarget, NewComment, PublicCommentRecord, QueueQuery, StoredAnswer } from '../../comments/comments.store.js';
import { eraseQuotedText, writeAudit } from './audit.js';
import type { PgDb } from './db.js';
import { toCommentRecord, type CommentRow } from '../rows/comments.js';
import type { Client } from './pool.js';

/** The public fields as one JSON object per comment (json_agg keeps the page one statement, hence one snapshot). */
const PUBLIC_JSON = `json_build_object('id', c.id, 'parentId', c.parent_id, 'name', c.name, 'address', c.address, 'content', c.content, 'createdAt', c.created_at)`;
const TOP_OF_THREAD = `site_id = $1 AND thread_key = $2 AND status = 'approved' AND parent_id IS NULL`;
const pageSql = (withCursor: boolean) => `
  WITH top AS (
    SELECT * FROM comments WHERE ${TOP_OF_THREAD} ${withCursor ? 'AND (created_at, id) > ($4, $5)' : ''}
    ORDER BY created_at, id LIMIT $3)
  SELECT (SELECT approved FROM comment_threads WHERE site_id = $1 AND thread_key = $2) AS visible,
    (SELECT json_agg(${PUBLIC_JSON} ORDER BY c.created_at, c.id) FROM top c) AS comments,
    (SELECT json_agg(${PUBLIC_JSON} ORDER BY c.created_at, c.id) FROM comments c
      WHERE c.parent_id IN (SELECT id FROM top) AND c.status = 'approved') AS replies`;

/** Thrown inside the insert's transaction to roll the comment back when its key is taken. */
class KeyTaken extends Error {}

/** The thread's visible count: growth by upsert, shrinking by UPDATE (an upsert's inserted row would fail the CHECK first). */
/** A column as foldForSearch (util/fold.ts) folds text: marks U+0300–U+036F after NFD, "đ" as "d", then the case. */
const folded = (column: string) => `lower(translate(regexp_replace(normalize(${column}, NFD), '[\\u0300-\\u036f]', '', 'g'), 'đĐ', 'dd'))`;

/** The queue's and the counts' shared filters, as numbered parameters. */
function filtersOf(q: CountQuery) {
  const params: unknown[] = [];
  const where: string[] = [];
  const arg = (v: unknown) => `$${params.push(v)}`;
  if (q.sites !== null) where.push(q.sites.length === 1 ? `site_id = ${arg(q.sites[0])}` : `site_id = ANY(${arg(q.sites)}::text[])`);
  if (q.thread) where.push(`thread_key = ${arg(q.thread)}`);
  if (q.from !== undefined) where.push(`created_at >= ${arg(q.from)}::bigint`);
  if (q.to !== undefined) where.push(`created_at < ${arg(q.to)}::bigint`);
  if (q.text) {
    const text = arg(q.text);
    where.push(`(strpos(${folded('content')}, ${text}::text) > 0 OR strpos(${folded('name')}, ${text}::text) > 0)`);
  }
  return { where, params, arg };
}

async function bump(c: Client, siteId: string, thread: string, delta: number): Promise<void> {
  if (delta > 0) {
    await c.query(
      `INSERT INTO comment_threads (site_id, thread_key, approved) VALUES ($1, $2, $3)
       ON CONFLICT (site_id, thread_key) DO UPDATE SET approved = comment_threads.approved + excluded.approved`,
      [siteId, thread, delta],
    );
  } else if (delta < 0) {
    await c.query('UPDATE comment_threads SET approved = approved + $3 WHERE site_id = $1 AND thread_key = $2', [siteId, thread, delta]);
  }
}

/**
 * Reads and locks what a moderation decides on. The targets and the parents of targeted replies are locked
 * FOR UPDATE in one statement, in id order (two moderations lock in the same order); a reply insert locks
 * its parent FOR SHARE, so no reply can appear under a locked comment until this transaction ends, and the
 * replies read next are all there are.
 */
async function snapshot(c: Client, target: ModerationTarget): Promise<ModerationSnapshot> {
  let targets: CommentRecord[];
  const comments = new Map<string, CommentRecord>();
  if ('ids' in target) {
    const ids = [...new Set(target.ids)];
    const locked = (
      await c.query<CommentRow>(
        `SELECT * FROM comments WHERE id = ANY($1) OR id IN (SELECT parent_id FROM comments WHERE id = ANY($1) AND parent_id IS NOT NULL)
         ORDER BY id FOR UPDATE`,
        [ids],
      )
    ).rows.map(toCommentRecord);
    const byId = new Map(locked.map((r) => [r.id, r]));
    targets = ids.map((id) => byId.get(id)).filter((r): r is CommentRecord => r !== undefined);
    for (const t of targets) {
      comments.set(t.id, t);
      const parent = t.parentId === null ? undefined : byId.get(t.parentId);
      if (parent) comments.set(parent.id, parent);
    }
  } else {
    targets = (
      await c.query<CommentRow>(
        `SELECT * FROM comments WHERE email = $1 AND ($2::text[] IS NULL OR site_id = ANY($2)) ORDER BY created_at, id FOR UPDATE`,
        [target.email, target.sites],
      )
    ).rows.map(toCommentRecord);
    for (const t of targets) comments.set(t.id, t);
    const parentIds = [...new Set(targets.map((t) => t.parentId).filter((p): p is string => p !== null && !comments.has(p)))];
    if (parentIds.length) {
      const parents = await c.query<CommentRow>('SELECT * FROM comments WHERE id = ANY($1) ORDER BY id FOR UPDATE', [parentIds]);
      for (const p of parents.rows) comments.set(p.id, toCommentRecord(p));
    }
  }
  const tops = targets.filter((t) => t.parentId === null).map((t) => t.id);
  if (tops.length) {
    for (const r of (await c.query<CommentRow>('SELECT * FROM comments WHERE parent_id = ANY($1)', [tops])).rows) comments.set(r.id, toCommentRecord(r));
  }
  return { targets, comments };
}

/**
 * Comments on PostgreSQL, for several instances on one database: the Idempotency-Key is the primary key of
 * comment_idempotency (taken by INSERT … ON CONFLICT DO NOTHING in the comment's transaction), a reply locks
 * its parent FOR SHARE while it is admitted, and moderation locks what it reads FOR UPDATE before its plan runs.
 */
export function pgCommentsStore(db: PgDb): CommentsStore {
  async function get(id: string) {
    const r = (await db.rows<CommentRow>('SELECT * FROM comments WHERE id = $1', [id]))[0];
    return r && toCommentRecord(r);
  }

  async function insert(c: NewComment, admit: (parent: CommentRecord | undefined) => number, claim: AnswerClaim | undefined, audit: AuditRecord | undefined) {
    await db.write(async (t) => {
      // A top-level comment's rules need nothing from the database: no statement before the insert.
      let parent: CommentRecord | undefined;
      if (c.parentId !== null) {
        // FOR SHARE: a moderation of the parent (FOR UPDATE) waits for this reply, or this reply for it.
        const r = (await t.query<CommentRow>('SELECT * FROM comments WHERE id = $1 FOR SHARE', [c.parentId])).rows[0];
        parent = r && toCommentRecord(r);
      }
      const delta = admit(parent);
      if (claim) await t.query('DELETE FROM comment_idempotency WHERE created_at <= $1', [claim.forgetBefore]);
      // One statement: the comment, its key (the claim's FK to the comment is checked at the statement's end) and the counter.
      const claimed = await t.query<{ claimed: number }>(
        `WITH c AS (
           INSERT INTO comments (id, site_id, thread_key, parent_id, name, address, email, content, status, spam_reason,
             ip_hash, user_agent, repeat_key, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id),
         k AS (
           INSERT INTO comment_idempotency (site_id, key, fingerprint, comment_id, response, created_at)
           SELECT $2, $15, $16, c.id, $17, $14 FROM c WHERE $15::text IS NOT NULL
           ON CONFLICT (site_id, key) DO NOTHING RETURNING 1),
         t AS (
           INSERT INTO comment_threads (site_id, thread_key, approved) SELECT $2, $3, $18 FROM c WHERE $18::bigint > 0
           ON CONFLICT (site_id, thread_key) DO UPDATE SET approved = comment_threads.approved + excluded.approved RETURNING 1)
         SELECT (SELECT COUNT(*) FROM k)::int AS claimed, (SELECT COUNT(*) FROM t)::int AS counted`,
        [
          c.id,
          c.siteId,
          c.threadKey,
          c.parentId,
          c.name,
          c.address,
          c.email,
          c.content,
          c.status,
          c.spamReason,
          c.ipHash,
          c.userAgent,
          c.repeatKey,
          c.createdAt,
          claim?.key ?? null,
          claim?.fingerprint ?? null,
          claim?.response ?? null,
          delta,
        ],
      );
      if (claim && claimed.rows[0]!.claimed !== 1) throw new KeyTaken();
      // A new comment never hides one; a negative delta would be a bug of the counting rule, applied as asked.
      if (delta < 0) await bump(t, c.siteId, c.threadKey, delta);
      await writeAudit(t, audit);
    });
  }

  return {
    get,
    async insert(c, admit, claim, audit) {
      try {
        await insert(c, admit, claim, audit);
        return 'stored';
      } catch (err) {
        if (err instanceof KeyTaken) return 'key_taken';
        throw err;
      }
    },
    answer: async (siteId, key, since) =>
      (await db.rows<StoredAnswer>('SELECT fingerprint, response FROM comment_idempotency WHERE site_id = $1 AND key = $2 AND created_at > $3', [siteId, key, since]))[0],
    repeatSince: async (siteId, thread, repeatKey, since) =>
      (
        await db.rows(
          'SELECT 1 FROM comments WHERE site_id = $1 AND thread_key = $2 AND repeat_key = $3 AND created_at > $4 LIMIT 1',
          [siteId, thread, repeatKey, since],
        )
      ).length > 0,
    async page(siteId, thread, after, limit) {
      const params: unknown[] = after ? [siteId, thread, limit, after.at, after.id] : [siteId, thread, limit];
      const r = (
        await db.rows<{ visible: number | null; comments: PublicCommentRecord[] | null; replies: PublicCommentRecord[] | null }>(pageSql(!!after), params)
      )[0]!;
      return { visible: r.visible ?? 0, comments: r.comments ?? [], replies: r.replies ?? [] };
    },
    async visibleCounts(siteId, threads) {
      const rows = await db.rows<{ thread_key: string; approved: number }>(
        'SELECT thread_key, approved FROM comment_threads WHERE site_id = $1 AND thread_key = ANY($2::text[])',
        [siteId, threads],
      );
      return new Map(rows.map((r) => [r.thread_key, r.approved]));
    },
    async queue(q: QueueQuery) {
      const { where, params, arg } = filtersOf(q);
      if (q.status) where.push(`status = ${arg(q.status)}`);
      if (q.before) where.push(`(created_at, id) < (${arg(q.before.at)}::bigint, ${arg(q.before.id)}::text)`);
      const sql = `SELECT * FROM comments ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ${arg(q.limit)}`;
      return (await db.rows<CommentRow>(sql, params)).map(toCommentRecord);
    },
    async counts(q: CountQuery) {
      const { where, params } = filtersOf(q);
      const sql = `SELECT status, COUNT(*)::int AS n FROM comments ${where.length ? `WHERE ${where.join(' AND ')}` : ''} GROUP BY status`;
      const counts = { pending: 0, approved: 0, rejected: 0, spam: 0 };
      for (const r of await db.rows<{ status: CommentStatus; n: number }>(sql, params)) counts[r.status] = r.n;
      return counts;
    },
    edit: (id, at, change) =>
      db.write(async (c) => {
        const found = (await c.query<CommentRow>('SELECT * FROM comments WHERE id = $1 FOR UPDATE', [id])).rows[0];
        if (!found) return undefined;
        const decided = change(toCommentRecord(found));
        const updated = (await c.query<CommentRow>('UPDATE comments SET content = $1, updated_at = $2 WHERE id = $3 RETURNING *', [decided.content, at, id])).rows[0]!;
        await writeAudit(c, decided.audit);
        return toCommentRecord(updated);
      }),
    moderate: (target, at, plan) =>
      db.write(async (c) => {
        const decided = plan(await snapshot(c, target));
        for (const s of decided.statuses) {
          await c.query('UPDATE comments SET status = $1, updated_at = $2, moderated_at = $2, moderated_by = $3 WHERE id = $4', [s.status, at, s.by, s.id]);
        }
        await eraseQuotedText(c, decided.deletes);
        // ON DELETE CASCADE takes the replies and the stored Idempotency-Key answers with them.
        if (decided.deletes.length) await c.query('DELETE FROM comments WHERE id = ANY($1)', [decided.deletes]);
        for (const t of decided.threads) await bump(c, t.siteId, t.threadKey, t.delta);
        for (const a of decided.audit) await writeAudit(c, a);
        return decided.result;
      }),
  };
}
