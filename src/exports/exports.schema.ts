import { z } from 'zod';
import { isSaneYear, isoDateTime, slug, YEAR_MESSAGE } from '../validation/validate.js';
import { zonedToUtc } from './zone.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A bound of a time range: an ISO 8601 date-time with an offset, or a calendar date
 * (YYYY-MM-DD) read in the site's time zone — `from` at its start, `to` at its end.
 */
export const when = z.union([
  z
    .string()
    .regex(DATE, 'must be YYYY-MM-DD or an ISO 8601 date-time with a time zone')
    .refine((s) => !Number.isNaN(Date.parse(s)), 'is not a date')
    .refine((s) => isSaneYear(Number(s.slice(0, 4))), YEAR_MESSAGE),
  isoDateTime,
]);

export type When = z.output<typeof when>;

/** Epoch ms of a bound; a date means local midnight, and for an end bound the midnight after it. */
export function resolveWhen(w: When | undefined, tz: string, end: boolean): number | undefined {
  if (w === undefined) return undefined;
  if (typeof w === 'number') return w;
  const [, y, m, d] = DATE.exec(w)!.map(Number) as [number, number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + (end ? 1 : 0)));
  return zonedToUtc(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0, tz);
}

export const pollExportQuery = z.strictObject({
  format: z.enum(['csv', 'json', 'xlsx']).default('csv'),
  detail: z.enum(['votes']).optional(),
});

export const timelineQuery = z.strictObject({
  bucket: z.enum(['hour', 'day']).default('hour'),
  from: when.optional(),
  to: when.optional(),
});

export const commentsExportQuery = z.strictObject({
  site: slug(64).optional(),
  status: z.enum(['pending', 'approved', 'rejected', 'spam']).optional(),
  from: when.optional(),
  to: when.optional(),
  format: z.enum(['csv', 'json', 'xlsx']).default('csv'),
});
