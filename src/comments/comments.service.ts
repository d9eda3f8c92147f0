import { AppError } from '../errors.js';
import type { Events } from '../events.js';
import type { SitesService } from '../sites/sites.service.js';
import type { Hasher } from '../util/hash.js';
import { newId } from '../util/ids.js';
import type { CaptchaService } from './captcha.service.js';
import { encodeCursor, type Cursor, type PostCommentInput } from './comments.schema.js';
import type { CommentRecord, CommentStatus, CommentsStore, NewComment } from './comments.store.js';
import { toPublic, webhookComment, type PublicComment, type PublicThreadComment } from './comments.view.js';
import { insertDelta } from './counters.js';
import { duplicates, repeatKey } from './duplicates.js';
import { keyReused, type Claim } from './idempotency.js';
import { countLinks, matchBlockedWords } from './spam.js';
import type { WebhookService } from './webhook.service.js';
import type { MailService } from '../mail/mail.service.js';

import type { CommentCounts, PostResult, ThreadPage } from '../api/comments.js';

export type { PostResult, ThreadPage };

const parentNotFound = () =>
  new AppError(404, 'parent_not_found', 'The comment you are replying to does not exist, is not published, or is in another thread.', {
    errors: [{ field: 'parentId', message: 'is not a published comment of this thread' }],
  });

/** Public side of comments: posting through the spam defences, and reading a thread. */
export function commentsService(
  store: CommentsStore,
  deps: { sites: SitesService; hasher: Hasher; captcha: CaptchaService; webhooks: WebhookService; mail: MailService; maxLinks: number; now: () => number; events: Events },
) {
  const repeats = duplicates(store, deps);

  /** A reply answers a published top-level comment of the same thread. */
  function checkParent(siteId: string, thread: string, parent: CommentRecord | undefined): void {
    if (!parent || parent.siteId !== siteId || parent.threadKey !== thread || parent.status !== 'approved') throw parentNotFound();
    if (parent.parentId !== null)
      throw new AppError(422, 'reply_too_deep', 'Replies go one level deep: reply to the original comment instead.', {
        errors: [{ field: 'parentId', message: 'is itself a reply' }],
      });
  }

  return {
    /** `claim` (src/comments/idempotency.ts) stores the answer under the post's Idempotency-Key, in the comment's transaction. */
    async post(siteId: string, thread: string, input: PostCommentInput, client: { ip: string | undefined; userAgent: string | undefined }, claim?: Claim): Promise<PostResult> {
      const site = await deps.sites.require(siteId);
      if (input.website !== undefined && input.website !== null && input.website !== '')
        throw new AppError(400, 'honeypot_filled', 'This form looks automated and was not accepted.', {
          errors: [{ field: 'website', message: 'must be left empty' }],
        });
      if (input.parentId) checkParent(siteId, thread, await store.get(input.parentId));
      const repeat = repeatKey(input);
      await repeats.assertNew(siteId, thread, repeat);
      // Cheap checks first: a refusal above never burns the commenter's captcha.
      if (input.captchaId) await deps.captcha.assertNotTooFast(siteId, input.captchaId);
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
      const row: NewComment = {
        id: newId(12),
        siteId,
        threadKey: thread,
        parentId: input.parentId ?? null,
        name: input.name,
        address: input.address ?? null,
        email: input.email ?? null,
        content: input.content,
        status,
        spamReason,
        ipHash: deps.hasher.commentIp(client.ip),
        userAgent: client.userAgent?.slice(0, 300) || null,
        repeatKey: repeat,
        createdAt: deps.now(),
      };
      const comment = toPublic(row);
      // A spammer is told the same as everybody else.
      const result: PostResult =
        status === 'approved' ? { id: row.id, status, comment: row.parentId ? comment : { ...comment, replies: [] } } : { id: row.id, status: 'pending' };
      const outcome = await store.insert(
        row,
        (parent) => {
          if (row.parentId) checkParent(siteId, thread, parent); // it may have changed since the first check
          return insertDelta(row, parent);
        },
        claim?.(result),
      );
      if (outcome === 'key_taken') throw keyReused(); // idempotency.ts answers as the post that holds the key did
      deps.events.emit({ type: 'comment.posted', status });

      // Moderators are mailed about what waits for them; spam goes to its folder without a mail (a wave must not flood them).
      if (status === 'pending') deps.mail.notify(site, row.id);
      if (status !== 'approved') deps.webhooks.notify(siteId, status === 'spam' ? 'comment.spam' : 'comment.pending', webhookComment(row));
      return result;
    },

    /** The visible count of each thread: what an article list shows beside each title. */
    async counts(siteId: string, threads: readonly string[]): Promise<CommentCounts> {
      await deps.sites.require(siteId);
      const found = await store.visibleCounts(siteId, threads);
      const counts: Record<string, number> = {};
      for (const t of threads) counts[t] = found.get(t) ?? 0;
      return { counts };
    },

    /** Approved comments, oldest first, each with its approved replies. */
    async thread(siteId: string, thread: string, q: { cursor?: Cursor | undefined; limit: number }): Promise<ThreadPage> {
      await deps.sites.require(siteId);
      const { visible, comments, replies } = await store.page(siteId, thread, q.cursor, q.limit + 1);
      const more = comments.length > q.limit;
      const page = more ? comments.slice(0, q.limit) : comments;
      const byParent = new Map<string, PublicComment[]>();
      for (const r of replies) {
        const list = byParent.get(r.parentId!) ?? [];
        list.push(toPublic(r));
        byParent.set(r.parentId!, list);
      }
      const last = page.at(-1);
      return {
        total: visible,
        comments: page.map((c) => ({ ...toPublic(c), replies: byParent.get(c.id) ?? [] })),
        nextCursor: more && last ? encodeCursor(last.createdAt, last.id) : null,
      };
    },
  };
}

export type CommentsService = ReturnType<typeof commentsService>;
