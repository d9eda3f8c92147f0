import { z } from 'zod';
import { VOTER_ID } from '../api/patterns.js';
import { ValidationError } from '../errors.js';

/** Parses `data` with `schema` or throws a ValidationError listing each field's problem. */
export function parse<S extends z.ZodType>(schema: S, data: unknown, where = 'body'): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.map((i) => ({
      field: i.path.length ? i.path.join('.') : where,
      message: i.message,
      code: i.code,
    })),
  );
}

// Control characters other than tab/newline/CR never belong in text people type.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const CONTROL_SINGLE_LINE = /[\u0000-\u001F\u007F]/;
/**
 * Bidirectional controls: embeddings and overrides (U+202A–202E), isolates (U+2066–2069) and
 * the marks LRM, RLM, ALM (U+200E, U+200F, U+061C). Vietnamese never needs them, and they let a
 * writer show "UBND xã" from reversed letters. Stripped rather than refused: they are invisible,
 * and honest text carries them without the writer knowing (phone apps wrap a copied phone number
 * in U+202A…U+202C, some Windows software puts U+200E around dates), so a refusal would name a
 * fault nobody can see. Only invisible characters go: every visible one stays where it was typed.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;

/**
 * User-typed text: normalised to NFC (so "ế" typed as e + combining marks is stored once),
 * without bidirectional controls, trimmed, free of control characters and lone surrogates,
 * with a length in characters (code points), not UTF-16 units.
 */
export function text(opts: { min?: number; max: number; multiline?: boolean }) {
  const min = opts.min ?? 1;
  const bad = opts.multiline ? CONTROL : CONTROL_SINGLE_LINE;
  return z
    .string()
    .refine((s) => s.isWellFormed(), 'must be valid Unicode text')
    .transform((s) => s.normalize('NFC').replace(BIDI_CONTROLS, '').trim().replace(/\r\n?/g, '\n'))
    .refine((s) => !bad.test(s), 'must not contain control characters')
    .refine((s) => [...s].length >= min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
    .refine((s) => [...s].length <= opts.max, `must be at most ${opts.max} characters`);
}

/** Optional text where "" means absent. */
export function optionalText(opts: { max: number; multiline?: boolean }) {
  return z
    .union([z.literal(''), z.null(), text({ ...opts, min: 1 })])
    .optional()
    .transform((v) => (v ? v : undefined));
}

/** URL-safe keys: site ids, thread keys, page keys. */
export const slug = (max = 64) =>
  z.string().min(1).max(max).regex(/^[A-Za-z0-9][A-Za-z0-9_.~-]*$/, 'may contain only letters, digits, "-", "_", "." and "~"');

/**
 * Keys of articles (comment threads, counted pages): any text a portal has at hand, usually the
 * article's path ("/tin-tuc/2026/ke-hoach-206.html", as `location.pathname` gives it). Clients put it
 * in the URL as ONE segment with a single `encodeURIComponent`; Express decodes it once, so "/" arrives
 * as "/" and a literal "%2F" (sent as "%252F") stays "%2F". Keys are never file paths, so "/" and ".."
 * inside them are harmless; what is refused, and why:
 * - control characters (a NUL would also collide with the response cache's separators), lone surrogates;
 * - bidi overrides and isolates, which would make a key display as another in moderation lists;
 * - a key of only "." or "..": browsers and curl remove such dot segments from a URL before sending it,
 *   so that thread could never be reached.
 * Normalised like typed text (NFC, trimmed): "tin tức" typed with combining marks is the same thread.
 */
export const pageKey = z
  .string()
  .refine((s) => s.isWellFormed(), 'must be valid Unicode text')
  .transform((s) => s.normalize('NFC').trim())
  .refine((s) => !/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u.test(s), 'must not contain control characters')
  .refine((s) => s.length > 0, 'must not be empty')
  .refine((s) => [...s].length <= 200, 'must be at most 200 characters')
  .refine((s) => s !== '.' && s !== '..', 'must not be "." or ".." (a URL cannot carry them as a segment)');

/** The random id the widget keeps in localStorage. */
export const voterId = z.string().regex(VOTER_ID, 'must be 8-128 letters, digits, "-" or "_"');

/** Years JavaScript dates read and print faithfully: Date.UTC takes 0–99 as 1900–1999, and ISO strings need 4 digits. */
export const isSaneYear = (year: number) => year >= 100 && year <= 9999;
export const YEAR_MESSAGE = 'must have a year from 0100 to 9999';

/** ISO 8601 date-time with an offset (or Z), stored as epoch ms; null clears it. */
export const isoDateTime = z
  .string()
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-12-01T08:00:00+07:00' })
  .refine((s) => /^\d{4}-/.test(s) && isSaneYear(Number(s.slice(0, 4))), YEAR_MESSAGE)
  .transform((s) => Date.parse(s));
