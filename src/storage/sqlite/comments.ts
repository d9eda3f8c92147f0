import type { AuditRecord } from '../../audit/audit.store.js';
import type { AnswerClaim, CommentRecord, CommentStatus, CommentsStore, CountQuery, ModerationPlan, ModerationSnapshot, ModerationTarget, NewComment, PublicCommentRecord, QueueQuery, StoredAnswer } from '../../comments/comments.store.js';
import { auditWriter, quotedTextEraser } from './audit.js';
import type { Db } from './open.js';
import { toCommentRecord, type CommentRow } from '../rows/comments.js';
import { sitesFilter } from './util.js';
import { foldForSearch } from '../../util/fold.js';

type PublicRow = Pick<CommentRow, 'id' | 'parent_id' | 'name' | 'address' | 'content' | 'created_at'>;
const PUBLIC_COLS = 'c.id, c.parent_id, c.name, c.address, c.content, c.created_at';
const toPublicRecord = (r: PublicRow): PublicCommentRecord => ({
  id: r.id,
  parentId: r.parent_id,
  name: r.name,
  address: r.address,
  content: r.content,
  createdAt: r.created_at,
});

/** Thrown inside the insert's transaction to roll the comment back when its key is taken. */
class KeyTaken extends Error {}

export function sqliteCommentsStore(db: Db): CommentsStore {
  // The admin search compares folded text (util/fold.ts); SQLite's lower() folds a–z only.
  db.function('ykien_fold', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? foldForSearch(v) : v));
  const writeAudit = auditWriter(db);
  const eraseQuotedText = quotedTextEraser(db, 'comment');
  const s = {
    insert: db.prepare(
      `INSERT INTO comments (id, site_id, thread_key, parent_id, name, address, email, content, status, spam_reason,
         ip_hash, user_agent, repeat_key, created_at, updated_at)
       VALUES (@id, @siteId, @threadKey, @parentId, @name, @address, @email, @content, @status, @spamReason,
         @ipHash, @userAgent, @repeatKey, @createdAt, @createdAt)`,
    ),
    get: db.prepare('SELECT * FROM comments WHERE id = ?'),
    replies: db.prepare('SELECT * FROM comments WHERE parent_id = ?'),
    byEmail: db.prepare(
      `SELECT * FROM comments WHERE email = @email AND (@all = 1 OR site_id IN (SELECT value FROM json_each(@sites)))
       ORDER BY created_at, id`,
    ),
    setStatus: db.prepare('UPDATE comments SET status = ?, updated_at = ?, moderated_at = ?, moderated_by = ? WHERE id = ?'),
    delete: db.prepare('DELETE FROM comments WHERE id = ?'),
    bump: db.prepare(
      `INSERT INTO comment_threads (site_id, thread_key, approved) VALUES (?, ?, ?)
       ON CONFLICT (site_id, thread_key) DO UPDATE SET approved = approved + excluded.approved`,
    ),
    // A negative delta cannot go through the upsert: the CHECK (approved >= 0) sees the inserted row first.
    drop: db.prepare('UPDATE comment_threads SET approved = approved + ? WHERE site_id = ? AND thread_key = ?'),
    visible: db.prepare('SELECT approved FROM comment_threads WHERE site_id = ? AND thread_key = ?').pluck(),
    visibleMany: db.prepare(
      `SELECT t.thread_key, t.approved FROM json_each(?) AS j CROSS JOIN comment_threads AS t ON t.site_id = ? AND t.thread_key = j.value`,
    ),
    firstPage: db.prepare(
      `SELECT ${PUBLIC_COLS} FROM comments c
       WHERE c.site_id = ? AND c.thread_key = ? AND c.status = 'approved' AND c.parent_id IS NULL
       ORDER BY c.created_at, c.id LIMIT ?`,
    ),
    nextPage: db.prepare(
      `SELECT ${PUBLIC_COLS} FROM comments c
       WHERE c.site_id = ? AND c.thread_key = ? AND c.status = 'approved' AND c.parent_id IS NULL AND (c.created_at, c.id) > (?, ?)
       ORDER BY c.created_at, c.id LIMIT ?`,
    ),
    pageReplies: db.prepare(
      // CROSS JOIN keeps json_each outermost, so each parent is an index lookup on comments_parent
      // (an IN subquery let the planner scan every approved comment instead).
      `SELECT ${PUBLIC_COLS} FROM json_each(?) AS j CROSS JOIN comments AS c ON c.parent_id = j.value
       WHERE c.status = 'approved' ORDER BY c.created_at, c.id`,
    ),
    repeatSince: db.prepare('SELECT 1 FROM comments WHERE site_id = ? AND thread_key = ? AND repeat_key = ? AND created_at > ? LIMIT 1').pluck(),
    answer: db.prepare('SELECT fingerprint, response FROM comment_idempotency WHERE site_id = ? AND key = ? AND created_at > ?'),
    forgetAnswers: db.prepare('DELETE FROM comment_idempotency WHERE created_at <= ?'),
    // The primary key decides which of two posts with one key stores its comment.
    claim: db.prepare(
      `INSERT INTO comment_idempotency (site_id, key, fingerprint, comment_id, response, created_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (site_id, key) DO NOTHING`,
    ),
  };

  const get = (id: string) => {
    const r = s.get.get(id) as CommentRow | undefined;
    return r && toCommentRecord(r);
  };
  function bump(siteId: string, thread: string, delta: number): void {
    if (delta > 0) s.bump.run(siteId, thread, delta);
    else if (delta < 0) s.drop.run(delta, siteId, thread);
  }

  const insert = db.transaction((c: NewComment, admit: (parent: CommentRecord | undefined) => number, claim: AnswerClaim | undefined, audit: AuditRecord | undefined) => {
    const delta = admit(c.parentId ? get(c.parentId) : undefined);
    s.insert.run(c);
    if (claim) {
      s.forgetAnswers.run(claim.forgetBefore);
      if (s.claim.run(c.siteId, claim.key, claim.fingerprint, c.id, claim.response, c.createdAt).changes !== 1) throw new KeyTaken();
    }
    bump(c.siteId, c.threadKey, delta);
    writeAudit(audit);
  });

  const page = db.transaction((siteId: string, thread: string, after: { at: number; id: string } | undefined, limit: number) => {
    const top = (after ? s.nextPage.all(siteId, thread, after.at, after.id, limit) : s.firstPage.all(siteId, thread, limit)) as PublicRow[];
    const replies = top.length ? (s.pageReplies.all(JSON.stringify(top.map((c) => c.id))) as PublicRow[]) : [];
    return {
      visible: (s.visible.get(siteId, thread) as number | undefined) ?? 0,
      comments: top.map(toPublicRecord),
      replies: replies.map(toPublicRecord),
    };
  });

  function snapshot(target: ModerationTarget): ModerationSnapshot {
    const targets =
      'ids' in target
        ? [...new Set(target.ids)].map(get).filter((c): c is CommentRecord => c !== undefined)
        : (s.byEmail.all({ email: target.email, ...sitesFilter(target.sites) }) as CommentRow[]).map(toCommentRecord);
    const comments = new Map<string, CommentRecord>();
    for (const c of targets) {
      comments.set(c.id, c);
      if (c.parentId !== null && !comments.has(c.parentId)) {
        const parent = get(c.parentId);
        if (parent) comments.set(parent.id, parent);
      }
      if (c.parentId === null) for (const r of s.replies.all(c.id) as CommentRow[]) comments.set(r.id, toCommentRecord(r));
    }
    return { targets, comments };
  }

  const moderate = db.transaction((target: ModerationTarget, at: number, plan: (snapshot: ModerationSnapshot) => ModerationPlan<unknown>) => {
    const decided = plan(snapshot(target));
    for (const c of decided.statuses) s.setStatus.run(c.status, at, at, c.by, c.id);
    for (const id of decided.deletes) {
      eraseQuotedText(id);
      s.delete.run(id);
    }
    for (const t of decided.threads) bump(t.siteId, t.threadKey, t.delta);
    for (const a of decided.audit) writeAudit(a);
    return decided.result;
  });

  // The queue's statements differ by which filters are set (each can use its own index): prepared once each, lazily.
  type Filters = { sites: 'all' | 'one' | 'many'; status: boolean; thread: boolean; before: boolean; from: boolean; to: boolean; text: boolean };
  const queues = new Map<string, ReturnType<Db['prepare']>>();
  const whereOf = (f: Filters) => {
    const where = [
      f.sites === 'one' && 'site_id = @site',
      f.sites === 'many' && 'site_id IN (SELECT value FROM json_each(@sites))',
      f.thread && 'thread_key = @thread',
      f.status && 'status = @status',
      f.from && 'created_at >= @from',
      f.to && 'created_at < @to',
      f.text && '(instr(ykien_fold(content), @text) > 0 OR instr(ykien_fold(name), @text) > 0)',
      f.before && '(created_at, id) < (@at, @id)',
    ].filter(Boolean);
    return where.length ? `WHERE ${where.join(' AND ')}` : '';
  };
  function prepared(kind: 'queue' | 'counts', f: Filters) {
    const key = `${kind}:${JSON.stringify(f)}`;
    let stmt = queues.get(key);
    if (!stmt) {
      stmt = db.prepare(
        kind === 'queue'
          ? `SELECT * FROM comments ${whereOf(f)} ORDER BY created_at DESC, id DESC LIMIT @limit`
          : `SELECT status, COUNT(*) AS n FROM comments ${whereOf(f)} GROUP BY status`,
      );
      queues.set(key, stmt);
    }
    return stmt;
  }
  function filtersOf(q: QueueQuery | CountQuery) {
    const full = q as Partial<QueueQuery>;
    const sites = q.sites === null ? 'all' : q.sites.length === 1 ? 'one' : 'many';
    const f: Filters = { sites, status: !!full.status, thread: !!q.thread, before: !!full.before, from: q.from !== undefined, to: q.to !== undefined, text: !!q.text };
    const params: Record<string, unknown> = {};
    if (sites === 'one') params.site = q.sites![0];
    if (sites === 'many') params.sites = JSON.stringify(q.sites);
    if (full.status) params.status = full.status;
    if (q.thread) params.thread = q.thread;
    if (q.from !== undefined) params.from = q.from;
    if (q.to !== undefined) params.to = q.to;
    if (q.text) params.text = q.text;
    if (full.before) Object.assign(params, { at: full.before.at, id: full.before.id });
    return { f, params };
  }

  const setContent = db.prepare('UPDATE comments SET content = ?, updated_at = ? WHERE id = ?');
  const edit = db.transaction((id: string, at: number, change: (c: CommentRecord) => { content: string; audit: AuditRecord }) => {
    const c = get(id);
    if (!c) return undefined;
    const decided = change(c);
    setContent.run(decided.content, at, id);
    writeAudit(decided.audit);
    return get(id);
  });

  return {
    get: async (id) => get(id),
    async insert(c, admit, claim, audit) {
      try {
        insert.immediate(c, admit, claim, audit);
        return 'stored';
      } catch (err) {
        if (err instanceof KeyTaken) return 'key_taken';
        throw err;
      }
    },
    answer: async (siteId, key, since) => s.answer.get(siteId, key, since) as StoredAnswer | undefined,
    repeatSince: async (siteId, thread, repeatKey, since) => s.repeatSince.get(siteId, thread, repeatKey, since) !== undefined,
    page: async (siteId, thread, after, limit) => page(siteId, thread, after, limit),
    visibleCounts: async (siteId, threads) =>
      new Map((s.visibleMany.all(JSON.stringify(threads), siteId) as { thread_key: string; approved: number }[]).map((r) => [r.thread_key, r.approved])),
    async queue(q: QueueQuery) {
      const { f, params } = filtersOf(q);
      return (prepared('queue', f).all({ ...params, limit: q.limit }) as CommentRow[]).map(toCommentRecord);
    },
    async counts(q: CountQuery) {
      const { f, params } = filtersOf(q);
      const counts = { pending: 0, approved: 0, rejected: 0, spam: 0 };
      for (const r of prepared('counts', f).all(params) as { status: CommentStatus; n: number }[]) counts[r.status] = r.n;
      return counts;
    },
    edit: async (id, at, change) => edit.immediate(id, at, change),
    moderate: async (target, at, plan) => moderate.immediate(target, at, plan) as never,
  };
}
