// The survey builder's draft: what the form holds while being typed (strings, as inputs give them), and
// how it becomes the API's body. The server keeps every rule; this only carries the admin's words.
import type { AdminSurvey, Question, QuestionType } from '../src/api/surveys.js';
import { isoToWall, wallToIso } from './time.js';

export interface ChoiceDraft {
  key: number;
  id?: string | undefined;
  label: string;
}
export interface QuestionDraft {
  key: number;
  id?: string | undefined;
  type: QuestionType;
  title: string;
  section: string;
  required: boolean;
  options: ChoiceDraft[];
  items: ChoiceDraft[];
  maxChoices: string;
  scale: { min: string; max: string; named: boolean; labels: string[] };
  multiline: boolean;
  maxLength: string;
}
export interface SurveyDraft {
  title: string;
  intro: string;
  opensAt: string;
  closesAt: string;
  resultsVisibility: AdminSurvey['resultsVisibility'];
  questions: QuestionDraft[];
}

let last = 0;
/** A key for Preact's lists that stays with a question or a choice when it moves. */
export const nextKey = () => ++last;

const choice = (label = '', id?: string): ChoiceDraft => ({ key: nextKey(), id, label });

export function newQuestion(type: QuestionType): QuestionDraft {
  return {
    key: nextKey(),
    type,
    title: '',
    section: '',
    required: false,
    options: [choice(), choice()],
    items: [choice()],
    maxChoices: '',
    scale: { min: '1', max: '5', named: false, labels: [] },
    multiline: false,
    maxLength: '',
  };
}

export const emptySurvey = (): SurveyDraft => ({ title: '', intro: '', opensAt: '', closesAt: '', resultsVisibility: 'always', questions: [newQuestion('single')] });

function questionDraft(q: Question): QuestionDraft {
  const d = { ...newQuestion(q.type), id: q.id, title: q.title, section: q.section ?? '', required: q.required };
  if (q.type === 'single' || q.type === 'multiple') d.options = q.options.map((o) => choice(o.label, o.id));
  if (q.type === 'multiple') d.maxChoices = String(q.maxChoices);
  if (q.type === 'matrix') d.items = q.items.map((o) => choice(o.label, o.id));
  if (q.type === 'scale' || q.type === 'matrix') d.scale = { min: String(q.scale.min), max: String(q.scale.max), named: q.scale.labels !== null, labels: q.scale.labels ?? [] };
  if (q.type === 'text') {
    d.multiline = q.multiline;
    d.maxLength = String(q.maxLength);
  }
  return d;
}

export const draftOf = (s: AdminSurvey, zone: string): SurveyDraft => ({
  title: s.title,
  intro: s.intro ?? '',
  opensAt: isoToWall(s.opensAt, zone),
  closesAt: isoToWall(s.closesAt, zone),
  resultsVisibility: s.resultsVisibility,
  questions: s.questions.map(questionDraft),
});

/** A number field: absent when empty, else the number typed (the server names a non-integer). */
const num = (s: string) => (s.trim() === '' ? undefined : Number(s));

/** The scale's points from min to max, as the inputs stand (empty while min or max is not a number). */
export function scalePoints(scale: QuestionDraft['scale']): number[] {
  const min = num(scale.min) ?? 1;
  const max = num(scale.max) ?? 5;
  if (!Number.isInteger(min) || !Number.isInteger(max) || max < min || max - min > 10) return [];
  return Array.from({ length: max - min + 1 }, (_, i) => min + i);
}

function questionBody(q: QuestionDraft, editing: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { type: q.type, title: q.title, required: q.required };
  if (editing && q.id) body.id = q.id;
  if (q.section.trim()) body.section = q.section;
  const choices = (list: ChoiceDraft[]) => (editing ? list.map((c) => (c.id ? { id: c.id, label: c.label } : { label: c.label })) : list.map((c) => c.label));
  const scale = () => ({ min: num(q.scale.min), max: num(q.scale.max), labels: q.scale.named ? scalePoints(q.scale).map((_, i) => q.scale.labels[i] ?? '') : null });
  switch (q.type) {
    case 'single':
      return { ...body, options: choices(q.options) };
    case 'multiple':
      // Empty means "all": on an edit, an omitted maxChoices would keep the old one.
      return { ...body, options: choices(q.options), maxChoices: num(q.maxChoices) ?? (editing ? q.options.length : undefined) };
    case 'scale':
      return { ...body, scale: scale() };
    case 'matrix':
      return { ...body, items: choices(q.items), scale: scale() };
    case 'text':
      return { ...body, multiline: q.multiline, maxLength: num(q.maxLength) };
  }
}

/** POST /v1/admin/surveys's body, or PATCH's when editing; times read in the site's zone. */
export function surveyBody(d: SurveyDraft, zone: string, editing: boolean): Record<string, unknown> {
  return {
    title: d.title,
    intro: editing ? d.intro : d.intro.trim() ? d.intro : undefined,
    opensAt: wallToIso(d.opensAt, zone),
    closesAt: wallToIso(d.closesAt, zone),
    resultsVisibility: d.resultsVisibility,
    questions: d.questions.map((q) => questionBody(q, editing)),
  };
}
