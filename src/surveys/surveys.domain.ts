import type { Scale } from '../api/surveys.js';
import type { AuditRecord } from '../audit/audit.store.js';
import { admitVoter, admitWindow, refusals } from '../ballots/admission.js';
import { conflict, notFound, ValidationError, type FieldIssue } from '../errors.js';
import { text } from '../validation/validate.js';
import type { PatchQuestionInput, QuestionInput, UpdateSurveyInput } from './surveys.schema.js';
import { TEXT_MAX_LENGTH } from './surveys.schema.js';
import type { QuestionRecord, QuestionSettings, ResponseState, StoredAnswer, SurveyChange, SurveyDefinition } from './surveys.store.js';

/** The rules of a survey, with no storage or HTTP in them. */

export const DEFAULT_SCALE: Scale = { min: 1, max: 5, labels: null };

export const surveyNotFound = (id: string) => notFound(`Survey "${id}"`);

/** A survey's refusals in the shared ballot engine (src/ballots/). */
export const noResponse = refusals({
  closed: ['survey_closed', 'This survey is closed.'],
  notOpen: ['survey_not_open', 'This survey is not open yet.'],
  already: ['already_responded', 'You have already responded to this survey.'],
  ipLimit: ['ip_response_limit', 'Too many responses to this survey from your network today.'],
});

/** The survey changed between the check of the answers and their transaction: they must be checked again. */
export class StaleDefinition extends Error {
  constructor() {
    super('the survey changed while a response was being stored');
  }
}

/**
 * Whether a response may be stored, decided on what its transaction reads: the survey open at `at`, the
 * respondent new, the network under its cap, and the survey as it was when its answers were checked.
 */
export function admitResponse(state: ResponseState, r: { surveyId: string; at: number }, ipCap: number, checkedAgainst: number): void {
  const s = state.survey;
  if (!s) throw surveyNotFound(r.surveyId);
  admitWindow(s, r.at, noResponse);
  admitVoter({ alreadyCast: state.alreadyResponded, fromIp: state.responsesFromIp }, ipCap, noResponse);
  if (s.updatedAt !== checkedAgainst) throw new StaleDefinition();
}

/** The stored settings of a question, from what the admin gave and (for an edit) what it had. */
export function settingsOf(q: Pick<QuestionInput, 'type' | 'maxChoices' | 'scale' | 'multiline' | 'maxLength'>, choices: number, before?: QuestionSettings): QuestionSettings {
  switch (q.type) {
    case 'single':
      return {};
    case 'multiple':
      return { maxChoices: q.maxChoices ?? before?.maxChoices ?? choices };
    case 'scale':
    case 'matrix':
      return { scale: q.scale ?? before?.scale ?? DEFAULT_SCALE };
    case 'text': {
      const multiline = q.multiline ?? before?.multiline ?? false;
      return { multiline, maxLength: q.maxLength ?? before?.maxLength ?? (multiline ? TEXT_MAX_LENGTH.long : TEXT_MAX_LENGTH.short) };
    }
  }
}

/** New questions with new ids for every question and choice. */
export function newQuestions(input: readonly QuestionInput[], newId: () => string): QuestionRecord[] {
  return input.map((q) => {
    const labels = q.options ?? q.items ?? [];
    return {
      id: newId(),
      type: q.type,
      title: q.title,
      section: q.section ?? null,
      required: q.required ?? false,
      settings: settingsOf(q, labels.length),
      choices: labels.map((label) => ({ id: newId(), label })),
    };
  });
}

// ---- Answers ----

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const textRules = new Map<string, ReturnType<typeof text>>();
const textRule = (max: number, multiline: boolean) => {
  const k = `${max}/${multiline}`;
  let rule = textRules.get(k);
  if (!rule) textRules.set(k, (rule = text({ max, multiline })));
  return rule;
};

/** An answer left blank: absent, null, an empty text, no option, no item. */
const blank = (v: unknown) =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);

/**
 * Checks every answer against the survey's questions and turns them into stored answers, or refuses the
 * whole response with ONE ValidationError that names every bad answer as answers.<questionId> (or
 * answers.<questionId>.<itemId>): unknown question, unknown option or item, wrong kind of value, out of
 * range, too many choices, too long, missing when required.
 */
