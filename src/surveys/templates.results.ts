import type { TemplateResults } from '../api/surveys.js';
import { iso } from '../ballots/status.js';
import { AppError } from '../errors.js';
import { newQuestions } from './surveys.domain.js';
import type { QuestionInput } from './surveys.schema.js';
import type { QuestionRecord, SurveyCounts, SurveyDefinition, SurveysStore } from './surveys.store.js';
import { questionView, resultsOf } from './surveys.views.js';
import { TEMPLATES, type SurveyTemplate } from './templates/index.js';

export type { TemplateResults, TemplateSurveyRow } from '../api/surveys.js';

export interface TemplateResultsQuery {
  /** Surveys taking answers at some point in [from, to): made (or opened) before `to`, not closed before `from`. */
  from?: number | undefined;
  to?: number | undefined;
  /** Only these sites (none: every site). */
  sites?: readonly string[] | undefined;
}

/** The template as a definition whose ids are its question numbers: q1…, and q1.1… for options and items. */
export function templateDefinition(t: SurveyTemplate): SurveyDefinition {
  const questions = newQuestions(t.questions as QuestionInput[], () => '').map((q, i) => ({
    ...q,
    id: `q${i + 1}`,
    choices: q.choices.map((c, j) => ({ ...c, id: `q${i + 1}.${j + 1}` })),
  }));
  const survey = { id: t.id, siteId: '', title: t.title, intro: t.intro, template: t.id, opensAt: null, closesAt: null, closedAt: null, resultsVisibility: t.resultsVisibility, responses: 0, createdAt: 0, updatedAt: 0 };
  return { survey, questions };
}

/**
 * Which question of a survey answers each template question: the one at the same place when it is still of
 * the same type and title, else the first other of that type and title; none when the admin removed or
 * rewrote it (its cells stay empty). Options and items are matched by label.
 */
function questionMap(tpl: readonly QuestionRecord[], mine: readonly QuestionRecord[]): (QuestionRecord | undefined)[] {
  const used = new Set<string>();
  const same = (a: QuestionRecord, b: QuestionRecord) => a.type === b.type && a.title === b.title;
  return tpl.map((t, i) => {
    const at = mine[i];
    const q = at && !used.has(at.id) && same(at, t) ? at : mine.find((m) => !used.has(m.id) && same(m, t));
    if (q) used.add(q.id);
    return q;
  });
}

/** A survey's running counts, renamed into the template's ids (what does not match is left out). */
export function countsInTemplateTerms(tpl: SurveyDefinition, def: SurveyDefinition, c: SurveyCounts): SurveyCounts {
  const answered = new Map<string, number>();
  const choices = new Map<string, number>();
  const values = new Map<string, ReadonlyMap<number, number>>();
  questionMap(tpl.questions, def.questions).forEach((q, i) => {
    if (!q) return;
    const t = tpl.questions[i]!;
    answered.set(t.id, c.answered.get(q.id) ?? 0);
    const scale = c.values.get(q.id);
    if (scale) values.set(t.id, scale);
    for (const tc of t.choices) {
      const mc = q.choices.find((x) => x.label === tc.label);
      if (!mc) continue;
      choices.set(tc.id, c.choices.get(mc.id) ?? 0);
      const dist = c.values.get(mc.id);
      if (dist) values.set(tc.id, dist);
    }
  });
  return { responses: c.responses, answered, choices, values };
}

/** Counts added up: the province's figures come from these, never from the rows' percentages or means. */
export function pooled(all: readonly SurveyCounts[]): SurveyCounts {
  const answered = new Map<string, number>();
  const choices = new Map<string, number>();
  const values = new Map<string, Map<number, number>>();
  const add = (m: Map<string, number>, k: string, n: number) => m.set(k, (m.get(k) ?? 0) + n);
  for (const c of all) {
    for (const [k, n] of c.answered) add(answered, k, n);
    for (const [k, n] of c.choices) add(choices, k, n);
    for (const [k, dist] of c.values) {
      let into = values.get(k);
      if (!into) values.set(k, (into = new Map()));
      for (const [v, n] of dist) into.set(v, (into.get(v) ?? 0) + n);
    }
  }
  return { responses: all.reduce((n, c) => n + c.responses, 0), answered, choices, values };
}

const overlaps = (s: SurveyDefinition['survey'], q: TemplateResultsQuery) => {
  const start = s.opensAt ?? s.createdAt;
  const end = s.closedAt ?? s.closesAt ?? Infinity;
  return (q.to === undefined || start < q.to) && (q.from === undefined || end > q.from);
};

export function unknownTemplate(id: string) {
  return new AppError(404, 'template_not_found', `Template "${id}" is not known (${[...TEMPLATES.keys()].join(', ')}).`);
}

/** One template's results across every site that runs it, side by side, read from the running counts in a fixed number of queries. */
export function templateResults(store: Pick<SurveysStore, 'list'>, deps: { siteNames: () => Promise<ReadonlyMap<string, string>> }) {
  return async (templateId: string, q: TemplateResultsQuery): Promise<TemplateResults> => {
    const template = TEMPLATES.get(templateId);
    if (!template) throw unknownTemplate(templateId);
    const tpl = templateDefinition(template);
    const [all, names] = await Promise.all([store.list(q.sites?.length ? q.sites : null), deps.siteNames()]);
    const rows = all
      .filter((s) => s.survey.template === template.id && overlaps(s.survey, q))
      .map((s) => ({ s, counts: countsInTemplateTerms(tpl, s, s.counts), siteName: names.get(s.survey.siteId) ?? s.survey.siteId }))
      .sort((a, b) => a.siteName.localeCompare(b.siteName, 'vi') || a.s.survey.createdAt - b.s.survey.createdAt);
    const inTerms = (c: SurveyCounts, id: string) => ({ ...resultsOf(tpl, c), surveyId: id });
    return {
      template: { id: template.id, title: template.title },
      questions: tpl.questions.map(questionView),
      surveys: rows.map(({ s, counts, siteName }) => ({
        site: s.survey.siteId,
        siteName,
        surveyId: s.survey.id,
        title: s.survey.title,
        createdAt: iso(s.survey.createdAt)!,
        results: inTerms(counts, s.survey.id),
      })),
      province: inTerms(pooled(rows.map((r) => r.counts)), template.id),
    };
  };
}
