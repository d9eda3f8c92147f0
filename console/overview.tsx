import type { ComponentChild } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, qs } from './api.js';
import { errorText, t } from './i18n.js';
import type { Overview as OverviewView } from '../src/api/overview.js';
import type { Question, SurveyResults as Results, TemplateResults as TemplateView } from '../src/api/surveys.js';

/** "3 ngày trước": how long the oldest comment has waited, counted from the server's clock. */
export function ago(iso: string, now: string): string {
  const min = Math.max(0, Math.floor((Date.parse(now) - Date.parse(iso)) / 60_000));
  if (min < 1) return t('ov.ago.now');
  if (min < 60) return t('ov.ago.minutes', { n: min });
  if (min < 24 * 60) return t('ov.ago.hours', { n: Math.floor(min / 60) });
  return t('ov.ago.days', { n: Math.floor(min / (24 * 60)) });
}

const num = (n: number) => n.toLocaleString('vi-VN');

/** The province overview (admins): what waits on every site, busiest first, and one template's results across communes. */
export function Overview() {
  const [view, setView] = useState<OverviewView | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    api<OverviewView>('GET', '/v1/admin/overview').then(setView, (err) => setError(errorText(err)));
  }, []);

  return (
    <section aria-labelledby="ov-title">
      <h1 id="ov-title">{t('ov.title')}</h1>
      <p class="muted">{t('ov.lead')}</p>
      {error && <p class="error" role="alert">{error}</p>}
      {!view ? (
        !error && <p>{t('ov.loading')}</p>
      ) : view.sites.length === 0 ? (
        <p>{t('ov.empty')}</p>
      ) : (
        <div class="table-scroll" role="region" aria-labelledby="ov-caption" tabIndex={0}>
          <table class="grid">
            <caption id="ov-caption">{t('ov.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('ov.site')}</th>
                <th scope="col" class="num">{t('ov.pending')}</th>
                <th scope="col">{t('ov.oldest')}</th>
                <th scope="col" class="num">{t('ov.polls')}</th>
                <th scope="col" class="num">{t('ov.surveys')}</th>
                <th scope="col" class="num">{t('ov.views')}</th>
                <th scope="col" class="num">{t('ov.visits')}</th>
              </tr>
            </thead>
            <tbody>
              {view.sites.map((s) => (
                <tr key={s.site}>
                  <th scope="row">
                    <a href={`#/comments?site=${encodeURIComponent(s.site)}`} aria-label={t('ov.queueOf', { name: s.name })}>{s.name}</a>
                    <span class="muted small"> {s.site}</span>
                  </th>
                  <td class="num">{num(s.pending)}</td>
                  <td class="when">{s.oldestPendingAt ? <time dateTime={s.oldestPendingAt}>{ago(s.oldestPendingAt, view.at)}</time> : t('ov.none')}</td>
                  <td class="num">{num(s.openPolls)}</td>
                  <td class="num">{num(s.openSurveys)}</td>
                  <td class="num">{num(s.viewsToday)}</td>
                  <td class="num">{num(s.visitsToday)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('ov.province', { n: view.totals.sites })}</th>
                <td class="num">{num(view.totals.pending)}</td>
                <td class="when">{view.totals.oldestPendingAt ? <time dateTime={view.totals.oldestPendingAt}>{ago(view.totals.oldestPendingAt, view.at)}</time> : t('ov.none')}</td>
                <td class="num">{num(view.totals.openPolls)}</td>
                <td class="num">{num(view.totals.openSurveys)}</td>
                <td class="num">{num(view.totals.viewsToday)}</td>
                <td class="num">{num(view.totals.visitsToday)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
      <TemplateResults />
    </section>
  );
}

// ---- One template across communes ----

/** A column of the side-by-side table: what heads it, and the figure it shows for one row's results. */
interface Column {
  label: string;
  cell(r: Results): string;
}
const decimal = (n: number | null, digits: number) => (n === null ? '—' : n.toLocaleString('vi-VN', { minimumFractionDigits: digits, maximumFractionDigits: digits }));

function columnsOf(questions: Question[]): { question: Question; number: number; columns: Column[] }[] {
  return questions.map((q, i) => {
    const of = (r: Results) => r.questions.find((x) => x.questionId === q.id);
    let columns: Column[];
    switch (q.type) {
      case 'single':
      case 'multiple':
        columns = q.options.map((o, j) => ({
          label: o.label,
          cell: (r) => {
            const x = of(r);
            return x && (x.type === 'single' || x.type === 'multiple') && x.total ? `${decimal(x.options[j]!.percent, 1)}%` : '—';
          },
        }));
        break;
      case 'scale':
        columns = [{ label: t('ov.tpl.mean'), cell: (r) => { const x = of(r); return x?.type === 'scale' ? decimal(x.mean, 2) : '—'; } }];
        break;
      case 'matrix':
        columns = q.items.map((item, j) => ({ label: item.label, cell: (r) => { const x = of(r); return x?.type === 'matrix' ? decimal(x.items[j]?.mean ?? null, 2) : '—'; } }));
        break;
      case 'text':
        columns = [{ label: t('ov.tpl.texts'), cell: (r) => { const x = of(r); return x ? num(x.answered) : '—'; } }];
        break;
    }
    return { question: q, number: i + 1, columns };
  });
}

function TemplateResults() {
  const [templates, setTemplates] = useState<{ id: string; title: string }[]>([]);
  const [chosen, setChosen] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [view, setView] = useState<TemplateView | null>(null);
  const [error, setError] = useState('');

  const load = async (id: string) => {
    setError('');
    try {
      setView(await api<TemplateView>('GET', `/v1/admin/surveys/templates/${encodeURIComponent(id)}/results${qs({ from, to })}`));
    } catch (err) {
      setError(errorText(err));
    }
  };
  useEffect(() => {
    api<{ templates: { id: string; title: string }[] }>('GET', '/v1/admin/surveys/templates').then(({ templates: list }) => {
      setTemplates(list);
      if (list[0]) {
        setChosen(list[0].id);
        void load(list[0].id);
      }
    }, (err) => setError(errorText(err)));
  }, []);

  const submit = (e: Event) => {
    e.preventDefault();
    if (chosen) void load(chosen);
  };
  const groups = view ? columnsOf(view.questions) : [];
  const exportUrl = (format: string) => `/v1/admin/surveys/templates/${encodeURIComponent(chosen)}/results/export${qs({ format, from, to })}`;
  const row = (head: ComponentChild, r: Results, key: string) => (
    <tr key={key}>
      <th scope="row" class="sticky">{head}</th>
      <td class="num">{num(r.responses)}</td>
      {groups.flatMap((g) => g.columns.map((c, j) => <td key={`${g.number}.${j}`} class="num">{c.cell(r)}</td>))}
    </tr>
  );

  return (
    <section aria-labelledby="tpl-title" class="tpl">
      <h2 id="tpl-title">{t('ov.tpl.title')}</h2>
      <p class="muted">{t('ov.tpl.lead')}</p>
      <form class="filters" onSubmit={submit} aria-labelledby="tpl-title">
        <div class="field grow">
          <label for="tpl-choose">{t('ov.tpl.choose')}</label>
          <select id="tpl-choose" value={chosen} onChange={(e) => setChosen(e.currentTarget.value)}>
            {templates.map((x) => <option key={x.id} value={x.id}>{x.title}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="tpl-from">{t('ov.tpl.from')}</label>
          <input id="tpl-from" type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="tpl-to">{t('ov.tpl.to')}</label>
          <input id="tpl-to" type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </div>
        <div class="field buttons"><button type="submit" class="primary">{t('ov.tpl.show')}</button></div>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {view && view.surveys.length === 0 && <p>{t('ov.tpl.empty')}</p>}
      {view && view.surveys.length > 0 && (
        <>
          <div class="table-scroll" role="region" aria-labelledby="tpl-caption" tabIndex={0}>
            <table class="grid side-by-side">
              <caption id="tpl-caption">{t('ov.tpl.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col" rowSpan={2} class="sticky">{t('ov.tpl.unit')}</th>
                  <th scope="col" rowSpan={2} class="num">{t('ov.tpl.responses')}</th>
                  {groups.map((g) => (
                    <th key={g.number} scope="colgroup" colSpan={g.columns.length} class="q">{`${g.number}. ${g.question.title}`}</th>
                  ))}
                </tr>
                <tr>
                  {groups.flatMap((g) => g.columns.map((c, j) => <th key={`${g.number}.${j}`} scope="col" class="sub">{c.label}</th>))}
                </tr>
              </thead>
              <tbody>{view.surveys.map((s) => row(<>{s.siteName}<span class="muted small"> {s.site}</span></>, s.results, s.surveyId))}</tbody>
              <tfoot>{row(t('ov.tpl.province'), view.province, 'province')}</tfoot>
            </table>
          </div>
          <h3>{t('ov.tpl.export')}</h3>
          <div class="buttons">
            <a class="button" href={exportUrl('csv')} download>{t('ov.tpl.exportCsv')}</a>
            <a class="button" href={exportUrl('json')} download>{t('ov.tpl.exportJson')}</a>
          </div>
        </>
      )}
    </section>
  );
}