export function checkAnswers(def: SurveyDefinition, answers: Record<string, unknown>): StoredAnswer[] {
  const issues: FieldIssue[] = [];
  const bad = (field: string, code: string, message: string) => void issues.push({ field: `answers.${field}`, code, message });
  const byId = new Map(def.questions.map((q) => [q.id, q]));
  for (const key of Object.keys(answers)) if (!byId.has(key)) bad(key, 'unknown_question', 'is not a question of this survey');

  const out: StoredAnswer[] = [];
  const A = (questionId: string, over: Partial<StoredAnswer>): StoredAnswer => ({ questionId, choiceId: null, value: null, text: null, ...over });
  for (const q of def.questions) {
    const v = hasOwn(answers, q.id) ? answers[q.id] : undefined;
    if (blank(v)) {
      if (q.required) bad(q.id, 'required', 'is required');
      continue;
    }
    const choices = new Set(q.choices.map((c) => c.id));
    const scale = q.settings.scale ?? DEFAULT_SCALE;
    const inScale = (n: unknown) => isInt(n) && n >= scale.min && n <= scale.max;
    const outOfScale = `must be a whole number from ${scale.min} to ${scale.max}`;
    switch (q.type) {
      case 'single':
        if (typeof v !== 'string') bad(q.id, 'invalid_type', 'must be the id of one option');
        else if (!choices.has(v)) bad(q.id, 'unknown_option', `option "${v.slice(0, 64)}" is not in this question`);
        else out.push(A(q.id, { choiceId: v }));
        break;
      case 'multiple': {
        const max = q.settings.maxChoices ?? q.choices.length;
        if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) bad(q.id, 'invalid_type', 'must be a list of option ids');
        else if (new Set(v).size !== v.length) bad(q.id, 'repeated_option', 'must not repeat an option');
        else if (v.some((x) => !choices.has(x))) bad(q.id, 'unknown_option', `option "${String(v.find((x) => !choices.has(x))).slice(0, 64)}" is not in this question`);
        else if (v.length > max) bad(q.id, 'too_many_choices', `choose at most ${max}`);
        else for (const x of v as string[]) out.push(A(q.id, { choiceId: x }));
        break;
      }
      case 'scale':
        if (!inScale(v)) bad(q.id, 'out_of_range', outOfScale);
        else out.push(A(q.id, { value: v as number }));
        break;
      case 'matrix': {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) {
          bad(q.id, 'invalid_type', 'must be an object of values by item id');
          break;
        }
        const given = v as Record<string, unknown>;
        const before = issues.length;
        for (const key of Object.keys(given)) if (!choices.has(key)) bad(`${q.id}.${key.slice(0, 64)}`, 'unknown_item', 'is not an item of this question');
        const mine: StoredAnswer[] = [];
        for (const item of q.choices) {
          const n = hasOwn(given, item.id) ? given[item.id] : undefined;
          if (n === undefined || n === null) {
            if (q.required) bad(`${q.id}.${item.id}`, 'required', 'is required');
          } else if (!inScale(n)) bad(`${q.id}.${item.id}`, 'out_of_range', outOfScale);
          else mine.push(A(q.id, { choiceId: item.id, value: n as number }));
        }
        if (issues.length === before) out.push(...mine);
        break;
      }
      case 'text': {
        const max = q.settings.maxLength ?? TEXT_MAX_LENGTH.short;
        if (typeof v !== 'string') {
          bad(q.id, 'invalid_type', 'must be text');
          break;
        }
        const parsed = textRule(max, q.settings.multiline ?? false).safeParse(v);
        if (parsed.success) out.push(A(q.id, { text: parsed.data }));
        else {
          const tooLong = [...v.normalize('NFC').trim()].length > max;
          bad(q.id, tooLong ? 'too_long' : 'invalid_text', tooLong ? `must be at most ${max} characters` : (parsed.error.issues[0]?.message ?? 'is not valid text'));
        }
        break;
      }
    }
  }
  if (issues.length) throw new ValidationError(issues, `The response is not valid: ${issues.length} answer(s) to correct.`);
  return out;
}

// ---- Edits ----

/** Field by field: settings come back from JSONB with their keys in another order. */
const scaleKey = (s: Scale | undefined) => {
  const x = s ?? DEFAULT_SCALE;
  return JSON.stringify([x.min, x.max, x.labels ?? null]);
};
const sameScale = (a: Scale | undefined, b: Scale | undefined) => scaleKey(a) === scaleKey(b);

/**
 * An edit. Once a survey has responses, what people answered must keep its meaning: no question removed
 * or retyped, no option or item removed or relabelled, no scale changed, no lower maxChoices or maxLength,
 * no new required question (earlier respondents never saw it): 409 survey_has_responses naming all of it.
 * Titles, the intro and sections may be corrected; options, items and optional questions may be added.
 */
