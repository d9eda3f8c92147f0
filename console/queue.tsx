import { useEffect, useRef, useState } from 'preact/hooks';
import { api, qs } from './api.js';
import { errorText, formatTime, t } from './i18n.js';
import { useShortcuts } from './keys.js';
import type { AdminComment, Site, Status } from './types.js';

const TABS: { status: Status; label: 'tab.pending' | 'tab.approved' | 'tab.spam' | 'tab.rejected' }[] = [
  { status: 'pending', label: 'tab.pending' },
  { status: 'approved', label: 'tab.approved' },
  { status: 'spam', label: 'tab.spam' },
  { status: 'rejected', label: 'tab.rejected' },
];
type Action = 'approve' | 'reject' | 'spam' | 'delete';
const ACTION_LABEL = { approve: 'act.approve', reject: 'act.reject', spam: 'act.spam', delete: 'act.delete' } as const;
const POLL_MS = 15_000;

type Counts = Record<Status, number>;
interface Filters {
  thread: string;
  from: string;
  to: string;
  q: string;
}
const NO_FILTERS: Filters = { thread: '', from: '', to: '', q: '' };

/** Where a thread's article is, when its key is a path on the site's first origin. */
function articleUrl(site: Site | undefined, thread: string): string | undefined {
  const origin = site?.origins[0];
  return origin && thread.startsWith('/') ? origin + thread : undefined;
}

/**
 * The moderation queue ("Bình luận"): tabs by status with counts, filters, many-at-once actions,
 * edit before approving, a reply as the editors; keyboard-first (j/k/x/a/r/s, / and ?).
 */
