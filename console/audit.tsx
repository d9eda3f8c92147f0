import { useEffect, useState } from 'preact/hooks';
import { api, qs } from './api.js';
import { errorText, formatTime, t } from './i18n.js';
import { vi as auditWords } from './strings/audit.js';
import type { AuditView as Entry } from '../src/api/audit.js';

interface Filters {
  action: string;
  actor: string;
  from: string;
  to: string;
  targetType: string;
  targetId: string;
}
const NONE: Filters = { action: '', actor: '', from: '', to: '', targetType: '', targetId: '' };
const PAGE = 50;

type Word = Parameters<typeof t>[0];
/** Every action the log has words for, in the words' order. */
const ACTIONS = Object.keys(auditWords).filter((k) => k.startsWith('au.act.')).map((k) => k.slice('au.act.'.length));
const actionText = (a: string) => (ACTIONS.includes(a) ? t(`au.act.${a}` as Word) : a);
const typeText = (type: string) => (`au.type.${type}` in auditWords ? t(`au.type.${type}` as Word) : type);

/** One value of a detail as words: no braces, no quotes; nested values as "name: value" lines. */
function flatten(value: unknown, prefix = ''): [string, string][] {
  if (value === null || value === undefined || value === '') return [[prefix, t('au.empty.value')]];
  if (typeof value === 'boolean') return [[prefix, value ? t('au.yes') : t('au.no')]];
  if (typeof value === 'number') return [[prefix, value.toLocaleString('vi-VN')]];
  if (typeof value === 'string') return [[prefix, value]];
  if (Array.isArray(value)) return value.every((v) => typeof v !== 'object' || v === null) ? [[prefix, value.map(String).join(', ') || t('au.empty.value')]] : value.flatMap((v, i) => flatten(v, `${prefix} ${i + 1}`.trim()));
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => flatten(v, prefix ? `${prefix} › ${k}` : k));
}

/** The detail shown readably: an edit's text before and after side by side; other details as a list of names and values. */
function Detail(props: { entry: Entry }) {
  const d = props.entry.detail;
  if (!d) return null;
  if (typeof d.before === 'string' && typeof d.after === 'string') {
    const rest = Object.fromEntries(Object.entries(d).filter(([k]) => k !== 'before' && k !== 'after'));
    return (
      <>
        <div class="diff">
          <div>
            <h3 class="small">{t('au.before')}</h3>
            <p class="content" dir="auto">{d.before}</p>
          </div>
          <div>
            <h3 class="small">{t('au.after')}</h3>
            <p class="content" dir="auto">{d.after}</p>
          </div>
        </div>
        {Object.keys(rest).length > 0 && <Pairs pairs={flatten(rest)} />}
      </>
    );
  }
  return <Pairs pairs={flatten(d)} />;
}

function Pairs(props: { pairs: [string, string][] }) {
  return (
    <dl class="meta">
      {props.pairs.map(([k, v], i) => (
        <div key={i} class="pair"><dt>{k}</dt><dd dir="auto">{v}</dd></div>
      ))}
    </dl>
  );
}

/** The audit log: newest first, filtered by site (the header's picker), action, person, dates or one item's history; "Xem thêm" pages on. */
export function Audit(props: { site: string | undefined; isAdmin: boolean }) {
  const [draft, setDraft] = useState<Filters>(NONE);
  const [applied, setApplied] = useState<Filters>(NONE);
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [people, setPeople] = useState<{ username: string; displayName: string }[]>([]);
  const [error, setError] = useState('');

  const query = (f: Filters, after?: string) => qs({ site: props.site, ...f, limit: PAGE, cursor: after });
  const load = async (f: Filters, after?: string) => {
    setError('');
    try {
      const page = await api<{ entries: Entry[]; nextCursor: string | null }>('GET', `/v1/admin/audit${query(f, after)}`);
      setEntries((now) => (after && now ? [...now, ...page.entries] : page.entries));
      setCursor(page.nextCursor);
    } catch (err) {
      setError(errorText(err));
    }
  };
  useEffect(() => void load(applied), [props.site, applied]);
  useEffect(() => {
    if (props.isAdmin) api<{ users: { username: string; displayName: string }[] }>('GET', '/v1/admin/users').then(({ users }) => setPeople(users), () => setPeople([]));
  }, [props.isAdmin]);

  const set = (k: keyof Filters) => (e: { currentTarget: { value: string } }) => setDraft({ ...draft, [k]: e.currentTarget.value });
  const submit = (e: Event) => {
    e.preventDefault();
    setApplied({ ...draft });
  };
  const history = (x: Entry) => {
    const f = { ...NONE, targetType: x.targetType, targetId: x.targetId ?? '' };
    setDraft(f);
    setApplied(f);
  };

  return (
    <section aria-labelledby="au-title">
      <h1 id="au-title">{t('au.title')}</h1>
      <p class="muted">{t('au.lead')}</p>
      <form class="filters" onSubmit={submit} aria-label={t('au.filters')}>
        <div class="field grow">
          <label for="au-action">{t('au.action')}</label>
          <select id="au-action" value={draft.action} onChange={set('action')}>
            <option value="">{t('au.anyAction')}</option>
            {ACTIONS.map((a) => <option key={a} value={a}>{actionText(a)}</option>)}
          </select>
        </div>
        {props.isAdmin && (
          <div class="field grow">
            <label for="au-person">{t('au.person')}</label>
            <select id="au-person" value={draft.actor} onChange={set('actor')}>
              <option value="">{t('au.anyone')}</option>
              {people.map((p) => <option key={p.username} value={`user:${p.username}`}>{`${p.displayName} (${p.username})`}</option>)}
            </select>
          </div>
        )}
        <div class="field">
          <label for="au-from">{t('au.from')}</label>
          <input id="au-from" type="date" value={draft.from} onInput={set('from')} />
        </div>
        <div class="field">
          <label for="au-to">{t('au.to')}</label>
          <input id="au-to" type="date" value={draft.to} onInput={set('to')} />
        </div>
        <div class="field buttons">
          <button type="submit" class="primary">{t('au.apply')}</button>
          <button type="button" onClick={() => (setDraft(NONE), setApplied(NONE))}>{t('au.clear')}</button>
        </div>
      </form>
      {applied.targetId && <p class="notice">{t('au.historyOf', { type: typeText(applied.targetType), id: applied.targetId })}</p>}
      {error && <p class="error" role="alert">{error}</p>}
      {entries && entries.length === 0 && <p>{t('au.empty')}</p>}
      {entries && entries.length > 0 && (
        <ol class="entries" aria-label={t('au.entries')}>
          {entries.map((x) => (
            <li key={x.id} class="entry">
              <div class="comment-head">
                <strong>{actionText(x.action)}</strong>
                <span>{t('au.by', { name: x.actor })}</span>
                <time dateTime={x.at}>{formatTime(x.at)}</time>
              </div>
              <p class="muted small entry-meta">
                {x.targetId && <span>{t('au.target', { type: typeText(x.targetType), id: x.targetId })}</span>}
                {x.site && <span>{t('au.site', { site: x.site })}</span>}
                {x.targetId && !applied.targetId && (
                  <button type="button" class="link" onClick={() => history(x)}>{t('au.history')}</button>
                )}
              </p>
              <Detail entry={x} />
            </li>
          ))}
        </ol>
      )}
      {cursor && <button type="button" onClick={() => void load(applied, cursor)}>{t('au.more')}</button>}
    </section>
  );
}