export function planUpdate(current: SurveyDefinition, input: UpdateSurveyInput, newId: () => string, audit: (detail: Record<string, unknown>) => AuditRecord): SurveyChange {
  const s = current.survey;
  const hasResponses = s.responses > 0;
  const fields = {
    title: input.title ?? s.title,
    intro: input.intro === undefined ? s.intro : input.intro ?? null,
    opensAt: input.opensAt === undefined ? s.opensAt : input.opensAt,
    closesAt: input.closesAt === undefined ? s.closesAt : input.closesAt,
    resultsVisibility: input.resultsVisibility ?? s.resultsVisibility,
  };
  const issues: FieldIssue[] = [];
  if (fields.opensAt !== null && fields.closesAt !== null && fields.opensAt >= fields.closesAt) issues.push({ field: 'closesAt', message: 'must be after opensAt' });

  let questions: SurveyChange['questions'];
  const refused: Record<string, string[]> = {};
  const refuse = (what: string, id: string) => void (refused[what] ??= []).push(id);
  if (input.questions) {
    const before = new Map(current.questions.map((q) => [q.id, q]));
    const seen = new Set<string>();
    input.questions.forEach((q, i) => {
      if (q.id === undefined) return;
      if (!before.has(q.id)) issues.push({ field: `questions.${i}.id`, code: 'unknown_question', message: 'is not a question of this survey' });
      else if (seen.has(q.id)) issues.push({ field: `questions.${i}.id`, message: 'is given twice' });
      seen.add(q.id);
    });
    if (hasResponses) for (const q of current.questions) if (!seen.has(q.id)) refuse('removedQuestions', q.id);
    questions = input.questions.map((q: PatchQuestionInput, i) => {
      const old = q.id !== undefined ? before.get(q.id) : undefined;
      const given = q.options ?? q.items ?? [];
      const oldChoices = new Map((old?.choices ?? []).map((c) => [c.id, c]));
      given.forEach((c, j) => {
        if (c.id !== undefined && !oldChoices.has(c.id)) issues.push({ field: `questions.${i}.${q.options ? 'options' : 'items'}.${j}.id`, code: 'unknown_choice', message: 'is not a choice of this question' });
      });
      const settings = settingsOf(q, given.length, old?.type === q.type ? old.settings : undefined);
      if (q.type === 'multiple' && settings.maxChoices! > given.length) issues.push({ field: `questions.${i}.maxChoices`, message: 'must not exceed the number of options' });
      if (hasResponses) {
        if (!old) {
          if (q.required) refuse('newRequiredQuestions', `questions.${i}`);
        } else {
          if (old.type !== q.type) refuse('retypedQuestions', old.id);
          else {
            const kept = new Set(given.flatMap((c) => (c.id ? [c.id] : [])));
            for (const c of old.choices) if (!kept.has(c.id)) refuse('removedChoices', c.id);
            for (const c of given) if (c.id && oldChoices.get(c.id) && oldChoices.get(c.id)!.label !== c.label) refuse('relabelledChoices', c.id);
            if ((q.type === 'scale' || q.type === 'matrix') && !sameScale(old.settings.scale, settings.scale)) refuse('scaleChanged', old.id);
            if (q.type === 'multiple' && settings.maxChoices! < (old.settings.maxChoices ?? old.choices.length)) refuse('maxChoicesLowered', old.id);
            if (q.type === 'text' && settings.maxLength! < (old.settings.maxLength ?? TEXT_MAX_LENGTH.short)) refuse('maxLengthLowered', old.id);
          }
        }
      }
      return {
        id: old?.id ?? newId(),
        isNew: !old,
        type: q.type,
        title: q.title,
        section: q.section ?? null,
        required: q.required ?? old?.required ?? false,
        settings,
        choices: given.map((c) => (c.id && oldChoices.has(c.id) && old ? { id: c.id, label: c.label, isNew: false } : { id: newId(), label: c.label, isNew: true })),
      };
    });
  }
  if (issues.length) throw new ValidationError(issues);
  if (Object.keys(refused).length)
    throw conflict(
      'survey_has_responses',
      `This survey has responses: ${Object.keys(refused).join(', ')} would change what respondents answered. Correct titles and sections, add options, items or optional questions, or create a new survey.`,
      refused,
    );
  return {
    fields,
    ...(questions && { questions }),
    audit: audit({ before: { title: s.title, questions: current.questions.map((q) => ({ id: q.id, type: q.type, title: q.title, choices: q.choices })) }, change: input }),
  };
}