export function Queue(props: { site: string | undefined; sites: Site[]; announce: (text: string) => void }) {
  const [status, setStatus] = useState<Status>('pending');
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [draftFilters, setDraftFilters] = useState<Filters>(NO_FILTERS);
  const [comments, setComments] = useState<AdminComment[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [counts, setCounts] = useState<Counts | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [active, setActive] = useState(0);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState('');
  const [message, setMessage] = useState('');
  const [editing, setEditing] = useState<Record<string, string>>({});
  const [replying, setReplying] = useState<Record<string, string>>({});
  const [help, setHelp] = useState(false);
  const list = useRef<HTMLOListElement>(null);
  const searchBox = useRef<HTMLInputElement>(null);
  const lastPending = useRef<number | null>(null);

  const query = (extra: Record<string, string | number | undefined> = {}) =>
    qs({ site: props.site, thread: filters.thread.trim(), from: filters.from, to: filters.to, q: filters.q.trim(), ...extra });

  const loadCounts = async () => {
    const c = await api<{ counts: Counts }>('GET', `/v1/admin/comments/counts${query()}`);
    setCounts(c.counts);
    return c.counts;
  };

  const load = async () => {
    setLoading(true);
    setError('');
    try {
      const [page] = await Promise.all([api<{ comments: AdminComment[]; nextCursor: string | null }>('GET', `/v1/admin/comments${query({ status, limit: 50 })}`), loadCounts().then((c) => (lastPending.current = c.pending))]);
      setComments(page.comments);
      setCursor(page.nextCursor);
      setSelected(new Set());
      setActive(0);
    } catch (err) {
      setComments([]);
      setCounts(null);
      setError(errorText(err));
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void load();
  }, [props.site, status, filters]);

  // New pending comments appear without a reload: counts every 15 s while the page is visible.
  useEffect(() => {
    const tick = async () => {
      if (document.visibilityState !== 'visible') return;
      try {
        const before = lastPending.current;
        const c = await loadCounts();
        lastPending.current = c.pending;
        if (before !== null && c.pending > before) {
          props.announce(t('queue.newPending', { n: c.pending - before }));
          if (status === 'pending') {
            const page = await api<{ comments: AdminComment[] }>('GET', `/v1/admin/comments${query({ status, limit: 50 })}`);
            setComments((now) => {
              const have = new Set(now.map((x) => x.id));
              return [...page.comments.filter((x) => !have.has(x.id)), ...now];
            });
          }
        }
      } catch {
        /* the next tick tries again; an expired session is handled by the api module */
      }
    };
    const timer = setInterval(() => void tick(), POLL_MS);
    return () => clearInterval(timer);
  }, [props.site, status, filters]);

  const more = async () => {
    if (!cursor) return;
    try {
      const page = await api<{ comments: AdminComment[]; nextCursor: string | null }>('GET', `/v1/admin/comments${query({ status, limit: 50, cursor })}`);
      setComments((now) => [...now, ...page.comments]);
      setCursor(page.nextCursor);
    } catch (err) {
      setError(errorText(err));
    }
  };

  /** One action on many comments, all or nothing on the server; the moved ones leave this tab. */
  const act = async (action: Action, ids: string[]) => {
    if (!ids.length) return;
    if (action === 'delete' && !window.confirm(t('queue.confirmDelete', { n: ids.length }))) return;
    setError('');
    try {
      const r = await api<{ results: { id: string; status: string }[] }>('POST', '/v1/admin/comments/moderate', { ids, action });
      const moved = new Set(r.results.filter((x) => x.status !== status).map((x) => x.id));
      setComments((now) => now.filter((c) => !moved.has(c.id)));
      setSelected(new Set());
      setActive((i) => Math.max(0, Math.min(i, comments.length - moved.size - 1)));
      const text = t('queue.done', { action: t(ACTION_LABEL[action]), n: ids.length });
      setMessage(text);
      props.announce(text);
      void loadCounts().then((c) => (lastPending.current = c.pending));
    } catch (err) {
      setError(errorText(err));
    }
  };

  const saveEdit = async (c: AdminComment, thenApprove: boolean) => {
    const content = editing[c.id] ?? c.content;
    try {
      const updated = await api<AdminComment>('PATCH', `/v1/admin/comments/${encodeURIComponent(c.id)}`, { content });
      setComments((now) => now.map((x) => (x.id === c.id ? updated : x)));
      setEditing(({ [c.id]: _, ...rest }) => rest);
      setMessage(t('queue.saved'));
      if (thenApprove) await act('approve', [c.id]);
    } catch (err) {
      setError(errorText(err));
    }
  };

  const sendReply = async (c: AdminComment) => {
    const content = (replying[c.id] ?? '').trim();
    if (!content) return;
    try {
      await api('POST', `/v1/admin/comments/${encodeURIComponent(c.id)}/reply`, { content });
      setReplying(({ [c.id]: _, ...rest }) => rest);
      setMessage(t('queue.replied'));
      props.announce(t('queue.replied'));
      void loadCounts();
    } catch (err) {
      setError(errorText(err));
    }
  };

  const focusRow = (i: number) => {
    const rows = list.current?.querySelectorAll<HTMLElement>('.comment');
    rows?.[i]?.focus();
  };
  const move = (d: number) => {
    if (!comments.length) return;
    // The first j or k goes to the current row; then each moves one.
    const onRow = document.activeElement?.classList.contains('comment') ?? false;
    const i = onRow ? Math.max(0, Math.min(comments.length - 1, active + d)) : Math.min(active, comments.length - 1);
    setActive(i);
    focusRow(i);
  };
  const toggle = (id: string) =>
    setSelected((now) => {
      const next = new Set(now);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const targets = () => (selected.size ? [...selected] : comments[active] ? [comments[active]!.id] : []);

  useShortcuts({
    j: () => move(1),
    k: () => move(-1),
    x: () => comments[active] && toggle(comments[active]!.id),
    a: () => void act('approve', targets()),
    r: () => void act('reject', targets()),
    s: () => void act('spam', targets()),
    '/': () => searchBox.current?.focus(),
    '?': () => setHelp(true),
  }, !help);

  const siteOf = new Map(props.sites.map((s) => [s.id, s]));
  const allSelected = comments.length > 0 && comments.every((c) => selected.has(c.id));

  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title">{t('nav.comments')}</h1>
      <div class="tabs" role="tablist" aria-label={t('tabs.label')}>
        {TABS.map((tab) => (
          <button key={tab.status} type="button" role="tab" id={`tab-${tab.status}`} aria-selected={status === tab.status} aria-controls="queue-panel" onClick={() => setStatus(tab.status)}>
            {t(tab.label)}
            {counts && <span class="count">({counts[tab.status]})</span>}
          </button>
        ))}
      </div>

      <form class="filters" aria-label={t('filter.label')} onSubmit={(e) => (e.preventDefault(), setFilters(draftFilters))}>
        <div class="field grow">
          <label for="f-q">{t('filter.q')}</label>
          <input id="f-q" ref={searchBox} type="search" value={draftFilters.q} onInput={(e) => setDraftFilters({ ...draftFilters, q: e.currentTarget.value })} />
        </div>
        <div class="field grow">
          <label for="f-thread">{t('filter.thread')}</label>
          <input id="f-thread" value={draftFilters.thread} onInput={(e) => setDraftFilters({ ...draftFilters, thread: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="f-from">{t('filter.from')}</label>
          <input id="f-from" type="date" value={draftFilters.from} onInput={(e) => setDraftFilters({ ...draftFilters, from: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="f-to">{t('filter.to')}</label>
          <input id="f-to" type="date" value={draftFilters.to} onInput={(e) => setDraftFilters({ ...draftFilters, to: e.currentTarget.value })} />
        </div>
        <div class="field buttons">
          <button type="submit">{t('filter.apply')}</button>
          <button type="button" onClick={() => (setDraftFilters(NO_FILTERS), setFilters(NO_FILTERS))}>{t('filter.clear')}</button>
        </div>
      </form>

      <div id="queue-panel" role="tabpanel" aria-labelledby={`tab-${status}`}>
        <div class="toolbar" role="group" aria-label={t('queue.toolbar')}>
          <label class="check">
            <input type="checkbox" checked={allSelected} onChange={() => setSelected(allSelected ? new Set() : new Set(comments.map((c) => c.id)))} />
            {t('queue.selectAll')}
          </label>
          <span class="muted" aria-live="polite">{selected.size ? t('queue.selected', { n: selected.size }) : ''}</span>
          <button type="button" class="primary" disabled={!selected.size} onClick={() => void act('approve', [...selected])}>{t('act.approve')}</button>
          <button type="button" disabled={!selected.size} onClick={() => void act('reject', [...selected])}>{t('act.reject')}</button>
          <button type="button" disabled={!selected.size} onClick={() => void act('spam', [...selected])}>{t('act.spam')}</button>
          <button type="button" class="danger" disabled={!selected.size} onClick={() => void act('delete', [...selected])}>{t('act.delete')}</button>
          <button type="button" class="link kbd-hint" onClick={() => setHelp(true)}>{t('keys.hint')}</button>
        </div>
        {error && <p class="error" role="alert">{error}</p>}
        {message && !error && <p class="notice">{message}</p>}
        {loading ? (
          <p>{t('queue.loading')}</p>
        ) : comments.length === 0 ? (
          !error && <p>{t('queue.empty')}</p>
        ) : (
          <ol class="comments" ref={list}>
            {comments.map((c, i) => {
              const url = articleUrl(siteOf.get(c.site), c.thread);
              const isEditing = editing[c.id] !== undefined;
              const isReplying = replying[c.id] !== undefined;
              return (
                <li key={c.id}>
                  <article class={`comment${i === active ? ' active' : ''}${selected.has(c.id) ? ' selected' : ''}`} tabIndex={-1} aria-labelledby={`c-${c.id}-name`} onFocus={() => setActive(i)}>
                    <div class="comment-head">
                      <input type="checkbox" id={`c-${c.id}-check`} checked={selected.has(c.id)} onChange={() => toggle(c.id)} aria-label={t('queue.select', { name: c.name })} />
                      <strong id={`c-${c.id}-name`} dir="auto" class="bidi">{c.name}</strong>
                      <time dateTime={c.createdAt} class="muted">{formatTime(c.createdAt)}</time>
                    </div>
                    <dl class="meta">
                      {c.address && (<><dt>{t('queue.address')}</dt><dd dir="auto" class="bidi">{c.address}</dd></>)}
                      {c.email && (<><dt>{t('queue.email')}</dt><dd>{c.email}</dd></>)}
                      <dt>{t('queue.article')}</dt>
                      <dd>
                        {url ? <a href={url} target="_blank" rel="noopener noreferrer" dir="auto">{c.thread}</a> : <span dir="auto" class="bidi">{c.thread}</span>}
                        {!props.site && <span class="muted"> · {siteOf.get(c.site)?.name ?? c.site}</span>}
                      </dd>
                    </dl>
                    {c.parentId && <p class="muted small">{t('queue.isReply')}</p>}
                    {isEditing ? (
                      <div class="edit">
                        <label for={`c-${c.id}-edit`}>{t('queue.editLabel')}</label>
                        <textarea id={`c-${c.id}-edit`} rows={4} value={editing[c.id]} onInput={(e) => setEditing({ ...editing, [c.id]: e.currentTarget.value })} />
                        <div class="buttons">
                          <button type="button" onClick={() => void saveEdit(c, false)}>{t('act.save')}</button>
                          {c.status !== 'approved' && <button type="button" class="primary" onClick={() => void saveEdit(c, true)}>{t('act.saveApprove')}</button>}
                          <button type="button" onClick={() => setEditing(({ [c.id]: _, ...rest }) => rest)}>{t('act.cancel')}</button>
                        </div>
                      </div>
                    ) : (
                      <p class="content bidi" dir="auto">{c.content}</p>
                    )}
                    {c.spamReason && <p class="muted small">{t('queue.spamReason', { reason: c.spamReason })}</p>}
                    {c.moderatedBy && c.status !== 'pending' && <p class="muted small">{t('queue.by', { name: c.moderatedBy })}</p>}
                    <div class="buttons row-actions">
                      {c.status !== 'approved' && <button type="button" class="primary" onClick={() => void act('approve', [c.id])}>{t('act.approve')}</button>}
                      {c.status !== 'rejected' && <button type="button" onClick={() => void act('reject', [c.id])}>{t('act.reject')}</button>}
                      {c.status !== 'spam' && <button type="button" onClick={() => void act('spam', [c.id])}>{t('act.spam')}</button>}
                      {!isEditing && <button type="button" onClick={() => setEditing({ ...editing, [c.id]: c.content })}>{t('act.edit')}</button>}
                      {!c.parentId && !isReplying && <button type="button" onClick={() => setReplying({ ...replying, [c.id]: '' })}>{t('act.reply')}</button>}
                    </div>
                    {isReplying && (
                      <div class="reply">
                        <label for={`c-${c.id}-reply`}>{t('queue.reply')}</label>
                        <p class="muted small" id={`c-${c.id}-reply-hint`}>{t('queue.replyFrom')}</p>
                        <textarea id={`c-${c.id}-reply`} rows={3} aria-describedby={`c-${c.id}-reply-hint`} value={replying[c.id]} onInput={(e) => setReplying({ ...replying, [c.id]: e.currentTarget.value })} />
                        <div class="buttons">
                          <button type="button" class="primary" onClick={() => void sendReply(c)}>{t('act.sendReply')}</button>
                          <button type="button" onClick={() => setReplying(({ [c.id]: _, ...rest }) => rest)}>{t('act.cancel')}</button>
                        </div>
                      </div>
                    )}
                  </article>
                </li>
              );
            })}
          </ol>
        )}
        {cursor && !loading && <button type="button" onClick={() => void more()}>{t('act.more')}</button>}
      </div>
      {help && <ShortcutHelp onClose={() => setHelp(false)} />}
    </section>
  );
}

const SHORTCUTS = [
  ['j', 'keys.j'],
  ['k', 'keys.k'],
  ['x', 'keys.x'],
  ['a', 'keys.a'],
  ['r', 'keys.r'],
  ['s', 'keys.s'],
  ['/', 'keys.slash'],
  ['?', 'keys.help'],
] as const;

function ShortcutHelp(props: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog ref={ref} class="help" aria-labelledby="help-title" onClose={props.onClose}>
      <h2 id="help-title">{t('keys.title')}</h2>
      <dl class="keys">
        {SHORTCUTS.map(([k, label]) => (
          <div key={k}>
            <dt><kbd>{k}</kbd></dt>
            <dd>{t(label)}</dd>
          </div>
        ))}
      </dl>
      <form method="dialog">
        <button type="submit" autoFocus>{t('keys.close')}</button>
      </form>
    </dialog>
  );
}
