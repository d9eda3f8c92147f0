import { z } from 'zod';
import { AppError } from '../errors.js';
import { parse } from '../validation/validate.js';
import { sha256 } from '../util/hash.js';
import type { PostCommentInput } from './comments.schema.js';
import type { AnswerClaim, CommentsStore } from './comments.store.js';

/** How long an answer is kept for its key: a day covers any retry a reader or a client makes. */
export const IDEMPOTENCY_TTL_MS = 86_400_000;

/**
 * The `Idempotency-Key` header (draft-ietf-httpapi-idempotency-key-header): a Structured Field
 * string, so `"…"`; the bare token is accepted too, as curl users type it. 16–128 characters,
 * letters, digits and `-_.:`, so UUIDs, ULIDs and base64url all fit and short guessable keys do not.
 */
const keyHeader = z
  .string()
  .transform((s) => s.trim().replace(/^"(.*)"$/, '$1'))
  .pipe(z.string().regex(/^[A-Za-z0-9_.:-]{16,128}$/, 'must be 16-128 letters, digits, "-", "_", "." or ":" (a random id, e.g. a UUID)'));

export function idempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  return parse(z.object({ 'Idempotency-Key': keyHeader }), { 'Idempotency-Key': header }, 'header')['Idempotency-Key'];
}

/**
 * What makes two posts "the same request": the place and what the writer typed, after the
 * schema's normalisation. The captcha, proof of work and honeypot are left out on purpose: a
 * retry after a refused captcha carries a new answer and is still the same comment.
 */
export const fingerprint = (thread: string, input: PostCommentInput) =>
  sha256(JSON.stringify([thread, input.parentId ?? null, input.name, input.address ?? null, input.email ?? null, input.content]));

export const keyReused = () =>
  new AppError(422, 'idempotency_key_reused', 'This Idempotency-Key was already used for a different comment. Send a new key with each new comment.', {
    errors: [{ field: 'Idempotency-Key', message: 'was used for a different comment' }],
  });

/** The claim of the key for a post's answer: the store takes it in the transaction that stores the comment. */
export type Claim = (answer: object) => AnswerClaim;

/**
 * One stored comment per key: the first accepted post's answer is kept for 24 hours and a
 * repeat gets it back before any other check runs, so it consumes no captcha or proof of work
 * and stores nothing. Only accepted posts are remembered: a refused one (wrong captcha, too
 * fast) can be corrected and sent again with the same key.
 */
export function idempotency(store: Pick<CommentsStore, 'answer'>, opts: { now: () => number }) {
  const stored = async <T>(siteId: string, key: string, print: string): Promise<T | undefined> => {
    const row = await store.answer(siteId, key, opts.now() - IDEMPOTENCY_TTL_MS);
    if (!row) return undefined;
    if (row.fingerprint !== print) throw keyReused();
    return JSON.parse(row.response) as T;
  };

  return {
    /** Runs `post` once per (site, key); without a key, simply runs it. */
    async run<T extends object>(siteId: string, key: string | undefined, print: string, post: (claim: Claim | undefined) => Promise<T>): Promise<T> {
      if (!key) return post(undefined);
      const first = await stored<T>(siteId, key, print);
      if (first) return first;
      try {
        return await post((answer) => ({ key, fingerprint: print, response: JSON.stringify(answer), forgetBefore: opts.now() - IDEMPOTENCY_TTL_MS }));
      } catch (err) {
        // Another process stored the same key's comment while this one ran (it may also have used up
        // the captcha both carried): answer as that one did.
        const won = await stored<T>(siteId, key, print);
        if (won) return won;
        throw err;
      }
    },
  };
}

export type Idempotency = ReturnType<typeof idempotency>;
