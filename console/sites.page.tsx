import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, qs } from './api.js';
import { CopyBox } from './copy.js';
import { NotifySettings, type NotifyFields } from './sites.notify.js';
import { errorText, formatTime, t } from './i18n.js';
import { matchSites } from './text.js';
import type { Site } from './types.js';

const SHOWN = 100;
const VN_ZONE = 'Asia/Ho_Chi_Minh';

interface FullSite extends Site, NotifyFields {
  blockedWords: string[];
  createdAt: string;
}
interface Webhook {
  url: string;
  updatedAt: string;
}
interface Check {
  origin: string;
  allowed: boolean;
  reason: 'listed' | 'wildcard' | 'not_listed';
}

/** "#/sites/tienngoc": the site whose page is open, if any. */
export const siteInHash = (): string | undefined => {
  const m = /^#\/sites\/([^?]+)/.exec(location.hash);
  return m ? decodeURIComponent(m[1]!) : undefined;
};
const siteHref = (id: string) => `#/sites/${encodeURIComponent(id)}`;

/** Every IANA zone this browser knows, Vietnam's first (ICU may call it Asia/Saigon: one entry for both). */
function zones(current: string): string[] {
  const all = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  const rest = all.filter((z) => z !== VN_ZONE && z !== 'Asia/Saigon');
  return [...new Set([VN_ZONE, current, ...rest])];
}

/** A short message that is heard and moves focus there, after an action. */
function useFlash() {
  const [msg, setMsg] = useState<{ text: string; error: boolean } | null>(null);
  const ref = useRef<HTMLParagraphElement>(null);
  const show = (text: string, error = false) => {
    setMsg({ text, error });
    queueMicrotask(() => ref.current?.focus());
  };
  const view = msg && (
    <p ref={ref} tabIndex={-1} class={msg.error ? 'error' : 'notice'} role={msg.error ? 'alert' : 'status'}>{msg.text}</p>
  );
  return { show, fail: (err: unknown) => show(errorText(err), true), clear: () => setMsg(null), view };
}

