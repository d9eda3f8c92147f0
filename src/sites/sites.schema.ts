import { z } from 'zod';
import { isValidTimeZone } from '../config.js';
import { normalizeWords } from '../comments/spam.js';
import { slug, text } from '../http/validate.js';

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

const timezone = z.string().max(64).refine(isValidTimeZone, 'must be an IANA time zone such as Asia/Ho_Chi_Minh');

export const createSiteSchema = z.strictObject({
  id: slug(64),
  name: text({ max: 200 }),
  origins: z.array(origin).max(50).default([]),
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

export const updateSiteSchema = z.strictObject({
  name: text({ max: 200 }).optional(),
  origins: z.array(origin).max(50).optional(),
  timezone: timezone.optional(),
  premoderation: z.boolean().optional(),
  blockedWords: z
    .array(blockedWord)
    .max(500)
    .transform((words) => [...new Set(words)])
    .optional(),
  blockedWordsAction: z.enum(['spam', 'pending']).optional(),
});

export type CreateSiteInput = z.output<typeof createSiteSchema>;
export type UpdateSiteInput = z.output<typeof updateSiteSchema>;
