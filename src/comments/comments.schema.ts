import { z } from 'zod';
import { optionalText, pageKey, slug, text } from '../validation/validate.js';
import type { CommentStatus } from './comments.store.js';
import { when } from '../exports/exports.schema.js';
import { foldForSearch } from '../util/fold.js';

export type { CommentStatus };

/** An ALTCHA v1 solution as the widget sends it (src/comments/pow.ts checks what it proves). */
const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 hexadecimal digits');
const powSolution = z.strictObject({
  algorithm: z.literal('SHA-256'),
  challenge: hex64,
  number: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  salt: z.string().min(1).max(400),
  signature: hex64,
});

/** `?mode=accessible` asks for the challenge without a picture. */
export const captchaQuery = z.object({ mode: z.enum(['image', 'accessible']).default('image') });

const commentId = z.string().regex(/^[a-z0-9]{4,32}$/, 'is not a comment id');

/** An e-mail address as people type it: trimmed, lower case, checked; "" means absent. */
const email = z
  .union([z.literal(''), z.null(), z.string().trim().toLowerCase().max(254).pipe(z.email('must be a valid e-mail address'))])
  .optional()
  .transform((v) => (v ? v : undefined));

/**
 * The comment form. Unknown fields are ignored (the widget may grow), known ones are
 * strict. `website` is the honeypot: hidden from people, so it must stay empty.
 */
export const postCommentSchema = z.object({
  name: text({ max: 100 }),
  address: optionalText({ max: 200 }),
  email,
  content: text({ max: 5000, multiline: true }),
  captchaId: z.string().max(64).optional(),
  captchaAnswer: z.string().max(32).optional(),
  pow: powSolution.optional(),
  parentId: z.union([z.null(), commentId]).optional(),
  website: z.unknown().optional(),
});
export type PostCommentInput = z.output<typeof postCommentSchema>;

export const threadParams = z.object({ site: slug(64), thread: pageKey });

/** Most keys one count request carries: an article list's page, and a URL nginx still accepts (8 KB lines). */
export const MAX_COUNT_KEYS = 50;
/** `?thread=K1&thread=K2…`: repeated keys are asked once. */
export const threadCountsQuery = z.object({
  thread: z
    .preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(pageKey).min(1, 'name at least one thread').max(MAX_COUNT_KEYS, `at most ${MAX_COUNT_KEYS} threads at once`))
    .transform((keys) => [...new Set(keys)]),
});

/** Keyset cursor "createdAt-id", opaque to clients. */
export const cursor = z
  .string()
  .regex(/^\d{1,15}-[a-z0-9]{4,32}$/, 'is not a cursor from a previous page')
  .transform((s) => {
    const i = s.indexOf('-');
    return { at: Number(s.slice(0, i)), id: s.slice(i + 1) };
  });
export type Cursor = z.output<typeof cursor>;
export const encodeCursor = (at: number, id: string) => `${at}-${id}`;

export const listQuery = z.object({
  cursor: cursor.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const STATUSES = ['pending', 'approved', 'rejected', 'spam'] as const satisfies readonly CommentStatus[];

/** The queue's filters: `from`/`to` as in exports (a date is read in the site's zone; `to` is its end), `q` a text to find. */
const queueFilters = {
  site: slug(64).optional(),
  thread: pageKey.optional(),
  from: when.optional(),
  to: when.optional(),
  q: z.string().trim().min(1).max(200).transform(foldForSearch).optional(),
};

export const adminListQuery = z.object({
  ...queueFilters,
  status: z.enum(STATUSES).optional(),
  cursor: cursor.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AdminListQuery = z.output<typeof adminListQuery>;

export const countsQuery = z.strictObject(queueFilters);
export type CountsQuery = z.output<typeof countsQuery>;

/** A moderator's correction of a comment's text: the same rules as the text a reader writes. */
export const editSchema = z.strictObject({ content: text({ max: 5000, multiline: true }) });
/** A reply from the editors: text only; the name is the portal's. */
export const replySchema = z.strictObject({ content: text({ max: 5000, multiline: true }) });

export const ACTIONS = ['approve', 'reject', 'spam', 'delete'] as const;
export type ModerationAction = (typeof ACTIONS)[number];

export const idParam = z.object({ id: commentId });

export const bulkSchema = z.strictObject({
  ids: z.array(commentId).min(1).max(200),
  action: z.enum(ACTIONS),
});

export const eraseQuery = z.object({
  site: slug(64).optional(),
  email: z.string().trim().toLowerCase().max(254).pipe(z.email('must be a valid e-mail address')),
});

export const webhookSchema = z.strictObject({
  url: z
    .string()
    .max(500)
    .refine((s) => {
      try {
        const u = new URL(s);
        return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
      } catch {
        return false;
      }
    }, 'must be an http(s) URL without user name or password'),
  secret: z.string().min(16, 'must be at least 16 characters').max(200),
});
