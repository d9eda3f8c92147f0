import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from './i18n.js';
import { fold, matchSites } from './text.js';
import type { Site } from './types.js';

const RECENT_KEY = 'ykien.console.recentSites';
const SHOWN = 50;

export function recentSites(): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, 8) : [];
  } catch {
    return [];
  }
}
function remember(id: string) {
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify([id, ...recentSites().filter((x) => x !== id)].slice(0, 8)));
  } catch {
    /* private mode */
  }
}


/**
 * Which site the console looks at: a button naming it, opening a search over hundreds of sites
 * (accents optional: "tien ngoc" finds "Tiên Ngọc") with the recently used ones first.
 */
export function SitePicker(props: { sites: Site[]; value: string | undefined; allowAll: boolean; onChange: (id: string | undefined) => void }) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const search = useRef<HTMLInputElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) search.current?.focus();
  }, [open]);

  const current = props.sites.find((s) => s.id === props.value);
  const choose = (id: string | undefined) => {
    if (id) remember(id);
    props.onChange(id);
    setOpen(false);
    setQuery('');
    queueMicrotask(() => button.current?.focus());
  };
  const q = fold(query.trim());
  const matches = matchSites(props.sites, query);
  const byId = new Map(props.sites.map((s) => [s.id, s]));
  const recent = q ? [] : recentSites().map((id) => byId.get(id)).filter((s): s is Site => !!s);

  const item = (s: Site) => (
    <li key={s.id}>
      <button type="button" class="site-item" aria-current={s.id === props.value ? 'true' : undefined} onClick={() => choose(s.id)}>
        <span>{s.name}</span> <span class="muted">{s.id}</span>
      </button>
    </li>
  );

  return (
    <div class="site-picker">
      <button type="button" ref={button} class="site-button" aria-expanded={open} aria-controls="site-panel" onClick={() => setOpen(!open)}>
        <span class="muted">{t('site.label')}: </span>
        {current ? current.name : props.allowAll ? t('site.all') : t('site.choose')}
      </button>
      {open && (
        <div id="site-panel" class="site-panel" role="dialog" aria-label={t('site.choose')} onKeyDown={(e) => e.key === 'Escape' && (setOpen(false), button.current?.focus())}>
          <label for="site-search">{t('site.search')}</label>
          <input id="site-search" ref={search} type="search" autocomplete="off" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
          {props.allowAll && !q && (
            <button type="button" class="site-item" onClick={() => choose(undefined)}>{t('site.all')}</button>
          )}
          {recent.length > 0 && (
            <>
              <h2 class="small">{t('site.recent')}</h2>
              <ul class="site-list">{recent.map(item)}</ul>
            </>
          )}
          <h2 class="small">{t('site.results')}</h2>
          {matches.length === 0 ? <p>{t('site.none')}</p> : <ul class="site-list">{matches.slice(0, SHOWN).map(item)}</ul>}
          {matches.length > SHOWN && <p class="muted">{t('site.more', { n: matches.length - SHOWN })}</p>}
          <button type="button" onClick={() => (setOpen(false), button.current?.focus())}>{t('site.close')}</button>
        </div>
      )}
    </div>
  );
}
