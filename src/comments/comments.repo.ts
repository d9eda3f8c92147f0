import type { Db } from '../storage/sqlite/open.js';
import type { CommentStatus, Cursor } from './comments.schema.js';

export interface CommentRow {
  id: string;
  site_id: string;
  thread_key: string;
  parent_id: string | null;
  name: string;
  address: string | null;
  email: string | null;
  content: string;
  status: CommentStatus;
  spam_reason: string | null;
  ip_hash: string | null;
  user_agent: string | null;
  /** See src/comments/duplicates.ts; never shown. */
  repeat_key: string | null;
  created_at: number;
  updated_at: number;
  moderated_at: number | null;
  moderated_by: string | null;
}

export type NewComment = Omit<CommentRow, 'updated_at' | 'moderated_at' | 'moderated_by'>;

const PUBLIC_COLS = 'id, parent_id, name, address, content, created_at';
export type PublicRow = Pick<CommentRow, 'id' | 'parent_id' | 'name' | 'address' | 'content' | 'created_at'>;

/** Every statement is prepared once; admin list variants (by which filters are set) once each, lazily. */
export function commentsRepo(db: Db) {
  const s = {
    insert: db.prepare(
      `INSERT INTO comments (id, site_id, thread_key, parent_id, name, address, email, content, status, spam_reason,
         ip_hash, user_agent, repeat_key, created_at, updated_at)
       VALUES (@id, @site_id, @thread_key, @parent_id, @name, @address, @email, @content, @status, @spam_reason,
         @ip_hash, @user_agent, @repeat_key, @created_at, @created_at)`,
    ),
    get: db.prepare('SELECT * FROM comments WHERE id = ?'),
    setStatus: db.prepare('UPDATE comments SET status = ?, updated_at = ?, moderated_at = ?, moderated_by = ? WHERE id = ?'),
    delete: db.prepare('DELETE FROM comments WHERE id = ?'),
    approvedReplies: db.prepare("SELECT COUNT(*) FROM comments WHERE parent_id = ? AND status = 'approved'").pluck(),
    replyCount: db.prepare('SELECT COUNT(*) FROM comments WHERE parent_id = ?').pluck(),
    othersReplies: db.prepare('SELECT COUNT(*) FROM comments WHERE parent_id = ? AND (email IS NULL OR email <> ?)').pluck(),
    bump: db.prepare(
      `INSERT INTO comment_threads (site_id, thread_key, approved) VALUES (?, ?, ?)
       ON CONFLICT (site_id, thread_key) DO UPDATE SET approved = approved + excluded.approved`,
    ),
    // A negative delta cannot go through the upsert: the CHECK (approved >= 0) sees the inserted row first.
    drop: db.prepare('UPDATE comment_threads SET approved = approved + ? WHERE site_id = ? AND thread_key = ?'),
    total: db.prepare('SELECT approved FROM comment_threads WHERE site_id = ? AND thread_key = ?').pluck(),
    firstPage: db.prepare(
      `SELECT ${PUBLIC_COLS} FROM comments
       WHERE site_id = ? AND thread_key = ? AND status = 'approved' AND parent_id IS NULL
       ORDER BY created_at, id LIMIT ?`,
    ),
    nextPage: db.prepare(
      `SELECT ${PUBLIC_COLS} FROM comments
       WHERE site_id = ? AND thread_key = ? AND status = 'approved' AND parent_id IS NULL AND (created_at, id) > (?, ?)
       ORDER BY created_at, id LIMIT ?`,
    ),
    replies: db.prepare(
      // CROSS JOIN keeps json_each outermost, so each parent is an index lookup on comments_parent
      // (an IN subquery let the planner scan every approved comment instead).
      `SELECT c.id, c.parent_id, c.name, c.address, c.content, c.created_at
       FROM json_each(?) AS j CROSS JOIN comments AS c ON c.parent_id = j.value
       WHERE c.status = 'approved'
       ORDER BY c.created_at, c.id`,
    ),
    byEmail: db.prepare('SELECT * FROM comments WHERE email = ? AND (? IS NULL OR site_id = ?)'),
    repeatSince: db.prepare('SELECT 1 FROM comments WHERE site_id = ? AND thread_key = ? AND repeat_key = ? AND created_at > ? LIMIT 1').pluck(),
  };

  const adminLists = new Map<string, ReturnType<Db['prepare']>>();
  function adminList(f: { site: boolean; status: boolean; thread: boolean; cursor: boolean }) {
    const key = `${+f.site}${+f.status}${+f.thread}${+f.cursor}`;
    let stmt = adminLists.get(key);
    if (!stmt) {
      const where = [
        f.site && 'site_id = @site',
        f.thread && 'thread_key = @thread',
        f.status && 'status = @status',
        f.cursor && '(created_at, id) < (@at, @id)',
      ].filter(Boolean);
      stmt = db.prepare(
        `SELECT * FROM comments ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT @limit`,
      );
      adminLists.set(key, stmt);
    }
    return stmt;
  }

  return {
    insert: (c: NewComment) => void s.insert.run(c),
    get: (id: string) => s.get.get(id) as CommentRow | undefined,
    setStatus: (id: string, status: CommentStatus, at: number, actor: string) => void s.setStatus.run(status, at, at, actor, id),
    delete: (id: string) => void s.delete.run(id),
    approvedReplies: (id: string) => s.approvedReplies.get(id) as number,
    replyCount: (id: string) => s.replyCount.get(id) as number,
    /** Replies to `id` written by someone other than `email`. */
    othersReplies: (id: string, email: string) => s.othersReplies.get(id, email) as number,
    /** Adds delta (may be negative) to the thread's approved counter. */
    bump(siteId: string, thread: string, delta: number) {
      if (delta > 0) s.bump.run(siteId, thread, delta);
      else if (delta < 0) s.drop.run(delta, siteId, thread);
    },
    total: (siteId: string, thread: string) => (s.total.get(siteId, thread) as number | undefined) ?? 0,
    page(siteId: string, thread: string, after: Cursor | undefined, limit: number): PublicRow[] {
      return (after ? s.nextPage.all(siteId, thread, after.at, after.id, limit) : s.firstPage.all(siteId, thread, limit)) as PublicRow[];
    },
    replies: (parentIds: string[]) => (parentIds.length ? (s.replies.all(JSON.stringify(parentIds)) as PublicRow[]) : []),
    adminList(q: { site?: string | undefined; status?: CommentStatus | undefined; thread?: string | undefined; cursor?: Cursor | undefined; limit: number }): CommentRow[] {
      const stmt = adminList({ site: !!q.site, status: !!q.status, thread: !!q.thread, cursor: !!q.cursor });
      const params: Record<string, unknown> = { limit: q.limit };
      if (q.site) params.site = q.site;
      if (q.status) params.status = q.status;
      if (q.thread) params.thread = q.thread;
      if (q.cursor) Object.assign(params, { at: q.cursor.at, id: q.cursor.id });
      return stmt.all(params) as CommentRow[];
    },
    byEmail: (email: string, siteId: string | undefined) => s.byEmail.all(email, siteId ?? null, siteId ?? null) as CommentRow[],
    /** True when a comment of the thread with this repeat key was written after `after`. */
    repeatSince: (siteId: string, thread: string, repeatKey: string, after: number) => s.repeatSince.get(siteId, thread, repeatKey, after) !== undefined,
  };
}

export type CommentsRepo = ReturnType<typeof commentsRepo>;
