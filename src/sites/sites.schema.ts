import { z } from 'zod';
import { isValidTimeZone } from '../config.js';
import { normalizeWords } from '../comments/spam.js';
import { slug, text } from '../validation/validate.js';

export const MAX_ORIGINS = 50;

/** An origin as browsers send it: scheme://host[:port], nothing more. */
const origin = z
  .string()
  .max(200)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === s;
    } catch {
      return false;
    }
  }, 'must be an origin such as https://tienngoc.quangnam.gov.vn (scheme, host and port only, no path or trailing slash)');

const origins = z.array(origin).max(MAX_ORIGINS);

const timezone = z.string().max(64).refine(isValidTimeZone, 'must be an IANA time zone such as Asia/Ho_Chi_Minh');

export const createSiteSchema = z.strictObject({
  id: slug(64),
  name: text({ max: 200 }),
  origins: origins.default([]),
  timezone: timezone.optional(),
  premoderation: z.boolean().default(true),
});

/** One blocked word or phrase, stored as the filter reads it (NFKC, lower case, single spaces). */
const blockedWord = z
  .string()
  .max(300)
  .refine((s) => s.isWellFormed() && !/[\u0000-\u0008\u000E-\u001F\u007F]/.test(s), 'must be text without control characters')
  .transform(normalizeWords)
  .refine((s) => s.length > 0, 'must not be empty')
  .refine((s) => [...s].length <= 60, 'must be at most 60 characters');

export const MAX_NOTIFY_EMAILS = 20;

/**
 * A moderator's address for the comment mails: one plain address (no display name, no list), lower case.
 * Control characters (U+0000, a CR/LF that would add a header) are refused before the address check.
 */
const notifyEmail = z
  .string()
  .max(254)
  .refine((s) => s.isWellFormed() && !/[\u0000-\u001F\u007F]/.test(s), 'must be an e-mail address without control characters')
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.email('must be a valid e-mail address such as vanthu@tienngoc.quangnam.gov.vn'));

export const updateSiteSchema = z.strictObject({
  name: text({ max: 200 }).optional(),
  origins: origins.optional(),
  timezone: timezone.optional(),
  premoderation: z.boolean().optional(),
  blockedWords: z
    .array(blockedWord)
    .max(500)
    .transform((words) => [...new Set(words)])
    .optional(),
  blockedWordsAction: z.enum(['spam', 'pending']).optional(),
  notifyEmails: z
    .array(notifyEmail)
    .max(MAX_NOTIFY_EMAILS, `at most ${MAX_NOTIFY_EMAILS} addresses`)
    .transform((list) => [...new Set(list)])
    .optional(),
  /** 0 = one mail per pending comment; otherwise a digest every so many minutes (5 to 1440, a day). */
  notifyDigestMinutes: z
    .number()
    .int()
    .refine((n) => n === 0 || (n >= 5 && n <= 1440), 'must be 0 (one mail per comment) or 5 to 1440 minutes')
    .optional(),
});

/** POST /v1/admin/sites/:site/origins: add and remove without restating the whole list. */
export const changeOriginsSchema = z
  .strictObject({
    add: origins.default([]),
    // Any stored value may be removed, even one an older version let in.
    remove: z.array(z.string().min(1).max(200)).max(MAX_ORIGINS).default([]),
  })
  .refine((b) => b.add.length + b.remove.length > 0, 'give "add", "remove" or both, each a list of origins')
  .refine((b) => !b.add.some((o) => b.remove.includes(o)), 'an origin cannot be both added and removed');

/**
 * GET /v1/admin/sites/:site/origin-check?url=: the address of a portal page, as a person pastes it
 * (surrounding spaces forgiven). Only http(s) addresses: a browser never sends another scheme's origin.
 */
export const originCheckQuery = z.strictObject({
  url: z
    .string()
    .max(2048)
    .transform((s) => s.trim())
    .refine((s) => !/[\u0000-\u001F\u007F]/.test(s), 'must not contain control characters')
    .transform((s, ctx) => {
      let u: URL | undefined;
      try {
        u = new URL(s);
      } catch {
        /* refused below */
      }
      if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname) {
        ctx.addIssue({ code: 'custom', message: 'must be the address of a web page, starting with https:// or http://' });
        return z.NEVER;
      }
      return u;
    }),
});

/** DELETE /v1/admin/sites/:site?confirm=SITE */
export const deleteSiteQuery = z.strictObject({ confirm: z.string().max(64).optional() });

export type CreateSiteInput = z.output<typeof createSiteSchema>;
export type UpdateSiteInput = z.output<typeof updateSiteSchema>;
export type ChangeOriginsInput = z.output<typeof changeOriginsSchema>;
