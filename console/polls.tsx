import { useEffect, useState } from 'preact/hooks';
import { api, qs } from './api.js';
import { ExportMenu } from './exports.js';
import { errorText, formatDay, formatTime, t } from './i18n.js';
import { useLiveResults } from './live.js';
import { StartingFigures } from './polls.starting.js';
import { Bars } from './results.js';
import { CloseReopenButton, StatusBadge } from './status.js';
import { TimelineChart } from './timeline.js';
import { isoToWall, wallToIso } from './time.js';
import type { Poll, Site, Timeline } from './types.js';

type Visibility = Poll['resultsVisibility'];
interface Draft {
  question: string;
  options: { id?: string | undefined; label: string }[];
  maxChoices: number;
  opensAt: string;
  closesAt: string;
  resultsVisibility: Visibility;
}
const EMPTY: Draft = { question: '', options: [{ label: '' }, { label: '' }], maxChoices: 1, opensAt: '', closesAt: '', resultsVisibility: 'always' };

/** <input type="datetime-local"> holds the site's wall clock (time.ts); the API wants an instant. */
const draftOf = (p: Poll, zone: string): Draft => ({
  question: p.question,
  options: p.options.map((o) => ({ id: o.id, label: o.label })),
  maxChoices: p.maxChoices,
  opensAt: isoToWall(p.opensAt, zone),
  closesAt: isoToWall(p.closesAt, zone),
  resultsVisibility: p.resultsVisibility,
});