/** Sites (admins): the list with a search for hundreds of them, a form to add one, and one site's page. */
export function SitesPage(props: { sites: Site[]; onChanged: () => void; announce: (s: string) => void }) {
  const [open, setOpen] = useState(siteInHash());
  useEffect(() => {
    const onHash = () => setOpen(siteInHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  if (open) return <SiteDetail key={open} id={open} onChanged={props.onChanged} announce={props.announce} />;
  return <SiteList sites={props.sites} onChanged={props.onChanged} announce={props.announce} />;
}

function SiteList(props: { sites: Site[]; onChanged: () => void; announce: (s: string) => void }) {
  const [query, setQuery] = useState('');
  const [adding, setAdding] = useState(false);
  const matches = matchSites(props.sites, query);
  return (
    <section aria-labelledby="sites-title">
      <h1 id="sites-title">{t('sites.title')}</h1>
      {adding ? (
        <NewSite onCancel={() => setAdding(false)} onCreated={(s) => (props.onChanged(), props.announce(t('sites.created', { name: s.name })), (location.hash = siteHref(s.id)))} />
      ) : (
        <button type="button" class="primary" onClick={() => setAdding(true)}>{t('sites.new')}</button>
      )}
      <label for="sites-search">{t('sites.search')}</label>
      <input id="sites-search" type="search" autocomplete="off" value={query} onInput={(e) => setQuery(e.currentTarget.value)} aria-describedby="sites-count" />
      <p id="sites-count" class="muted" aria-live="polite">{t('sites.count', { shown: Math.min(SHOWN, matches.length), total: props.sites.length })}</p>
      {matches.length === 0 ? (
        <p>{t('sites.none')}</p>
      ) : (
        <ul class="row-list" aria-label={t('sites.title')}>
          {matches.slice(0, SHOWN).map((s) => (
            <li key={s.id} class="row-item">
              <span class="grow"><a href={siteHref(s.id)}>{s.name}</a> <span class="muted">{s.id}</span></span>
              <span class="muted small">{t('sites.origins', { n: s.origins.length })}</span>
            </li>
          ))}
        </ul>
      )}
      {matches.length > SHOWN && <p class="muted">{t('sites.more', { n: matches.length - SHOWN })}</p>}
    </section>
  );
}

const lines = (s: string) => s.split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean);

function NewSite(props: { onCancel: () => void; onCreated: (s: Site) => void }) {
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [origins, setOrigins] = useState('');
  const [busy, setBusy] = useState(false);
  const flash = useFlash();
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    flash.clear();
    try {
      props.onCreated(await api<Site>('POST', '/v1/admin/sites', { id: id.trim(), name, origins: lines(origins) }));
    } catch (err) {
      flash.fail(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" onSubmit={submit} aria-labelledby="new-site-title">
      <h2 id="new-site-title">{t('sites.newTitle')}</h2>
      <label for="new-site-id">{t('sites.id')}</label>
      <input id="new-site-id" ref={first} required autocapitalize="none" spellcheck={false} value={id} onInput={(e) => setId(e.currentTarget.value)} />
      <label for="new-site-name">{t('sites.name')}</label>
      <input id="new-site-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
      <label for="new-site-origins">{t('sites.originsField')}</label>
      <textarea id="new-site-origins" rows={2} class="code" spellcheck={false} value={origins} onInput={(e) => setOrigins(e.currentTarget.value)} />
      {flash.view}
      <div class="buttons">
        <button type="submit" class="primary" disabled={busy}>{t('sites.create')}</button>
        <button type="button" onClick={props.onCancel}>{t('act.cancel')}</button>
      </div>
    </form>
  );
}

function SiteDetail(props: { id: string; onChanged: () => void; announce: (s: string) => void }) {
  const [site, setSite] = useState<FullSite | null>(null);
  const flash = useFlash();
  const path = `/v1/admin/sites/${encodeURIComponent(props.id)}`;
  useEffect(() => {
    api<FullSite>('GET', path).then(setSite, flash.fail);
  }, [props.id]);
  const changed = (s: FullSite) => {
    setSite(s);
    props.onChanged();
  };

  return (
    <section aria-labelledby="site-title">
      <a href="#/sites">← {t('sites.back')}</a>
      <h1 id="site-title">{site ? site.name : props.id} <span class="muted small">{props.id}</span></h1>
      {flash.view}
      {site && (
        <>
          <SiteSettings site={site} path={path} onSaved={changed} />
          <Origins site={site} path={path} onSaved={changed} announce={props.announce} />
          <Embeds site={site} />
          <NotifySettings site={site} path={path} onSaved={(s) => changed({ ...site, ...s })} />
          <WebhookForm path={path} />
          <Counters path={path} />
          <DeleteSite site={site} path={path} onDeleted={() => (props.onChanged(), props.announce(t('delete.done', { id: site.id })), (location.hash = '#/sites'))} />
        </>
      )}
    </section>
  );
}

function SiteSettings(props: { site: FullSite; path: string; onSaved: (s: FullSite) => void }) {
  const [name, setName] = useState(props.site.name);
  const [pre, setPre] = useState(props.site.premoderation);
  const [zone, setZone] = useState(props.site.timezone);
  const flash = useFlash();
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      props.onSaved(await api<FullSite>('PATCH', props.path, { name, premoderation: pre, timezone: zone }));
      flash.show(t('site.saved'));
    } catch (err) {
      flash.fail(err);
    }
  };
  return (
    <form class="card" onSubmit={submit} aria-labelledby="site-settings">
      <h2 id="site-settings">{t('site.settings')}</h2>
      <label for="site-name">{t('sites.name')}</label>
      <input id="site-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
      <p><label class="check"><input type="checkbox" checked={pre} onChange={(e) => setPre(e.currentTarget.checked)} /> {t('site.premoderation')}</label></p>
      <label for="site-zone">{t('site.timezone')}</label>
      <select id="site-zone" value={zone} onChange={(e) => setZone(e.currentTarget.value)}>
        {zones(props.site.timezone).map((z) => <option key={z} value={z}>{z}</option>)}
      </select>
      {flash.view}
      <div class="buttons"><button type="submit" class="primary">{t('site.save')}</button></div>
    </form>
  );
}

function Origins(props: { site: FullSite; path: string; onSaved: (s: FullSite) => void; announce: (s: string) => void }) {
  const [adding, setAdding] = useState('');
  const [url, setUrl] = useState('');
  const [check, setCheck] = useState<Check | null>(null);
  const flash = useFlash();
  const checkFlash = useFlash();
  const change = async (body: { add?: string[]; remove?: string[] }, done: string) => {
    try {
      props.onSaved(await api<FullSite>('POST', `${props.path}/origins`, body));
      flash.show(done);
      return true;
    } catch (err) {
      flash.fail(err);
      return false;
    }
  };
  const runCheck = async (e?: Event) => {
    e?.preventDefault();
    setCheck(null);
    checkFlash.clear();
    try {
      const c = await api<Check>('GET', `${props.path}/origin-check${qs({ url })}`);
      setCheck(c);
      checkFlash.show(c.allowed ? t('check.allowed', { origin: c.origin }) : t('check.notAllowed', { origin: c.origin }), false);
    } catch (err) {
      checkFlash.fail(err);
    }
  };
  const addChecked = async () => {
    if (!check) return;
    try {
      props.onSaved(await api<FullSite>('POST', `${props.path}/origins`, { add: [check.origin] }));
      props.announce(t('site.originAdded', { origin: check.origin }));
      await runCheck();
    } catch (err) {
      checkFlash.fail(err);
    }
  };
  return (
    <div class="card">
      <h2 id="origins-title">{t('site.originsTitle')}</h2>
      <p class="hint">{t('site.originsHint')}</p>
      {props.site.origins.length === 0 ? (
        <p>{t('site.noOrigins')}</p>
      ) : (
        <ul class="origin-list" aria-labelledby="origins-title">
          {props.site.origins.map((o) => (
            <li key={o}>
              <span class="code">{o}</span>
              <button type="button" class="danger" onClick={() => void change({ remove: [o] }, t('site.originRemoved', { origin: o }))}>
                {t('site.removeOrigin', { origin: o })}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="inline-form" onSubmit={(e) => (e.preventDefault(), void change({ add: [adding.trim()] }, t('site.originAdded', { origin: adding.trim() })).then((ok) => ok && setAdding('')))}>
        <div class="field">
          <label for="origin-add">{t('site.addOrigin')}</label>
          <input id="origin-add" type="url" inputMode="url" required spellcheck={false} placeholder="https://" value={adding} onInput={(e) => setAdding(e.currentTarget.value)} />
        </div>
        <button type="submit">{t('site.add')}</button>
      </form>
      {flash.view}
      <h3 id="check-title">{t('check.title')}</h3>
      <form class="inline-form" onSubmit={runCheck} aria-labelledby="check-title">
        <div class="field">
          <label for="check-url">{t('check.field')}</label>
          <input id="check-url" type="url" inputMode="url" required spellcheck={false} placeholder="https://…" value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
        </div>
        <button type="submit">{t('check.submit')}</button>
      </form>
      {checkFlash.view}
      {check && !check.allowed && (
        <div class="buttons"><button type="button" class="primary" onClick={() => void addChecked()}>{t('check.add', { origin: check.origin })}</button></div>
      )}
    </div>
  );
}

interface Named {
  id: string;
  question?: string;
  title?: string;
}

/** The README's markup for each widget, with this site filled in, ready to paste. */
function Embeds(props: { site: FullSite }) {
  const [polls, setPolls] = useState<Named[]>([]);
  const [surveys, setSurveys] = useState<Named[]>([]);
  const [poll, setPoll] = useState('');
  const [survey, setSurvey] = useState('');
  useEffect(() => {
    const site = qs({ site: props.site.id });
    api<{ polls: Named[] }>('GET', `/v1/admin/polls${site}`).then((r) => (setPolls(r.polls), setPoll(r.polls[0]?.id ?? '')), () => undefined);
    api<{ surveys: Named[] }>('GET', `/v1/admin/surveys${site}`).then((r) => (setSurveys(r.surveys), setSurvey(r.surveys[0]?.id ?? '')), () => undefined);
  }, [props.site.id]);
  const base = location.origin;
  const script = `<script src="${base}/widget.js" async></script>`;
  const s = props.site.id;
  const pollId = poll || 'MA-BINH-CHON';
  const surveyId = survey || 'MA-KHAO-SAT';
  const snippets: { id: string; label: string; text: string }[] = [
    { id: 'embed-comments', label: t('embed.comments'), text: `<div data-ykien-comments="" data-ykien-site="${s}"></div>\n<noscript><p>Bật JavaScript để xem và gửi ý kiến.</p></noscript>\n${script}` },
    { id: 'embed-poll', label: t('embed.poll'), text: `<div data-ykien-poll="${pollId}"></div>\n<noscript><a href="${base}/p/${pollId}">Bình chọn</a></noscript>\n${script}` },
    { id: 'embed-survey', label: t('embed.survey'), text: `<div data-ykien-survey="${surveyId}"></div>\n<noscript><a href="${base}/s/${surveyId}">Tham gia khảo sát</a></noscript>\n${script}` },
    { id: 'embed-views', label: t('embed.views'), text: `Lượt xem: <span data-ykien-views data-ykien-site="${s}"><noscript>–</noscript></span>\n${script}` },
    { id: 'embed-visits', label: t('embed.visits'), text: `Tổng số lượt truy cập: <span data-ykien-site-visits data-ykien-site="${s}"><noscript>–</noscript></span>\n${script}` },
  ];
  const [comments, pollBox, surveyBox, views, visits] = snippets.map((x) => <CopyBox key={x.id} {...x} rows={3} />);
  return (
    <div class="card">
      <h2>{t('embed.title')}</h2>
      <p class="hint">{t('embed.hint')}</p>
      {comments}
      {polls.length > 0 ? (
        <>
          <label for="embed-poll-choice">{t('embed.choosePoll')}</label>
          <select id="embed-poll-choice" value={poll} onChange={(e) => setPoll(e.currentTarget.value)}>
            {polls.map((p) => <option key={p.id} value={p.id}>{p.question ?? p.id}</option>)}
          </select>
        </>
      ) : (
        <p class="hint">{t('embed.noPoll')}</p>
      )}
      {pollBox}
      {surveys.length > 0 ? (
        <>
          <label for="embed-survey-choice">{t('embed.chooseSurvey')}</label>
          <select id="embed-survey-choice" value={survey} onChange={(e) => setSurvey(e.currentTarget.value)}>
            {surveys.map((p) => <option key={p.id} value={p.id}>{p.title ?? p.id}</option>)}
          </select>
        </>
      ) : (
        <p class="hint">{t('embed.noSurvey')}</p>
      )}
      {surveyBox}
      {views}
      {visits}
    </div>
  );
}

/** 32 random bytes as base64url: 43 characters, inside the API's 16–200. */
const randomSecret = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

function WebhookForm(props: { path: string }) {
  const [hook, setHook] = useState<Webhook | null | undefined>(undefined);
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  const flash = useFlash();
  const path = `${props.path}/webhook`;
  useEffect(() => {
    api<Webhook>('GET', path).then(
      (h) => (setHook(h), setUrl(h.url)),
      (err) => (err instanceof ApiError && err.status === 404 ? setHook(null) : flash.fail(err)),
    );
  }, [path]);
  const save = async (e: Event) => {
    e.preventDefault();
    try {
      setHook(await api<Webhook>('PUT', path, { url: url.trim(), secret }));
      setSecret('');
      flash.show(t('webhook.saved'));
    } catch (err) {
      flash.fail(err);
    }
  };
  const remove = async () => {
    if (!confirm(t('webhook.confirmRemove'))) return;
    try {
      await api('DELETE', path);
      setHook(null);
      setUrl('');
      flash.show(t('webhook.removed'));
    } catch (err) {
      flash.fail(err);
    }
  };
  return (
    <form class="card" onSubmit={save} aria-labelledby="webhook-title">
      <h2 id="webhook-title">{t('webhook.title')}</h2>
      {hook === null && <p>{t('webhook.none')}</p>}
      {hook && <p>{t('webhook.current', { url: hook.url, time: formatTime(hook.updatedAt) })}</p>}
      <label for="webhook-url">{t('webhook.url')}</label>
      <input id="webhook-url" type="url" inputMode="url" required spellcheck={false} value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
      <label for="webhook-secret">{t('webhook.secret')}</label>
      <p class="hint" id="webhook-secret-hint">{t('webhook.secretHint')}</p>
      <div class="inline-form">
        <div class="field">
          <input id="webhook-secret" required minLength={16} maxLength={200} autocomplete="off" spellcheck={false} class="code" aria-describedby="webhook-secret-hint" value={secret} onInput={(e) => setSecret(e.currentTarget.value)} />
        </div>
        <button type="button" onClick={() => setSecret(randomSecret())}>{t('webhook.generate')}</button>
      </div>
      {flash.view}
      <div class="buttons">
        <button type="submit" class="primary">{t('webhook.save')}</button>
        {hook && <button type="button" class="danger" onClick={() => void remove()}>{t('webhook.remove')}</button>}
      </div>
    </form>
  );
}

function Counters(props: { path: string }) {
  const [visits, setVisits] = useState('');
  const [pages, setPages] = useState('');
  const flash = useFlash();
  const submit = async (e: Event) => {
    e.preventDefault();
    const body: { siteVisits?: number; pages?: Record<string, number> } = {};
    if (visits.trim() !== '') body.siteVisits = Number(visits);
    const rows = pages.split('\n').map((l) => l.trim());
    const map: Record<string, number> = {};
    for (const [i, line] of rows.entries()) {
      if (!line) continue;
      const m = /^(.+?)\s+(\d+)$/.exec(line);
      if (!m) return flash.show(t('counters.badLine', { n: i + 1 }), true);
      map[m[1]!] = Number(m[2]);
    }
    if (Object.keys(map).length) body.pages = map;
    try {
      const r = await api<{ siteVisits: number }>('PUT', `${props.path}/counters`, body);
      setVisits(String(r.siteVisits));
      flash.show(t('counters.saved', { n: r.siteVisits.toLocaleString('vi-VN') }));
    } catch (err) {
      flash.fail(err);
    }
  };
  return (
    <form class="card" onSubmit={submit} aria-labelledby="counters-title">
      <h2 id="counters-title">{t('counters.title')}</h2>
      <p class="hint">{t('counters.hint')}</p>
      <label for="counters-visits">{t('counters.siteVisits')}</label>
      <input id="counters-visits" type="number" min={0} step={1} inputMode="numeric" value={visits} onInput={(e) => setVisits(e.currentTarget.value)} />
      <label for="counters-pages">{t('counters.pages')}</label>
      <textarea id="counters-pages" rows={3} class="code" spellcheck={false} placeholder="/tin-tuc/2019/hop-dan.html 731" value={pages} onInput={(e) => setPages(e.currentTarget.value)} />
      {flash.view}
      <div class="buttons"><button type="submit" class="primary">{t('counters.save')}</button></div>
    </form>
  );
}

function DeleteSite(props: { site: FullSite; path: string; onDeleted: () => void }) {
  const [typed, setTyped] = useState('');
  const flash = useFlash();
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await api('DELETE', `${props.path}${qs({ confirm: typed.trim() })}`);
      props.onDeleted();
    } catch (err) {
      flash.fail(err);
    }
  };
  return (
    <form class="card danger-zone" onSubmit={submit} aria-labelledby="delete-title">
      <h2 id="delete-title">{t('delete.title')}</h2>
      <p class="warning">{t('delete.warning')}</p>
      <label for="delete-confirm">{t('delete.confirm', { id: props.site.id })}</label>
      <input id="delete-confirm" autocomplete="off" autocapitalize="none" spellcheck={false} value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />
      {flash.view}
      <div class="buttons"><button type="submit" class="danger" disabled={typed.trim() !== props.site.id}>{t('delete.submit')}</button></div>
    </form>
  );
}
