import type { AdminSurvey, PublicSurvey, Question, QuestionResults, Scale, ScaleSummary, SurveyResults, SurveyStatus } from '../api/surveys.js';
import { percentages } from '../ballots/percent.js';
import { iso, resultsVisible, statusOf } from '../ballots/status.js';
import { DEFAULT_SCALE } from './surveys.domain.js';
import type { QuestionRecord, SurveyCounts, SurveyDefinition, TextAnswers } from './surveys.store.js';

/** Stored surveys as the API shows them. */

export function questionView(q: QuestionRecord): Question {
  const base = { id: q.id, title: q.title, section: q.section, required: q.required };
  const choices = q.choices.map((c) => ({ id: c.id, label: c.label }));
  const scale = q.settings.scale ?? DEFAULT_SCALE;
  switch (q.type) {
    case 'single':
      return { ...base, type: 'single', options: choices };
    case 'multiple':
      return { ...base, type: 'multiple', options: choices, maxChoices: q.settings.maxChoices ?? choices.length };
    case 'scale':
      return { ...base, type: 'scale', scale };
    case 'matrix':
      return { ...base, type: 'matrix', items: choices, scale };
    case 'text':
      return { ...base, type: 'text', multiline: q.settings.multiline ?? false, maxLength: q.settings.maxLength ?? 200 };
  }
}

/** Count, percentage (of those who answered it, largest remainder) and mean of one scale's answers. */
function scaleSummary(scale: Scale, dist: ReadonlyMap<number, number> | undefined): ScaleSummary {
  const values = Array.from({ length: scale.max - scale.min + 1 }, (_, i) => scale.min + i);
  const counts = values.map((v) => dist?.get(v) ?? 0);
  const answered = counts.reduce((a, b) => a + b, 0);
  const pct = percentages(counts, answered);
  const sum = values.reduce((acc, v, i) => acc + v * counts[i]!, 0);
  return {
    answered,
    mean: answered ? Math.round((sum / answered) * 100) / 100 : null,
    distribution: values.map((value, i) => ({ value, label: scale.labels?.[i] ?? null, count: counts[i]!, percent: pct[i]! })),
  };
}

/** Results per question, from the running counts alone. `texts` (admins only) adds the free-text answers. */
export function resultsOf(def: SurveyDefinition, c: SurveyCounts, texts?: ReadonlyMap<string, TextAnswers>): SurveyResults {
  const questions = def.questions.map((q): QuestionResults => {
    const answered = c.answered.get(q.id) ?? 0;
    const scale = q.settings.scale ?? DEFAULT_SCALE;
    switch (q.type) {
      case 'single':
      case 'multiple': {
        const counts = q.choices.map((o) => c.choices.get(o.id) ?? 0);
        const total = counts.reduce((a, b) => a + b, 0);
        const pct = percentages(counts, total);
        return { questionId: q.id, type: q.type, answered, total, options: q.choices.map((o, i) => ({ id: o.id, label: o.label, count: counts[i]!, percent: pct[i]! })) };
      }
      case 'scale':
        return { questionId: q.id, type: 'scale', ...scaleSummary(scale, c.values.get(q.id)) };
      case 'matrix':
        return { questionId: q.id, type: 'matrix', answered, items: q.choices.map((item) => ({ id: item.id, label: item.label, ...scaleSummary(scale, c.values.get(item.id)) })) };
      case 'text': {
        const t = texts?.get(q.id);
        return { questionId: q.id, type: 'text', answered, ...(texts && { texts: { total: t?.total ?? answered, latest: (t?.latest ?? []).map((x) => ({ at: iso(x.at)!, text: x.text })) } }) };
      }
    }
  });
  return { surveyId: def.survey.id, responses: c.responses, questions };
}

const base = (def: SurveyDefinition, status: SurveyStatus) => {
  const s = def.survey;
  return {
    id: s.id,
    site: s.siteId,
    title: s.title,
    intro: s.intro,
    questions: def.questions.map(questionView),
    status,
    opensAt: iso(s.opensAt),
    closesAt: iso(s.closesAt ?? s.closedAt),
    resultsVisibility: s.resultsVisibility,
  };
};

/** What a reader sees: results only when the visibility allows it for this reader; never a free text. */
export function publicSurvey(def: SurveyDefinition, status: SurveyStatus, responded: boolean, counts: SurveyCounts): PublicSurvey {
  const visible = resultsVisible(def.survey, status, responded);
  return { ...base(def, status), responded, resultsVisible: visible, results: visible ? resultsOf(def, counts) : null };
}

export function adminSurvey(def: SurveyDefinition, counts: SurveyCounts, now: number, texts?: ReadonlyMap<string, TextAnswers>): AdminSurvey {
  const s = def.survey;
  return {
    ...base(def, statusOf(s, now)),
    template: s.template,
    closedAt: iso(s.closedAt),
    createdAt: iso(s.createdAt)!,
    updatedAt: iso(s.updatedAt)!,
    results: resultsOf(def, counts, texts),
  };
}