/** Polls of one site (admins): the list, a form to create or edit, and one poll's results. */
export function Polls(props: { site: string | undefined; announce: (text: string) => void }) {
  const [polls, setPolls] = useState<Poll[]>([]);
  const [error, setError] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const [form, setForm] = useState<{ editing?: Poll } | null>(null);

  const [zone, setZone] = useState<string | null>(null);

  const load = async () => {
    setError('');
    try {
      setPolls((await api<{ polls: Poll[] }>('GET', `/v1/admin/polls${qs({ site: props.site })}`)).polls);
      setZone((await api<Site>('GET', `/v1/admin/sites/${encodeURIComponent(props.site!)}`)).timezone);
    } catch (err) {
      setError(errorText(err));
    }
  };
  useEffect(() => {
    setOpen(null);
    setForm(null);
    setZone(null);
    if (props.site) void load();
  }, [props.site]);

  if (!props.site)
    return (
      <section aria-labelledby="polls-title">
        <h1 id="polls-title">{t('polls.title')}</h1>
        <p>{t('polls.chooseSite')}</p>
      </section>
    );

  const saved = (p: Poll, created: boolean) => {
    props.announce(t(created ? 'polls.created' : 'polls.saved'));
    setForm(null);
    setOpen(p.id);
    void load();
  };

  const current = polls.find((p) => p.id === open);
  return (
    <section aria-labelledby="polls-title">
      <h1 id="polls-title">{t('polls.title')}</h1>
      {error && <p class="error" role="alert">{error}</p>}
      {form && zone ? (
        <PollForm site={props.site} zone={zone} editing={form.editing} onSaved={saved} onCancel={() => setForm(null)} />
      ) : current ? (
        <PollDetail poll={current} onBack={() => setOpen(null)} onEdit={() => setForm({ editing: current })} onChanged={() => void load()} announce={props.announce} />
      ) : (
        <>
          <button type="button" class="primary" onClick={() => setForm({})}>{t('polls.new')}</button>
          {polls.length === 0 ? (
            <p>{t('polls.empty')}</p>
          ) : (
            <ul class="poll-list" aria-label={t('polls.list')}>
              {polls.map((p) => (
                <li key={p.id}>
                  <button type="button" class="poll-item" onClick={() => setOpen(p.id)}>
                    <span class="poll-q" dir="auto">{p.question}</span>
                    <StatusBadge status={p.status} label={t(`polls.status.${p.status}`)} />
                    <span class="muted">{t('polls.votes', { n: p.results.voters })} · {formatTime(p.createdAt)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

function PollForm(props: { site: string; zone: string; editing?: Poll | undefined; onSaved: (p: Poll, created: boolean) => void; onCancel: () => void }) {
  const [d, setD] = useState<Draft>(props.editing ? draftOf(props.editing, props.zone) : EMPTY);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const setOption = (i: number, label: string) => setD({ ...d, options: d.options.map((o, j) => (j === i ? { ...o, label } : o)) });

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    const options = d.options.filter((o) => o.label.trim() !== '');
    const body = { question: d.question, maxChoices: d.maxChoices, opensAt: wallToIso(d.opensAt, props.zone), closesAt: wallToIso(d.closesAt, props.zone), resultsVisibility: d.resultsVisibility };
    try {
      const p = props.editing
        ? await api<Poll>('PATCH', `/v1/admin/polls/${encodeURIComponent(props.editing.id)}`, { ...body, options: options.map((o) => (o.id ? { id: o.id, label: o.label } : { label: o.label })) })
        : await api<Poll>('POST', '/v1/admin/polls', { site: props.site, ...body, options: options.map((o) => o.label) });
      props.onSaved(p, !props.editing);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="poll-form" onSubmit={submit} aria-labelledby="poll-form-title">
      <h2 id="poll-form-title">{props.editing ? t('polls.edit') : t('polls.new')}</h2>
      <label for="poll-question">{t('polls.question')}</label>
      <textarea id="poll-question" rows={2} required value={d.question} onInput={(e) => setD({ ...d, question: e.currentTarget.value })} />
      <fieldset>
        <legend>{t('polls.options')}</legend>
        {d.options.map((o, i) => (
          <div class="option-row" key={o.id ?? `new-${i}`}>
            <label for={`poll-option-${i}`}>{t('polls.option', { n: i + 1 })}</label>
            <input id={`poll-option-${i}`} value={o.label} onInput={(e) => setOption(i, e.currentTarget.value)} />
            {d.options.length > 2 && (
              <button type="button" aria-label={t('polls.removeOption', { n: i + 1 })} onClick={() => setD({ ...d, options: d.options.filter((_, j) => j !== i) })}>×</button>
            )}
          </div>
        ))}
        <button type="button" onClick={() => setD({ ...d, options: [...d.options, { label: '' }] })}>{t('polls.addOption')}</button>
      </fieldset>
      <label for="poll-max">{t('polls.maxChoices')}</label>
      <input id="poll-max" type="number" min={1} max={Math.max(1, d.options.length)} value={d.maxChoices} onInput={(e) => setD({ ...d, maxChoices: Number(e.currentTarget.value) || 1 })} />
      <label for="poll-opens">{t('polls.opensAt', { zone: props.zone })}</label>
      <input id="poll-opens" type="datetime-local" value={d.opensAt} onInput={(e) => setD({ ...d, opensAt: e.currentTarget.value })} />
      <label for="poll-closes">{t('polls.closesAt', { zone: props.zone })}</label>
      <input id="poll-closes" type="datetime-local" value={d.closesAt} onInput={(e) => setD({ ...d, closesAt: e.currentTarget.value })} />
      <label for="poll-vis">{t('polls.visibility')}</label>
      <select id="poll-vis" value={d.resultsVisibility} onChange={(e) => setD({ ...d, resultsVisibility: e.currentTarget.value as Visibility })}>
        <option value="always">{t('polls.vis.always')}</option>
        <option value="after_vote">{t('polls.vis.after_vote')}</option>
        <option value="after_close">{t('polls.vis.after_close')}</option>
      </select>
      {error && <p class="error" role="alert">{error}</p>}
      <div class="buttons">
        <button type="submit" class="primary" disabled={busy}>{props.editing ? t('polls.save') : t('polls.create')}</button>
        <button type="button" onClick={props.onCancel}>{t('act.cancel')}</button>
      </div>
    </form>
  );
}

function PollDetail(props: { poll: Poll; onBack: () => void; onEdit: () => void; onChanged: () => void; announce: (s: string) => void }) {
  const [results, setResults] = useState(props.poll.results);
  useEffect(() => setResults(props.poll.results), [props.poll]);
  const p = { ...props.poll, results };
  useLiveResults<Poll['results']>('poll', p.id, setResults, () => api<Poll>('GET', `/v1/admin/polls/${encodeURIComponent(p.id)}`).then((x) => setResults(x.results)));
  const [timeline, setTimeline] = useState<Timeline | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    api<Timeline>('GET', `/v1/admin/polls/${encodeURIComponent(p.id)}/timeline?bucket=day`).then(setTimeline, (err) => setError(errorText(err)));
  }, [p.id, p.results.total]);

  const base = `/v1/admin/polls/${encodeURIComponent(p.id)}`;
  const snippet = `<div data-ykien-poll="${p.id}"></div>\n<script src="${location.origin}/widget.js" async></script>`;

  return (
    <article class="poll-detail" aria-labelledby="poll-title">
      <button type="button" class="link" onClick={props.onBack}>← {t('polls.back')}</button>
      <h2 id="poll-title" dir="auto">{p.question}</h2>
      <p>
        <StatusBadge status={p.status} label={t(`polls.status.${p.status}`)} />{' '}
        <span class="muted">{t('polls.resultsSummary', { votes: p.results.total, voters: p.results.voters })}</span>
      </p>
      <div class="buttons">
        <button type="button" onClick={props.onEdit}>{t('polls.edit')}</button>
        <CloseReopenButton base={base} status={p.status} closeLabel={t('polls.close')} reopenLabel={t('polls.reopen')} onError={setError}
          onDone={() => { props.announce(t('polls.saved')); props.onChanged(); }} />
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      <h3>{t('polls.results')}</h3>
      <Bars items={p.results.options.map((o) => ({ id: o.id, label: o.label, count: o.votes, percent: o.percent }))} />
      {p.results.startingTotal ? <p class="hint">{t('start.inResults', { n: p.results.startingTotal.toLocaleString('vi-VN') })}</p> : null}
      {timeline && (
        <TimelineChart id="timeline-title" title={t('polls.timeline')} countLabel={t('polls.count')} empty={t('polls.noVotes')}
          buckets={timeline.buckets.map((b) => ({ start: b.start, count: b.votes }))} />
      )}
      <StartingFigures poll={p} onSaved={(x) => (setResults(x.results), props.onChanged())} />
      <h3>{t('polls.export')}</h3>
      <ExportMenu base={`${base}/export`} label={t('polls.export')} formats={[
        { query: 'format=csv', label: t('polls.exportCsv') },
        { query: 'format=json', label: t('polls.exportJson') },
        { query: 'format=xlsx', label: t('polls.exportXlsx') },
        { query: 'format=csv&detail=votes', label: t('polls.exportVotes') },
      ]} />
      <h3><label for="poll-embed">{t('polls.embed')}</label></h3>
      <textarea id="poll-embed" class="code" rows={3} readOnly value={snippet} onFocus={(e) => e.currentTarget.select()} />
    </article>
  );
}
