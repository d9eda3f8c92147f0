import { z } from 'zod';
import { pageKey, voterId } from '../validation/validate.js';

/** Most pages one PUT may set: a portal moving over brings its article totals in a few requests. */
export const MAX_PAGES_PER_PUT = 500;
/** Starting figures above this are typos, not portals. */
const MAX_FIGURE = 1_000_000_000_000;
const figure = z.number().int().min(0).max(MAX_FIGURE);

export const pageParamsSchema = z.object({ page: pageKey });

export const viewSchema = z.strictObject({ visitorId: voterId });
export type ViewInput = z.output<typeof viewSchema>;

export const setCountersSchema = z
  .strictObject({
    siteVisits: figure.optional(),
    pages: z
      .record(pageKey, figure)
      .refine((p) => Object.keys(p).length <= MAX_PAGES_PER_PUT, `must list at most ${MAX_PAGES_PER_PUT} pages per request`)
      .optional(),
  })
  .refine((b) => b.siteVisits !== undefined || (b.pages !== undefined && Object.keys(b.pages).length > 0), {
    message: 'give siteVisits, pages, or both',
  });
export type SetCountersInput = z.output<typeof setCountersSchema>;
