import { z } from 'zod';
import { isoDateTime, slug, text, voterId } from '../validation/validate.js';

export const MAX_OPTIONS = 30;
const label = text({ max: 200 });
const visibility = z.enum(['always', 'after_vote', 'after_close']);

const distinctLabels = (labels: string[]) => new Set(labels.map((l) => l.toLocaleLowerCase('vi'))).size === labels.length;

export const createPollSchema = z
  .strictObject({
    site: slug(64),
    question: text({ max: 500 }),
    options: z.array(label).min(2).max(MAX_OPTIONS).refine(distinctLabels, 'options must be different from each other'),
    maxChoices: z.number().int().min(1).max(MAX_OPTIONS).default(1),
    opensAt: isoDateTime.nullish(),
    closesAt: isoDateTime.nullish(),
    resultsVisibility: visibility.default('always'),
  })
  .refine((p) => p.maxChoices <= p.options.length, { path: ['maxChoices'], message: 'must not exceed the number of options' })
  .refine((p) => p.opensAt == null || p.closesAt == null || p.opensAt < p.closesAt, {
    path: ['closesAt'],
    message: 'must be after opensAt',
  });

/** Options in a PATCH: existing ones by id (label may change while the poll has no votes), new ones without. */
const patchOption = z.strictObject({ id: z.string().max(32).optional(), label });

export const updatePollSchema = z.strictObject({
  question: text({ max: 500 }).optional(),
  options: z
    .array(patchOption)
    .min(2)
    .max(MAX_OPTIONS)
    .refine((o) => distinctLabels(o.map((x) => x.label)), 'options must be different from each other')
    .optional(),
  maxChoices: z.number().int().min(1).max(MAX_OPTIONS).optional(),
  opensAt: isoDateTime.nullable().optional(),
  closesAt: isoDateTime.nullable().optional(),
  resultsVisibility: visibility.optional(),
});

export const voteSchema = z.strictObject({
  optionIds: z
    .array(z.string().min(1).max(32))
    .min(1, 'choose at least one option')
    .max(MAX_OPTIONS)
    .refine((ids) => new Set(ids).size === ids.length, 'must not repeat an option'),
  voterId,
});

export const voterQuerySchema = z.object({ voterId: voterId.optional() });
export const listPollsQuerySchema = z.object({ site: slug(64).optional() });

export type CreatePollInput = z.output<typeof createPollSchema>;
export type UpdatePollInput = z.output<typeof updatePollSchema>;
export type VoteInput = z.output<typeof voteSchema>;

/** Most votes one option may bring from an old system: far above any commune's population, far below what could overflow. */
export const MAX_STARTING_VOTES = 100_000_000;

/** PUT /v1/admin/polls/:id/starting-figures: votes per option id from an old system; options not named have none. */
export const startingFiguresSchema = z.strictObject({
  figures: z.record(
    z.string().min(1).max(32),
    z.number().int('must be a whole number').min(0, 'must not be negative').max(MAX_STARTING_VOTES, `must be at most ${MAX_STARTING_VOTES}`),
  ),
});
export type StartingFiguresInput = z.output<typeof startingFiguresSchema>;
