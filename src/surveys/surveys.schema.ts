import { z } from 'zod';
import { isoDateTime, optionalText, slug, text, voterId } from '../validation/validate.js';

export const MAX_QUESTIONS = 100;
export const MAX_CHOICES = 30;
/** The widest scale: 0–10 (an NPS-like question) has 11 points. */
export const MAX_SCALE_POINTS = 11;
export const TEXT_MAX_LENGTH = { short: 200, long: 2000, limit: 5000 } as const;

const label = text({ max: 200 });
const visibility = z.enum(['always', 'after_vote', 'after_close']);
const questionType = z.enum(['single', 'multiple', 'scale', 'matrix', 'text']);
const distinct = (labels: string[]) => new Set(labels.map((l) => l.toLocaleLowerCase('vi'))).size === labels.length;

export const scaleSchema = z
  .strictObject({
    min: z.number().int().min(0).max(10).default(1),
    max: z.number().int().min(1).max(10).default(5),
    labels: z.array(text({ max: 100 })).nullish(),
  })
  .refine((s) => s.max > s.min, { path: ['max'], message: 'must be more than min' })
  .refine((s) => s.max - s.min + 1 <= MAX_SCALE_POINTS, { path: ['max'], message: `a scale has at most ${MAX_SCALE_POINTS} points` })
  .refine((s) => s.labels == null || s.labels.length === s.max - s.min + 1, { path: ['labels'], message: 'must name every point of the scale, in order (max − min + 1 labels)' })
  .transform((s) => ({ min: s.min, max: s.max, labels: s.labels ?? null }));

/** Which fields each type takes: a field given to another type is refused, so a mistake is named, not ignored. */
const FIELDS_OF: Record<z.output<typeof questionType>, readonly string[]> = {
  single: ['options'],
  multiple: ['options', 'maxChoices'],
  scale: ['scale'],
  matrix: ['items', 'scale'],
  text: ['multiline', 'maxLength'],
};
const TYPED_FIELDS = ['options', 'maxChoices', 'scale', 'items', 'multiline', 'maxLength'] as const;

/** Checks of a question that depend on its type, shared by create and edit (choices are labels or { id?, label }). */
function typeRules(q: { type: z.output<typeof questionType>; options?: unknown[] | undefined; items?: unknown[] | undefined; maxChoices?: number | undefined } & Record<string, unknown>, ctx: z.RefinementCtx) {
  for (const f of TYPED_FIELDS)
    if (q[f] !== undefined && !FIELDS_OF[q.type].includes(f)) ctx.addIssue({ code: 'custom', path: [f], message: `is not a field of a ${q.type} question` });
  if ((q.type === 'single' || q.type === 'multiple') && (!q.options || q.options.length < 2))
    ctx.addIssue({ code: 'custom', path: ['options'], message: 'a single or multiple question needs at least 2 options' });
  if (q.type === 'matrix' && (!q.items || q.items.length < 1)) ctx.addIssue({ code: 'custom', path: ['items'], message: 'a matrix question needs at least 1 item' });
  if (q.type === 'multiple' && q.maxChoices !== undefined && q.options && q.maxChoices > q.options.length)
    ctx.addIssue({ code: 'custom', path: ['maxChoices'], message: 'must not exceed the number of options' });
}

const questionFields = {
  type: questionType,
  title: text({ max: 500 }),
  section: optionalText({ max: 200 }),
  required: z.boolean().optional(),
  maxChoices: z.number().int().min(1).max(MAX_CHOICES).optional(),
  scale: scaleSchema.optional(),
  multiline: z.boolean().optional(),
  maxLength: z.number().int().min(1).max(TEXT_MAX_LENGTH.limit).optional(),
};
const labels = z.array(label).min(1).max(MAX_CHOICES).refine(distinct, 'must be different from each other');

export const questionSchema = z.strictObject({ ...questionFields, options: labels.optional(), items: labels.optional() }).superRefine(typeRules);

const surveyFields = {
  title: text({ max: 500 }),
  intro: optionalText({ max: 2000, multiline: true }),
  opensAt: isoDateTime.nullish(),
  closesAt: isoDateTime.nullish(),
  resultsVisibility: visibility,
};
const datesInOrder = (s: { opensAt?: number | null | undefined; closesAt?: number | null | undefined }) => s.opensAt == null || s.closesAt == null || s.opensAt < s.closesAt;

/** POST /v1/admin/surveys: the questions, or a template (whose fields the body may override). */
export const createSurveySchema = z
  .strictObject({
    site: slug(64),
    template: slug(64).optional(),
    title: surveyFields.title.optional(),
    intro: surveyFields.intro,
    questions: z.array(questionSchema).min(1).max(MAX_QUESTIONS).optional(),
    opensAt: surveyFields.opensAt,
    closesAt: surveyFields.closesAt,
    resultsVisibility: visibility.optional(),
  })
  .superRefine((s, ctx) => {
    if (s.template === undefined && s.title === undefined) ctx.addIssue({ code: 'custom', path: ['title'], message: 'is required (or give a template)' });
    if (s.template === undefined && s.questions === undefined) ctx.addIssue({ code: 'custom', path: ['questions'], message: 'is required (or give a template)' });
  })
  .refine(datesInOrder, { path: ['closesAt'], message: 'must be after opensAt' });

/** A choice in an edit: an existing one by id (its label may change while nobody has responded), a new one without. */
const patchChoice = z.strictObject({ id: z.string().max(32).optional(), label });
const patchChoices = z.array(patchChoice).min(1).max(MAX_CHOICES).refine((c) => distinct(c.map((x) => x.label)), 'must be different from each other');

/** A question in an edit: an existing one by id, a new one without. */
export const patchQuestionSchema = z
  .strictObject({ id: z.string().max(32).optional(), ...questionFields, options: patchChoices.optional(), items: patchChoices.optional() })
  .superRefine(typeRules);

export const updateSurveySchema = z
  .strictObject({
    title: surveyFields.title.optional(),
    // null or "" clears the intro; absent keeps it.
    intro: z.union([z.literal('').transform(() => null), z.null(), text({ max: 2000, multiline: true })]).optional(),
    questions: z.array(patchQuestionSchema).min(1).max(MAX_QUESTIONS).optional(),
    opensAt: isoDateTime.nullable().optional(),
    closesAt: isoDateTime.nullable().optional(),
    resultsVisibility: visibility.optional(),
  });

/**
 * A response's shape, before the survey's own rules (surveys.domain.ts) look at each answer and name each
 * bad one. The answers stay the object JSON.parse made (own keys only are read, so "__proto__" is just an
 * unknown question), bounded so a hostile body costs little.
 */
export const responseSchema = z.strictObject({
  respondentId: voterId,
  answers: z
    .custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'must be an object of answers by question id')
    .refine((m) => Object.keys(m).length <= MAX_QUESTIONS, `must hold at most ${MAX_QUESTIONS} answers`),
});

export const respondentQuerySchema = z.object({ respondentId: voterId.optional() });
export const listSurveysQuerySchema = z.object({ site: slug(64).optional() });

export type QuestionInput = z.output<typeof questionSchema>;
export type CreateSurveyInput = z.output<typeof createSurveySchema>;
export type PatchQuestionInput = z.output<typeof patchQuestionSchema>;
export type UpdateSurveyInput = z.output<typeof updateSurveySchema>;
export type ResponseInput = z.output<typeof responseSchema>;
