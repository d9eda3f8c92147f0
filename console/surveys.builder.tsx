import { useEffect, useState } from 'preact/hooks';
import type { AdminSurvey, QuestionType } from '../src/api/surveys.js';
import { api } from './api.js';
import { errorText, t } from './i18n.js';
import { draftOf, emptySurvey, newQuestion, nextKey, scalePoints, surveyBody, type ChoiceDraft, type QuestionDraft, type SurveyDraft } from './surveys.draft.js';
import { fieldErrors, refusedChanges } from './surveys.errors.js';
import { offsetMinutes, offsetText } from './time.js';

const TYPES: QuestionType[] = ['single', 'multiple', 'scale', 'matrix', 'text'];

/** The id of the input for an API path ("questions.2.options.0" → "f-questions-2-options-0"). */
const idOf = (path: string) => `f-${path.replace(/\./g, '-')}`;

type Errors = Record<string, string>;

/** aria-invalid and the error's id on an input the server named. */
const invalid = (errors: Errors, path: string) =>
  errors[path] ? { 'aria-invalid': true as const, 'aria-describedby': `${idOf(path)}-err` } : {};
const FieldError = (props: { errors: Errors; path: string }) =>
  props.errors[props.path] ? <p class="field-error" id={`${idOf(props.path)}-err`}>{props.errors[props.path]}</p> : null;

/** Every path an input of this draft answers for: errors elsewhere go in the summary at the top. */
function knownPaths(d: SurveyDraft): Set<string> {
  const s = new Set(['title', 'intro', 'opensAt', 'closesAt', 'resultsVisibility', 'questions']);
  d.questions.forEach((q, i) => {
    const p = `questions.${i}`;
    for (const f of ['', '.title', '.section', '.type', '.required', '.options', '.items', '.maxChoices', '.scale', '.scale.min', '.scale.max', '.scale.labels', '.multiline', '.maxLength']) s.add(p + f);
    q.options.forEach((_, j) => s.add(`${p}.options.${j}`));
    q.items.forEach((_, j) => s.add(`${p}.items.${j}`));
    scalePoints(q.scale).forEach((_, j) => s.add(`${p}.scale.labels.${j}`));
  });
  return s;
}

/**
 * The survey builder: a new survey from scratch, or an edit of one (PATCH, under the server's edit rules).
 * Times are typed in the site's time zone. The server's refusals come back at the field they name.
 */
