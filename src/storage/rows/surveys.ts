import type { QuestionRecord, ResponseExportRecord, StoredAnswer, SurveyCounts, SurveyRecord } from '../../surveys/surveys.store.js';

/** Rows of the surveys tables as both backends read them (SQLite gives JSON as text and booleans as 0/1). */

export interface SurveyRow {
  id: string;
  site_id: string;
  title: string;
  intro: string | null;
  template: string | null;
  opens_at: number | null;
  closes_at: number | null;
  closed_at: number | null;
  results_visibility: SurveyRecord['resultsVisibility'];
  total_responses: number;
  created_at: number;
  updated_at: number;
}

export const toSurvey = (r: SurveyRow): SurveyRecord => ({
  id: r.id,
  siteId: r.site_id,
  title: r.title,
  intro: r.intro,
  template: r.template,
  opensAt: r.opens_at,
  closesAt: r.closes_at,
  closedAt: r.closed_at,
  resultsVisibility: r.results_visibility,
  responses: r.total_responses,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface QuestionRow {
  survey_id: string;
  id: string;
  type: QuestionRecord['type'];
  title: string;
  section: string | null;
  required: number | boolean;
  settings: string | QuestionRecord['settings'];
}
export interface ChoiceRow {
  question_id: string;
  id: string;
  label: string;
}

/** Questions with their choices, grouped per survey, from rows already in order (position). */
export function questionsBySurvey(questions: QuestionRow[], choices: ChoiceRow[]): Map<string, QuestionRecord[]> {
  const byQuestion = new Map<string, QuestionRecord>();
  const out = new Map<string, QuestionRecord[]>();
  for (const q of questions) {
    const rec: QuestionRecord = {
      id: q.id,
      type: q.type,
      title: q.title,
      section: q.section,
      required: q.required === true || q.required === 1,
      settings: typeof q.settings === 'string' ? JSON.parse(q.settings) : q.settings,
      choices: [],
    };
    byQuestion.set(q.id, rec);
    let list = out.get(q.survey_id);
    if (!list) out.set(q.survey_id, (list = []));
    list.push(rec);
  }
  for (const c of choices) byQuestion.get(c.question_id)?.choices.push({ id: c.id, label: c.label });
  return out;
}

/** One row of the counts query: s = survey responses, q = question answered, c = choice count, v = value count. */
export interface CountRow {
  survey_id: string;
  kind: 's' | 'q' | 'c' | 'v';
  key: string;
  value: number | null;
  n: number;
}

export const emptyCounts = (): SurveyCounts => ({ responses: 0, answered: new Map(), choices: new Map(), values: new Map() });

export function countsBySurvey(rows: CountRow[]): Map<string, SurveyCounts> {
  const out = new Map<string, { responses: number; answered: Map<string, number>; choices: Map<string, number>; values: Map<string, Map<number, number>> }>();
  for (const r of rows) {
    let c = out.get(r.survey_id);
    if (!c) out.set(r.survey_id, (c = { responses: 0, answered: new Map(), choices: new Map(), values: new Map() }));
    if (r.kind === 's') c.responses = Number(r.n);
    else if (r.kind === 'q') c.answered.set(r.key, Number(r.n));
    else if (r.kind === 'c') c.choices.set(r.key, Number(r.n));
    else {
      let v = c.values.get(r.key);
      if (!v) c.values.set(r.key, (v = new Map()));
      v.set(Number(r.value), Number(r.n));
    }
  }
  return out;
}

/** What one response adds to the counts. */
export function deltasOf(answers: readonly StoredAnswer[]) {
  const questions = [...new Set(answers.map((a) => a.questionId))];
  const choices = answers.flatMap((a) => (a.choiceId !== null ? [a.choiceId] : []));
  const values = answers.flatMap((a) => (a.value !== null ? [{ questionId: a.questionId, key: a.choiceId ?? a.questionId, value: a.value }] : []));
  return { questions, choices, values };
}

export interface ExportRow {
  id: number;
  created_at: number;
  answers: string | [string, string, number | null, string | null][];
}

export const toResponse = (r: ExportRow): ResponseExportRecord => ({
  id: Number(r.id),
  at: Number(r.created_at),
  answers: (typeof r.answers === 'string' ? (JSON.parse(r.answers) as [string, string, number | null, string | null][]) : r.answers).map(([questionId, choiceId, value, text]) => ({
    questionId,
    choiceId: choiceId === '' ? null : choiceId,
    value,
    text,
  })),
});

