import { useLiveResults } from './live.js';
import { useEffect, useState } from 'preact/hooks';
import type { AdminSurvey, SurveyTemplateSummary } from '../src/api/surveys.js';
import { api, qs } from './api.js';
import { ExportMenu, type ExportFormat } from './exports.js';
import { errorText, formatTime, t } from './i18n.js';
import { CloseReopenButton, StatusBadge } from './status.js';
import { SurveyBuilder } from './surveys.builder.js';
import { SurveyResultsView } from './surveys.results.js';
import { TimelineChart } from './timeline.js';

interface SurveyTimeline {
  buckets: { start: string; responses: number }[];
}

/** The survey exports the server offers: one line per format. */
const EXPORTS = (): ExportFormat[] => [
  { query: 'format=csv', label: t('r.exportCsv') },
  { query: 'format=json', label: t('r.exportJson') },
  { query: 'format=xlsx', label: t('r.exportXlsx') },
];

const adminUrl = (id: string) => `/v1/admin/surveys/${encodeURIComponent(id)}`;

/** Surveys of one site (admins): the list with its actions, a builder to create or edit, and one survey's results. */
export function Surveys(props: { site: string | undefined; announce: (text: string) => void }) {
  const [surveys, setSurveys] = useState<AdminSurvey[]>([]);
  const [error, setError] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const [form, setForm] = useState<{ editing?: AdminSurvey } | null>(null);

  const load = async () => {
    try {
      setSurveys((await api<{ surveys: AdminSurvey[] }>('GET', `/v1/admin/surveys${qs({ site: props.site })}`)).surveys);
    } catch (err) {
      setError(errorText(err));
    }
  };
  useEffect(() => {
    setOpen(null);
    setForm(null);
    setError('');
    if (props.site) void load();
  }, [props.site]);

  if (!props.site)
    return (
      <section aria-labelledby="surveys-title">
        <h1 id="surveys-title">{t('surveys.title')}</h1>
        <p>{t('surveys.chooseSite')}</p>
      </section>
    );

  const saved = (s: AdminSurvey, created: boolean) => {
    props.announce(t(created ? 'surveys.created' : 'surveys.saved'));
    setForm(null);
    setOpen(s.id);
    setSurveys((list) => (created ? [s, ...list] : list.map((x) => (x.id === s.id ? s : x))));
  };
  const changed = (msg: string) => {
    setError('');
    props.announce(msg);
    void load();
  };
  const remove = async (s: AdminSurvey) => {
    if (!window.confirm(t('surveys.confirmDelete', { title: s.title, n: s.results.responses }))) return;
    setError('');
    try {
      await api('DELETE', adminUrl(s.id));
      setOpen(null);
      changed(t('surveys.deleted'));
    } catch (err) {
      setError(errorText(err));
    }
  };

  const current = surveys.find((s) => s.id === open);
  return (
    <section aria-labelledby="surveys-title">
      <h1 id="surveys-title">{t('surveys.title')}</h1>
      {error && <p class="error" role="alert">{error}</p>}
      {form ? (
        <SurveyBuilder site={props.site} editing={form.editing} onSaved={saved} onCancel={() => setForm(null)} announce={props.announce} />
      ) : current ? (
        <SurveyDetail survey={current} onBack={() => setOpen(null)} onEdit={() => setForm({ editing: current })} onChanged={() => changed(t('surveys.saved'))} onDelete={() => void remove(current)} />
      ) : (
        <>
          <NewSurvey site={props.site} onScratch={() => setForm({})} onCreated={(s) => saved(s, true)} />
          {surveys.length === 0 ? (
            <p>{t('surveys.empty')}</p>
          ) : (
            <ul class="survey-list" aria-label={t('surveys.list')}>
              {surveys.map((s) => (
                <li key={s.id} class="survey-row">
                  <h2 class="survey-name" dir="auto">{s.title}</h2>
                  <p class="survey-meta">
                    <StatusBadge status={s.status} label={t(`surveys.status.${s.status}`)} />
                    <span>{t('surveys.responses', { n: s.results.responses })}</span>
                    <span class="muted">{s.opensAt ? t('surveys.opens', { time: formatTime(s.opensAt) }) : t('surveys.opensNow')}</span>
                    <span class="muted">{s.closesAt ? t('surveys.closes', { time: formatTime(s.closesAt) }) : t('surveys.noClose')}</span>
                  </p>
                  <div class="buttons">
                    <button type="button" class="primary" aria-label={t('surveys.openNamed', { title: s.title })} onClick={() => setOpen(s.id)}>{t('surveys.open')}</button>
                    <CloseReopenButton base={adminUrl(s.id)} status={s.status} closeLabel={t('surveys.close')} reopenLabel={t('surveys.reopen')} onError={setError} onDone={() => changed(t('surveys.saved'))} />
                    <button type="button" class="danger" onClick={() => void remove(s)}>{t('surveys.delete')}</button>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

/** "From a template" (the server's list) or "write one". */
function NewSurvey(props: { site: string; onScratch: () => void; onCreated: (s: AdminSurvey) => void }) {
  const [templates, setTemplates] = useState<SurveyTemplateSummary[]>([]);
  const [chosen, setChosen] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api<{ templates: SurveyTemplateSummary[] }>('GET', '/v1/admin/surveys/templates').then(
      (r) => {
        setTemplates(r.templates);
        setChosen(r.templates[0]?.id ?? '');
      },
      (err) => setError(errorText(err)),
    );
  }, []);
  const fromTemplate = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      props.onCreated(await api<AdminSurvey>('POST', '/v1/admin/surveys', { site: props.site, template: chosen }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="new-survey">
      <button type="button" class="primary" onClick={props.onScratch}>{t('surveys.fromScratch')}</button>
      {templates.length > 0 && (
        <form class="from-template" onSubmit={fromTemplate} aria-labelledby="sv-template-title">
          <h2 id="sv-template-title" class="small">{t('surveys.fromTemplate')}</h2>
          <label for="sv-template">{t('surveys.template')}</label>
          <select id="sv-template" value={chosen} onChange={(e) => setChosen(e.currentTarget.value)}>
            {templates.map((x) => <option key={x.id} value={x.id}>{t('surveys.templateOption', { title: x.title, n: x.questions })}</option>)}
          </select>
          <button type="submit" disabled={busy || !chosen}>{t('surveys.createFromTemplate')}</button>
        </form>
      )}
      {error && <p class="error" role="alert">{error}</p>}
    </div>
  );
}

function SurveyDetail(props: { survey: AdminSurvey; onBack: () => void; onEdit: () => void; onChanged: () => void; onDelete: () => void }) {
  const [s, setS] = useState(props.survey);
  const [timeline, setTimeline] = useState<SurveyTimeline | null>(null);
  const [error, setError] = useState('');
  // The list's copy may be old: the detail reads the survey afresh (with its latest free texts).
  useEffect(() => {
    setS(props.survey);
    api<AdminSurvey>('GET', adminUrl(props.survey.id)).then(setS, (err) => setError(errorText(err)));
  }, [props.survey]);
  useLiveResults<AdminSurvey['results']>('survey', props.survey.id, (results) => setS((now) => ({ ...now, results })), () =>
    api<AdminSurvey>('GET', adminUrl(props.survey.id)).then(setS),
  );
  useEffect(() => {
    api<SurveyTimeline>('GET', `${adminUrl(s.id)}/timeline?bucket=day`).then(setTimeline, (err) => setError(errorText(err)));
  }, [s.id, s.results.responses]);

  const snippet = `<div data-ykien-survey="${s.id}"></div>\n<script src="${location.origin}/widget.js" async></script>`;
  return (
    <article class="poll-detail" aria-labelledby="sv-title">
      <button type="button" class="link" onClick={props.onBack}>← {t('surveys.back')}</button>
      <h2 id="sv-title" dir="auto">{s.title}</h2>
      <p class="survey-meta">
        <StatusBadge status={s.status} label={t(`surveys.status.${s.status}`)} />
        <span>{t('r.summary', { n: s.results.responses })}</span>
        <span class="muted">{s.opensAt ? t('surveys.opens', { time: formatTime(s.opensAt) }) : t('surveys.opensNow')}</span>
        <span class="muted">{s.closesAt ? t('surveys.closes', { time: formatTime(s.closesAt) }) : t('surveys.noClose')}</span>
        {s.template && <span class="muted">{t('r.template', { id: s.template })}</span>}
      </p>
      <div class="buttons">
        <button type="button" onClick={props.onEdit}>{t('surveys.edit')}</button>
        <CloseReopenButton base={adminUrl(s.id)} status={s.status} closeLabel={t('surveys.close')} reopenLabel={t('surveys.reopen')} onError={setError} onDone={props.onChanged} />
        <button type="button" class="danger" onClick={props.onDelete}>{t('surveys.delete')}</button>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      <h3>{t('r.results')}</h3>
      <SurveyResultsView survey={s} />
      {timeline && (
        <TimelineChart id="sv-timeline-title" title={t('r.timeline')} countLabel={t('r.count')} empty={t('r.none')}
          buckets={timeline.buckets.map((b) => ({ start: b.start, count: b.responses }))} />
      )}
      <h3>{t('r.export')}</h3>
      <ExportMenu base={`${adminUrl(s.id)}/export`} label={t('r.export')} formats={EXPORTS()} />
      <h3><label for="sv-embed">{t('r.embed')}</label></h3>
      <textarea id="sv-embed" class="code" rows={3} readOnly value={snippet} onFocus={(e) => e.currentTarget.select()} />
    </article>
  );
}