export function SurveyBuilder(props: { site: string; editing?: AdminSurvey | undefined; onSaved: (s: AdminSurvey, created: boolean) => void; onCancel: () => void; announce: (s: string) => void }) {
  const [zone, setZone] = useState<string | null>(null);
  const [d, setD] = useState<SurveyDraft>(emptySurvey);
  const [errors, setErrors] = useState<Errors>({});
  const [alert, setAlert] = useState<{ text: string; list?: string[] | undefined } | null>(null);
  const [busy, setBusy] = useState(false);
  const [addType, setAddType] = useState<QuestionType>('single');
  const editing = props.editing;

  useEffect(() => {
    api<{ timezone: string }>('GET', `/v1/admin/sites/${encodeURIComponent(props.site)}`).then(
      (s) => {
        setZone(s.timezone);
        if (editing) setD(draftOf(editing, s.timezone));
      },
      (err) => setAlert({ text: errorText(err) }),
    );
  }, [props.site, editing?.id]);

  /** Focus moves to the element with this id once the change is on screen. */
  const focusSoon = (id: string) => setTimeout(() => document.getElementById(id)?.focus(), 0);
  const setQ = (i: number, q: Partial<QuestionDraft>) => setD((x) => ({ ...x, questions: x.questions.map((o, j) => (j === i ? { ...o, ...q } : o)) }));
  // Indices name the server's errors: they no longer hold once the questions move.
  const reshape = (questions: QuestionDraft[]) => {
    setErrors({});
    setD((x) => ({ ...x, questions }));
  };
  const move = (i: number, by: -1 | 1) => {
    const qs = [...d.questions];
    const [q] = qs.splice(i, 1);
    qs.splice(i + by, 0, q!);
    reshape(qs);
    const now = i + by;
    props.announce(t('b.moved', { n: now + 1 }));
    // The same button keeps the focus, unless the question reached the end where it is disabled.
    const edge = (by === -1 && now === 0) || (by === 1 && now === qs.length - 1);
    focusSoon(`q-${q!.key}-${by === -1 ? (edge ? 'down' : 'up') : edge ? 'up' : 'down'}`);
  };
  const remove = (i: number) => {
    const qs = d.questions.filter((_, j) => j !== i);
    reshape(qs);
    props.announce(t('b.removed', { n: i + 1 }));
    const next = qs[Math.min(i, qs.length - 1)];
    focusSoon(next ? idOf(`questions.${Math.min(i, qs.length - 1)}.title`) : 'b-add');
  };
  const add = () => {
    reshape([...d.questions, newQuestion(addType)]);
    focusSoon(idOf(`questions.${d.questions.length}.title`));
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!zone) return;
    setBusy(true);
    setErrors({});
    setAlert(null);
    try {
      const body = surveyBody(d, zone, !!editing);
      const s = editing
        ? await api<AdminSurvey>('PATCH', `/v1/admin/surveys/${encodeURIComponent(editing.id)}`, body)
        : await api<AdminSurvey>('POST', '/v1/admin/surveys', { site: props.site, ...body });
      props.onSaved(s, !editing);
    } catch (err) {
      const fields = fieldErrors(err);
      const refused = editing ? refusedChanges(err, editing) : null;
      if (fields) {
        setErrors(fields);
        const known = knownPaths(d);
        const elsewhere = Object.entries(fields).filter(([p]) => !known.has(p)).map(([p, w]) => `${p}: ${w}`);
        setAlert({ text: t('b.fixErrors', { n: Object.keys(fields).length }), list: elsewhere.length ? elsewhere : undefined });
        const first = Object.keys(fields).find((p) => known.has(p));
        if (first) focusSoon(idOf(first));
      } else if (refused) setAlert({ text: t('e.hasResponses'), list: [...refused, t('e.hasResponsesHint')] });
      else setAlert({ text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  // Times are typed in the site's zone and an edit starts from the survey: nothing to type before they are known.
  if (!zone) return alert ? <p class="error" role="alert">{alert.text}</p> : <p class="muted">{t('queue.loading')}</p>;
  const zoneText = `${zone}, UTC${offsetText(offsetMinutes(Date.now(), zone))}`;
  return (
    <form class="poll-form survey-form" onSubmit={submit} aria-labelledby="sv-form-title" noValidate>
      <h2 id="sv-form-title">{editing ? t('b.editTitle') : t('b.newTitle')}</h2>
      <label for={idOf('title')}>{t('b.surveyTitle')}</label>
      <input id={idOf('title')} value={d.title} onInput={(e) => setD({ ...d, title: e.currentTarget.value })} {...invalid(errors, 'title')} />
      <FieldError errors={errors} path="title" />
      <label for={idOf('intro')}>{t('b.intro')}</label>
      <textarea id={idOf('intro')} rows={3} value={d.intro} onInput={(e) => setD({ ...d, intro: e.currentTarget.value })} {...invalid(errors, 'intro')} />
      <FieldError errors={errors} path="intro" />
      <div class="two">
        <div>
          <label for={idOf('opensAt')}>{t('b.opensAt', { zone: zoneText })}</label>
          <input id={idOf('opensAt')} type="datetime-local" value={d.opensAt} onInput={(e) => setD({ ...d, opensAt: e.currentTarget.value })} {...invalid(errors, 'opensAt')} />
          <FieldError errors={errors} path="opensAt" />
        </div>
        <div>
          <label for={idOf('closesAt')}>{t('b.closesAt', { zone: zoneText })}</label>
          <input id={idOf('closesAt')} type="datetime-local" value={d.closesAt} onInput={(e) => setD({ ...d, closesAt: e.currentTarget.value })} {...invalid(errors, 'closesAt')} />
          <FieldError errors={errors} path="closesAt" />
        </div>
      </div>
      <label for={idOf('resultsVisibility')}>{t('b.visibility')}</label>
      <select id={idOf('resultsVisibility')} value={d.resultsVisibility} onChange={(e) => setD({ ...d, resultsVisibility: e.currentTarget.value as SurveyDraft['resultsVisibility'] })}>
        <option value="always">{t('b.vis.always')}</option>
        <option value="after_vote">{t('b.vis.after_vote')}</option>
        <option value="after_close">{t('b.vis.after_close')}</option>
      </select>

      <h3 id="b-questions">{t('b.questions')}</h3>
      <FieldError errors={errors} path="questions" />
      <ol class="q-list" aria-labelledby="b-questions">
        {d.questions.map((q, i) => (
          <li key={q.key}>
            <QuestionCard q={q} i={i} count={d.questions.length} errors={errors} set={(x) => setQ(i, x)} onMove={(by) => move(i, by)} onRemove={() => remove(i)} />
          </li>
        ))}
      </ol>
      <div class="add-question">
        <div>
          <label for="b-add-type">{t('b.newType')}</label>
          <select id="b-add-type" value={addType} onChange={(e) => setAddType(e.currentTarget.value as QuestionType)}>
            {TYPES.map((type) => <option key={type} value={type}>{t(`b.type.${type}`)}</option>)}
          </select>
        </div>
        <button type="button" id="b-add" onClick={add}>{t('b.addQuestion')}</button>
      </div>

      {alert && (
        <div class="error" role="alert">
          <p>{alert.text}</p>
          {alert.list && <ul>{alert.list.map((l) => <li key={l}>{l}</li>)}</ul>}
        </div>
      )}
      <div class="buttons">
        <button type="submit" class="primary" disabled={busy}>{editing ? t('b.save') : t('b.create')}</button>
        <button type="button" onClick={props.onCancel}>{t('act.cancel')}</button>
      </div>
    </form>
  );
}

function QuestionCard(props: { q: QuestionDraft; i: number; count: number; errors: Errors; set: (q: Partial<QuestionDraft>) => void; onMove: (by: -1 | 1) => void; onRemove: () => void }) {
  const { q, i, errors, set } = props;
  const p = `questions.${i}`;
  const n = i + 1;
  const legendId = `q-${q.key}-legend`;
  const points = scalePoints(q.scale);
  const check = (label: string, checked: boolean, onChange: (v: boolean) => void, id: string) => (
    <label class="check" for={id}>
      <input type="checkbox" id={id} checked={checked} onChange={(e) => onChange(e.currentTarget.checked)} />
      {label}
    </label>
  );
  return (
    <fieldset class="q-card" aria-labelledby={legendId}>
      <legend id={legendId}>{t('b.questionOf', { n, type: t(`b.type.${q.type}`) })}</legend>
      <div class="q-tools">
        <button type="button" id={`q-${q.key}-up`} aria-label={t('b.upLabel', { n })} disabled={i === 0} onClick={() => props.onMove(-1)}><span aria-hidden="true">↑ </span>{t('b.up')}</button>
        <button type="button" id={`q-${q.key}-down`} aria-label={t('b.downLabel', { n })} disabled={i === props.count - 1} onClick={() => props.onMove(1)}><span aria-hidden="true">↓ </span>{t('b.down')}</button>
        <button type="button" class="danger" aria-label={t('b.removeLabel', { n })} disabled={props.count === 1} onClick={props.onRemove}>{t('b.remove')}</button>
      </div>
      <label for={idOf(`${p}.type`)}>{t('b.type')}</label>
      <select id={idOf(`${p}.type`)} value={q.type} onChange={(e) => set({ type: e.currentTarget.value as QuestionType })} {...invalid(errors, `${p}.type`)}>
        {TYPES.map((type) => <option key={type} value={type}>{t(`b.type.${type}`)}</option>)}
      </select>
      <label for={idOf(`${p}.title`)}>{t('b.qTitle', { n })}</label>
      <textarea id={idOf(`${p}.title`)} rows={2} value={q.title} onInput={(e) => set({ title: e.currentTarget.value })} {...invalid(errors, `${p}.title`)} />
      <FieldError errors={errors} path={`${p}.title`} />
      <label for={idOf(`${p}.section`)}>{t('b.section')}</label>
      <input id={idOf(`${p}.section`)} value={q.section} onInput={(e) => set({ section: e.currentTarget.value })} {...invalid(errors, `${p}.section`)} />
      <FieldError errors={errors} path={`${p}.section`} />
      <div class="checks">{check(t('b.required'), q.required, (v) => set({ required: v }), idOf(`${p}.required`))}</div>

      {(q.type === 'single' || q.type === 'multiple') && (
        <Choices title={t('b.options')} list={q.options} path={`${p}.options`} errors={errors} onChange={(options) => set({ options })}
          labelOf={(j) => t('b.option', { n: j + 1 })} addLabel={t('b.addOption')} removeLabel={(j) => t('b.removeOption', { n: j + 1, q: n })} min={2} />
      )}
      {q.type === 'multiple' && (
        <NumberField label={t('b.maxChoices')} value={q.maxChoices} path={`${p}.maxChoices`} errors={errors} onInput={(maxChoices) => set({ maxChoices })} min={1} />
      )}
      {q.type === 'matrix' && (
        <Choices title={t('b.items')} list={q.items} path={`${p}.items`} errors={errors} onChange={(items) => set({ items })}
          labelOf={(j) => t('b.item', { n: j + 1 })} addLabel={t('b.addItem')} removeLabel={(j) => t('b.removeItem', { n: j + 1, q: n })} min={1} />
      )}
      {(q.type === 'scale' || q.type === 'matrix') && (
        <fieldset class="sub">
          <legend>{t('b.scale')}</legend>
          <div class="two">
            <NumberField label={t('b.scaleMin')} value={q.scale.min} path={`${p}.scale.min`} errors={errors} onInput={(min) => set({ scale: { ...q.scale, min } })} min={0} max={10} />
            <NumberField label={t('b.scaleMax')} value={q.scale.max} path={`${p}.scale.max`} errors={errors} onInput={(max) => set({ scale: { ...q.scale, max } })} min={1} max={10} />
          </div>
          <FieldError errors={errors} path={`${p}.scale`} />
          <div class="checks">{check(t('b.scaleLabels'), q.scale.named, (named) => set({ scale: { ...q.scale, named } }), idOf(`${p}.scale.named`))}</div>
          <FieldError errors={errors} path={`${p}.scale.labels`} />
          {q.scale.named && (
            <div class="scale-labels">
              {points.map((v, j) => (
                <div key={v}>
                  <label for={idOf(`${p}.scale.labels.${j}`)}>{t('b.scaleLabel', { v })}</label>
                  <input id={idOf(`${p}.scale.labels.${j}`)} value={q.scale.labels[j] ?? ''} {...invalid(errors, `${p}.scale.labels.${j}`)}
                    onInput={(e) => {
                      const labels = points.map((_, k) => q.scale.labels[k] ?? '');
                      labels[j] = e.currentTarget.value;
                      set({ scale: { ...q.scale, labels } });
                    }} />
                  <FieldError errors={errors} path={`${p}.scale.labels.${j}`} />
                </div>
              ))}
            </div>
          )}
        </fieldset>
      )}
      {q.type === 'text' && (
        <>
          <div class="checks">{check(t('b.multiline'), q.multiline, (multiline) => set({ multiline }), idOf(`${p}.multiline`))}</div>
          <NumberField label={t('b.maxLength')} value={q.maxLength} path={`${p}.maxLength`} errors={errors} onInput={(maxLength) => set({ maxLength })} min={1} max={5000} />
        </>
      )}
      <FieldError errors={errors} path={p} />
    </fieldset>
  );
}

function NumberField(props: { label: string; value: string; path: string; errors: Errors; onInput: (v: string) => void; min?: number; max?: number }) {
  const id = idOf(props.path);
  return (
    <div>
      <label for={id}>{props.label}</label>
      <input id={id} type="number" inputMode="numeric" step={1} min={props.min} max={props.max} value={props.value} onInput={(e) => props.onInput(e.currentTarget.value)} {...invalid(props.errors, props.path)} />
      <FieldError errors={props.errors} path={props.path} />
    </div>
  );
}

/** The options of a choice question or the items of a matrix: one input each, added and removed by button. */
function Choices(props: {
  title: string;
  list: ChoiceDraft[];
  path: string;
  errors: Errors;
  onChange: (list: ChoiceDraft[]) => void;
  labelOf: (j: number) => string;
  addLabel: string;
  removeLabel: (j: number) => string;
  min: number;
}) {
  const { list, path, errors } = props;
  const add = () => {
    props.onChange([...list, { key: nextKey(), label: '' }]);
    setTimeout(() => document.getElementById(idOf(`${path}.${list.length}`))?.focus(), 0);
  };
  return (
    <fieldset class="sub">
      <legend>{props.title}</legend>
      <FieldError errors={errors} path={path} />
      {list.map((c, j) => (
        <div class="option-row" key={c.key}>
          <label for={idOf(`${path}.${j}`)}>{props.labelOf(j)}</label>
          <input id={idOf(`${path}.${j}`)} value={c.label} onInput={(e) => props.onChange(list.map((x, k) => (k === j ? { ...x, label: e.currentTarget.value } : x)))} {...invalid(errors, `${path}.${j}`)} />
          {list.length > props.min ? (
            <button type="button" aria-label={props.removeLabel(j)} onClick={() => props.onChange(list.filter((_, k) => k !== j))}>×</button>
          ) : (
            <span />
          )}
          <FieldError errors={errors} path={`${path}.${j}`} />
        </div>
      ))}
      <button type="button" onClick={add}>{props.addLabel}</button>
    </fieldset>
  );
}
