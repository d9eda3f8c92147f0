import type { Db } from '../storage/sqlite/open.js';
import { AppError } from '../errors.js';
import type { Events } from '../events.js';
import type { SitesService } from '../sites/sites.service.js';
import type { Hasher } from '../util/hash.js';
import { newId } from '../util/ids.js';
import type { CaptchaService } from './captcha.service.js';
import { commentsRepo, type CommentRow, type CommentsRepo } from './comments.repo.js';
import { encodeCursor, type CommentStatus, type Cursor, type PostCommentInput } from './comments.schema.js';
import { toPublic, type PublicComment, type PublicThreadComment } from './comments.view.js';
import { duplicates, repeatKey } from './duplicates.js';
import type { Claim } from './idempotency.js';
import { countLinks, matchBlockedWords } from './spam.js';
import type { WebhookService } from './webhook.service.js';

export interface ThreadPage {
  total: number;
  comments: PublicThreadComment[];
  nextCursor: string | null;
}

export type PostResult =
  | { id: string; status: 'pending' }
  | { id: string; status: 'approved'; comment: PublicComment | PublicThreadComment };

const parentNotFound = () =>
  new AppError(404, 'parent_not_found', 'The comment you are replying to does not exist, is not published, or is in another thread.', {
    errors: [{ field: 'parentId', message: 'is not a published comment of this thread' }],
  });

/** Payload of the moderation webhook: what a moderator needs, no e-mail or IP hash. */
export const webhookComment = (c: Pick<CommentRow, 'id' | 'thread_key' | 'parent_id' | 'name' | 'address' | 'content' | 'status' | 'created_at'>) => ({
  thread: c.thread_key,
  comment: {
    id: c.id,
    parentId: c.parent_id,
    status: c.status,
    name: c.name,
    address: c.address,
    content: c.content,
    createdAt: new Date(c.created_at).toISOString(),
  },
});

/** Public side of comments: posting through the spam defences, and reading a thread. */
export function commentsService(
  db: Db,
  deps: { sites: SitesService; hasher: Hasher; captcha: CaptchaService; webhooks: WebhookService; maxLinks: number; now: () => number; repo?: CommentsRepo; events: Events },
) {
  const repo = deps.repo ?? commentsRepo(db);
  const repeats = duplicates(repo, deps);

  function checkParent(siteId: string, thread: string, parentId: string): CommentRow {
    const parent = repo.get(parentId);
    if (!parent || parent.site_id !== siteId || parent.thread_key !== thread || parent.status !== 'approved') throw parentNotFound();
    if (parent.parent_id !== null)
      throw new AppError(422, 'reply_too_deep', 'Replies go one level deep: reply to the original comment instead.', {
        errors: [{ field: 'parentId', message: 'is itself a reply' }],
      });
    return parent;
  }

  const insert = db.transaction((c: Omit<CommentRow, 'updated_at' | 'moderated_at' | 'moderated_by'>, stored: () => void) => {
    if (c.parent_id) checkParent(c.site_id, c.thread_key, c.parent_id); // it may have changed since the first check
    repo.insert(c);
    if (c.status === 'approved') repo.bump(c.site_id, c.thread_key, 1);
    stored();
  });

  return {
    repo,

    /** `claim` (src/comments/idempotency.ts) stores the answer under the post's Idempotency-Key, in the comment's transaction. */
    async post(siteId: string, thread: string, input: PostCommentInput, client: { ip: string | undefined; userAgent: string | undefined }, claim?: Claim): Promise<PostResult> {
      const site = await deps.sites.require(siteId);
      if (input.website !== undefined && input.website !== null && input.website !== '')
        throw new AppError(400, 'honeypot_filled', 'This form looks automated and was not accepted.', {
          errors: [{ field: 'website', message: 'must be left empty' }],
        });
      if (input.parentId) checkParent(siteId, thread, input.parentId);
      const repeat = repeatKey(input);
      repeats.assertNew(siteId, thread, repeat);
      // Cheap checks first: a refusal above never burns the commenter's captcha.
      if (input.captchaId) deps.captcha.assertNotTooFast(siteId, input.captchaId);
      let captchaMode;
      try {
        captchaMode = await deps.captcha.verify(siteId, input);
      } catch (err) {
        if (err instanceof AppError && /^(captcha|pow)_/.test(err.code)) deps.events.emit({ type: 'captcha.failed', reason: err.code });
        throw err;
      }

      const links = countLinks(input.name, input.address, input.content);
      // Fields joined by a non-letter, so no entry can match across two of them.
      const words = links > deps.maxLinks ? [] : matchBlockedWords([input.name, input.address ?? '', input.content].join('\n|\n'), site.blockedWords);
      // The accessible path is cheaper for a bot than the picture: a moderator sees each such comment first.
      const held = site.premoderation || captchaMode === 'accessible';
      const status: CommentStatus =
        links > deps.maxLinks ? 'spam' : words.length ? site.blockedWordsAction : held ? 'pending' : 'approved';
      const spamReason = links > deps.maxLinks ? `links:${links}` : words.length ? `words:${words.length}` : null;
      const row = {
        id: newId(12),
        site_id: siteId,
        thread_key: thread,
        parent_id: input.parentId ?? null,
        name: input.name,
        address: input.address ?? null,
        email: input.email ?? null,
        content: input.content,
        status,
        spam_reason: spamReason,
        ip_hash: deps.hasher.commentIp(client.ip),
        user_agent: client.userAgent?.slice(0, 300) || null,
        repeat_key: repeat,
        created_at: deps.now(),
      };
      const comment = toPublic(row);
      // A spammer is told the same as everybody else.
      const result: PostResult =
        status === 'approved' ? { id: row.id, status, comment: row.parent_id ? comment : { ...comment, replies: [] } } : { id: row.id, status: 'pending' };
      insert.immediate(row, () => claim?.(row.id, result));
      deps.events.emit({ type: 'comment.posted', status });

      if (status !== 'approved') deps.webhooks.notify(siteId, status === 'spam' ? 'comment.spam' : 'comment.pending', webhookComment(row));
      return result;
    },

    /** Approved comments, oldest first, each with its approved replies. */
    async thread(siteId: string, thread: string, q: { cursor?: Cursor | undefined; limit: number }): Promise<ThreadPage> {
      await deps.sites.require(siteId);
      const rows = repo.page(siteId, thread, q.cursor, q.limit + 1);
      const more = rows.length > q.limit;
      const page = more ? rows.slice(0, q.limit) : rows;
      const byParent = new Map<string, PublicComment[]>();
      for (const r of repo.replies(page.map((c) => c.id))) {
        const list = byParent.get(r.parent_id!) ?? [];
        list.push(toPublic(r));
        byParent.set(r.parent_id!, list);
      }
      const last = page.at(-1);
      return {
        total: repo.total(siteId, thread),
        comments: page.map((c) => ({ ...toPublic(c), replies: byParent.get(c.id) ?? [] })),
        nextCursor: more && last ? encodeCursor(last.created_at, last.id) : null,
      };
    },
  };
}

export type CommentsService = ReturnType<typeof commentsService>;
