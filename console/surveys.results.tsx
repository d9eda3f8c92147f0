import type { AdminSurvey, Question, QuestionResults, ScaleSummary } from '../src/api/surveys.js';
import { formatTime, t } from './i18n.js';
import { Bars } from './results.js';

// The matrix table keeps its roles explicitly: on a phone its cells are laid out as blocks (console.css).

const meanText = (s: ScaleSummary) => (s.mean === null ? t('r.noMean') : t('r.mean', { mean: s.mean.toLocaleString('vi-VN') }));
const pointName = (d: ScaleSummary['distribution'][number]) => (d.label ? `${d.value} – ${d.label}` : String(d.value));

/** One survey's results, question by question, in the survey's order. */
export function SurveyResultsView(props: { survey: AdminSurvey }) {
  const s = props.survey;
  const byId = new Map(s.results.questions.map((r) => [r.questionId, r]));
  return (
    <ol class="q-results">
      {s.questions.map((q, i) => {
        const r = byId.get(q.id);
        return (
          <li key={q.id}>
            {q.section && <p class="section-title" dir="auto">{q.section}</p>}
            <h4 id={`r-${q.id}`} dir="auto">{i + 1}. {q.title}</h4>
            {r && <p class="muted small">{t('r.answered', { answered: r.answered, total: s.results.responses })}</p>}
            {r && <QuestionResult q={q} r={r} />}
          </li>
        );
      })}
    </ol>
  );
}

function QuestionResult(props: { q: Question; r: QuestionResults }) {
  const { r } = props;
  switch (r.type) {
    case 'single':
    case 'multiple':
      return <Bars label={props.q.title} items={r.options.map((o) => ({ id: o.id, label: o.label, count: o.count, percent: o.percent }))} />;
    case 'scale':
      return (
        <>
          <p class="mean">{meanText(r)}</p>
          <Bars label={props.q.title} items={r.distribution.map((d) => ({ id: d.value, label: pointName(d), count: d.count, percent: d.percent }))} />
        </>
      );
    case 'matrix':
      return (
        <table class="matrix" role="table">
          <thead role="rowgroup">
            <tr role="row"><th role="columnheader" scope="col">{t('r.item')}</th><th role="columnheader" scope="col">{t('r.itemMean')}</th><th role="columnheader" scope="col">{t('r.distribution')}</th></tr>
          </thead>
          <tbody role="rowgroup">
            {r.items.map((item) => (
              <tr key={item.id} role="row">
                <th role="rowheader" scope="row" dir="auto">{item.label}</th>
                <td role="cell" data-label={t('r.itemMean')}>{item.mean === null ? '—' : item.mean.toLocaleString('vi-VN')}<span class="muted small"> ({item.answered})</span></td>
                <td role="cell" data-label={t('r.distribution')}>
                  <ul class="dist">
                    {item.distribution.map((d) => (
                      <li key={d.value} title={d.label ?? undefined}>
                        <span class="dist-v">{d.value}:</span> {d.count} ({d.percent}%)
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      );
    case 'text': {
      const texts = r.texts ?? { total: 0, latest: [] };
      if (!texts.latest.length) return <p class="muted">{t('r.noTexts')}</p>;
      return (
        <>
          <p class="small">{t('r.texts', { shown: texts.latest.length, total: texts.total })}</p>
          <ul class="texts">
            {texts.latest.map((x, i) => (
              <li key={`${x.at}-${i}`}>
                <p class="content" dir="auto">{x.text}</p>
                <time class="muted small" dateTime={x.at}>{formatTime(x.at)}</time>
              </li>
            ))}
          </ul>
        </>
      );
    }
  }
}
