import { conflict } from '../errors.js';
import { sha256 } from '../util/hash.js';
import type { PostCommentInput } from './comments.schema.js';
import type { CommentsStore } from './comments.store.js';

const WINDOW_MS = 86_400_000;

/** Case and spacing do not make a comment new: "Đồng  ý\n" and "đồng ý" are the same words. */
const fold = (s: string) => s.normalize('NFC').trim().replace(/\s+/gu, ' ').toLowerCase();

/**
 * The comment's repeat key: the writer (name and e-mail as typed), the comment it answers and
 * its content, folded. Not the IP: a commune office or a mobile network puts many readers
 * behind one address, and two of them may well both write "Đồng ý". A reply to another comment
 * is a different comment.
 */
export const repeatKey = (input: Pick<PostCommentInput, 'name' | 'email' | 'parentId' | 'content'>) =>
  sha256(JSON.stringify([fold(input.name), input.email ?? '', input.parentId ?? '', fold(input.content)]));

/** Refuses the same comment from the same writer in the same thread within 24 hours. */
export function duplicates(store: Pick<CommentsStore, 'repeatSince'>, opts: { now: () => number }) {
  return {
    async assertNew(siteId: string, thread: string, key: string): Promise<void> {
      if (await store.repeatSince(siteId, thread, key, opts.now() - WINDOW_MS))
        throw conflict('duplicate_comment', 'You already sent this comment here in the last 24 hours. It is shown, or waiting for a moderator.');
    },
  };
}

export type Duplicates = ReturnType<typeof duplicates>;
