// The server's refusals of a survey, in words, at the field they name.
import type { AdminSurvey } from '../src/api/surveys.js';
import { ApiError } from './api.js';
import { t } from './i18n.js';

interface Issue {
  field: string;
  message: string;
  code?: string;
}

/**
 * A field's path as the builder names its inputs: "questions.3.options.1" (an edit's "…options.1.label" and
 * "…options.1.id" are the same input).
 */
export const fieldPath = (field: string) => field.replace(/\.(label|id)$/, '');

/** One validation message of the server (zod's or the service's, in English) as words for the admin. */
export function wordsFor(issue: Issue): string {
  const m = issue.message;
  if (/must be more than min/.test(m)) return t('v.maxAboveMin');
  if (/at most \d+ points/.test(m)) return t('v.scalePoints');
  if (/must name every point/.test(m)) return t('v.labelsEvery');
  if (/at least 2 options/.test(m)) return t('v.needOptions');
  if (/at least 1 item/.test(m)) return t('v.needItems');
  if (/different from each other|is given twice/.test(m)) return t('v.distinct');
  if (/must not exceed the number of options/.test(m)) return t('v.maxChoices');
  if (/must be after opensAt/.test(m)) return t('v.closesAfter');
  if (/must not be empty|is required/.test(m)) return t('v.required');
  if (/ISO 8601|year from/.test(m)) return t('v.date');
  if (/at most \d+ characters/.test(m)) return t('v.tooLong');
  if (issue.code === 'too_big') return /items|element/.test(m) ? t('v.tooMany') : t('v.tooBig');
  if (issue.code === 'too_small') return /items|element/.test(m) ? (/options$/.test(issue.field) ? t('v.needOptions') : t('v.needItems')) : t('v.tooSmall');
  if (/int/.test(m)) return t('v.wholeNumber');
  return t('v.invalid');
}

/** validation_failed → each named field's words (several for one field joined); null for any other refusal. */
export function fieldErrors(err: unknown): Record<string, string> | null {
  if (!(err instanceof ApiError) || err.code !== 'validation_failed') return null;
  const out: Record<string, string> = {};
  for (const issue of (err.body?.errors as Issue[] | undefined) ?? []) {
    const path = fieldPath(issue.field);
    const words = wordsFor(issue);
    out[path] = out[path] && !out[path].includes(words) ? `${out[path]} ${words}` : words;
  }
  return out;
}

const REFUSALS = ['removedQuestions', 'retypedQuestions', 'removedChoices', 'relabelledChoices', 'scaleChanged', 'maxChoicesLowered', 'maxLengthLowered', 'newRequiredQuestions'] as const;

/**
 * 409 survey_has_responses, which names every refused change by question or choice id ("questions.5" for a
 * new question), as a sentence per change naming the question or choice as the admin wrote it; null for any
 * other refusal.
 */
export function refusedChanges(err: unknown, before: AdminSurvey): string[] | null {
  if (!(err instanceof ApiError) || err.code !== 'survey_has_responses') return null;
  const names = new Map<string, string>();
  before.questions.forEach((q, i) => {
    names.set(q.id, `${i + 1} (“${q.title}”)`);
    const choices = q.type === 'single' || q.type === 'multiple' ? q.options : q.type === 'matrix' ? q.items : [];
    for (const c of choices) names.set(c.id, `“${c.label}” (${t('b.question', { n: i + 1 })})`);
  });
  const nameOf = (ref: string) => {
    const added = /^questions\.(\d+)$/.exec(ref);
    return added ? t('b.question', { n: Number(added[1]) + 1 }) : (names.get(ref) ?? ref);
  };
  return REFUSALS.flatMap((what) => {
    const refs = err.body?.[what];
    if (!Array.isArray(refs) || !refs.length) return [];
    return [t(`e.${what}`, { what: refs.map((r) => nameOf(String(r))).join(', ') })];
  });
}
