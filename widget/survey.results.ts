import type { PublicSurvey, Question, ScaleSummary, SurveyResults } from '../src/api/surveys.js';
import { h, typed } from './dom.js';
import { surveyStrings, type Locale } from './i18n.js';
import { bars } from './results.js';

/**
 * A survey's public results: each question with its bars (options with percent and count; a
 * scale or each matrix item as its mean and distribution). Free-text questions are left out:
 * their answers are never public.
 */
export function surveyResults(p: PublicSurvey, r: SurveyResults, loc: Locale): HTMLElement {
  const s = surveyStrings(loc.lang);
  const { num } = loc;
  const byId: Record<string, Question> = {};
  for (const q of p.questions) byId[q.id] = q;

  const scale = (sum: ScaleSummary, max: number) => [
    sum.mean !== null && h('p', { class: 'mean' }, s.mean(num(sum.mean), num(max))),
    bars(sum.distribution.map((d) => ({ label: d.label ?? String(d.value), percent: d.percent, count: s.answered(num(d.count)) }))),
  ];

  return h(
    'div',
    { class: 'res' },
    h('p', { class: 'rt', tabindex: -1 }, s.resultsTitle),
    h('p', { class: 'note' }, s.people(num(r.responses))),
    ...r.questions.map((qr) => {
      const q = byId[qr.questionId];
      if (!q || qr.type === 'text') return null;
      const body =
        qr.type === 'scale'
          ? scale(qr, q.type === 'scale' ? q.scale.max : 0)
          : qr.type === 'matrix'
            ? qr.items.flatMap((it) => [typed('p', 'it', it.label), ...scale(it, q.type === 'matrix' ? q.scale.max : 0)])
            : [bars(qr.options.map((o) => ({ label: o.label, percent: o.percent, count: s.chosen(num(o.count)) })))];
      return h('div', { class: 'qr' }, typed('p', 'q', q.title), ...body, h('p', { class: 'note' }, s.answered(num(qr.answered))));
    }),
  );
}
