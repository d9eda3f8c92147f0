import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, onSessionExpired, useCsrf } from './api.js';
import { currentLang, errorText, setLang, t } from './i18n.js';
import { Audit } from './audit.js';
import { Login } from './login.js';
import { Overview } from './overview.js';
import { Polls } from './polls.js';
import { Queue } from './queue.js';
import { Account, TotpSetup } from './account.js';
import { KeysPage } from './keys.page.js';
import { recentSites, SitePicker } from './sites.js';
import { Surveys } from './surveys.js';
import type { SessionView, Site } from './types.js';

import { SitesPage } from './sites.page.js';
import { UsersPage } from './users.js';

type Route = 'comments' | 'polls' | 'surveys' | 'overview' | 'audit' | 'sites' | 'users' | 'keys' | 'account';
const ROUTES: readonly Route[] = ['comments', 'polls', 'surveys', 'overview', 'audit', 'sites', 'users', 'keys', 'account'];
/** Pages about the whole service (not one site): the site switcher is not shown there. */
const SITELESS: readonly Route[] = ['overview', 'sites', 'users', 'keys', 'account'];
/** "#/polls?site=tienngoc": the page and, when named, the site (a link a colleague sends); "#/sites/ID" names a sub-page. */
function fromHash(): { route: Route; site: string | undefined } {
  const [path, query] = location.hash.slice(1).split('?');
  const page = (path ?? '').split('/')[1] ?? '';
  const route: Route = ROUTES.find((r) => r === page) ?? 'comments';
  return { route, site: new URLSearchParams(query ?? '').get('site') ?? undefined };
}
const routeOf = () => fromHash().route;

/** A polite live region, so new comments and finished actions are heard, not only seen. */
function useAnnouncer() {
  const [text, setText] = useState('');
  const announce = (s: string) => {
    setText('');
    setTimeout(() => setText(s), 50);
  };
  return { text, announce };
}

function App() {
  const [session, setSession] = useState<SessionView | null | undefined>(undefined);
  const [expired, setExpired] = useState(false);
  const [notice, setNotice] = useState<string | undefined>();
  const [, setLangState] = useState(currentLang());
  const [route, setRoute] = useState<Route>(routeOf());
  const [sites, setSites] = useState<Site[]>([]);
  const [site, setSiteState] = useState<string | undefined>(fromHash().site);
  const setSite = (id: string | undefined) => {
    setSiteState(id);
    // A page of its own (#/sites/tienngoc) keeps its path; the site goes in the query.
    history.replaceState(null, '', `#${location.hash.slice(1).split('?')[0] || `/${fromHash().route}`}${id ? `?site=${encodeURIComponent(id)}` : ''}`);
  };
  const [error, setError] = useState('');
  const { text, announce } = useAnnouncer();

  useEffect(() => {
    setLang(currentLang());
    onSessionExpired(() => setExpired(true));
    const onHash = () => {
      const h = fromHash();
      setRoute(h.route);
      if (h.site) setSiteState(h.site);
    };
    addEventListener('hashchange', onHash);
    api<SessionView>('GET', '/v1/session').then(
      (s) => signedIn(s),
      () => setSession(null),
    );
    return () => removeEventListener('hashchange', onHash);
  }, []);

  const signedIn = (s: SessionView) => {
    useCsrf(s.csrfToken);
    setSession(s);
    setExpired(false);
    setNotice(undefined);
  };

  const [sitesVersion, setSitesVersion] = useState(0);
  useEffect(() => {
    if (!session || session.totpSetupRequired) return;
    api<{ sites: Site[] }>('GET', '/v1/admin/sites').then(
      ({ sites: list }) => {
        const sorted = [...list].sort((a, b) => a.name.localeCompare(b.name, 'vi'));
        setSites(sorted);
        // A site named in the address stays, even one this person may not see: the server says so in words.
        setSiteState((now) => {
          if (now) return now;
          if (sorted.length === 1) return sorted[0]!.id;
          const recent = recentSites().find((id) => sorted.some((s) => s.id === id));
          return recent ?? (session.user.role === 'admin' || session.user.sites === null ? undefined : sorted[0]?.id);
        });
      },
      (err) => setError(errorText(err)),
    );
  }, [session, sitesVersion]);
  const refreshSession = () => api<SessionView>('GET', '/v1/session').then(signedIn, (err) => setError(errorText(err)));

  const logout = async () => {
    try {
      await api('DELETE', '/v1/session');
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
    }
    setSession(null);
    setNotice(t('login.loggedOut'));
  };

  const switchLang = () => {
    setLang(currentLang() === 'vi' ? 'en' : 'vi');
    setLangState(currentLang());
  };
  const langButton = (
    <button type="button" class="link lang" lang={currentLang() === 'vi' ? 'en' : 'vi'} aria-label={t('lang.switchLabel')} onClick={switchLang}>
      {t('lang.switch')}
    </button>
  );
  const live = <div class="visually-hidden" role="status" aria-live="polite">{text}</div>;

  if (session === undefined) return <main id="main" />;
  if (session === null)
    return (
      <>
        <header class="top"><span class="brand">{t('app.title')}</span>{langButton}</header>
        <main id="main"><Login notice={notice} onSignedIn={signedIn} /></main>
        {live}
      </>
    );
  if (session.totpSetupRequired)
    return (
      <>
        <header class="top"><span class="brand">{t('app.title')}</span>{langButton}<button type="button" onClick={() => void logout()}>{t('logout')}</button></header>
        <main id="main"><TotpSetup required onEnabled={() => void refreshSession()} announce={announce} /></main>
        {live}
      </>
    );

  const isAdmin = session.user.role === 'admin';
  const allowAll = isAdmin || session.user.sites === null;
  return (
    <>
      <div inert={expired || undefined} class="shell">
        <header class="top">
          <span class="brand">{t('app.title')}</span>
          <nav aria-label={t('nav.label')}>
            <a href={`#/comments${site ? `?site=${encodeURIComponent(site)}` : ''}`} aria-current={route === 'comments' ? 'page' : undefined}>{t('nav.comments')}</a>
            {isAdmin && <a href={`#/polls${site ? `?site=${encodeURIComponent(site)}` : ''}`} aria-current={route === 'polls' ? 'page' : undefined}>{t('nav.polls')}</a>}
            {isAdmin && <a href={`#/surveys${site ? `?site=${encodeURIComponent(site)}` : ''}`} aria-current={route === 'surveys' ? 'page' : undefined}>{t('nav.surveys')}</a>}
            {isAdmin && <a href="#/overview" aria-current={route === 'overview' ? 'page' : undefined}>{t('nav.overview')}</a>}
            <a href={`#/audit${site ? `?site=${encodeURIComponent(site)}` : ''}`} aria-current={route === 'audit' ? 'page' : undefined}>{t('nav.audit')}</a>
            {isAdmin && <a href="#/sites" aria-current={route === 'sites' ? 'page' : undefined}>{t('nav.sites')}</a>}
            {isAdmin && <a href="#/users" aria-current={route === 'users' ? 'page' : undefined}>{t('nav.users')}</a>}
            {isAdmin && <a href="#/keys" aria-current={route === 'keys' ? 'page' : undefined}>{t('nav.keys')}</a>}
          </nav>
          {!SITELESS.includes(route) && <SitePicker sites={sites} value={site} allowAll={allowAll && (route === 'comments' || route === 'audit')} onChange={setSite} />}
          <a class="user" href="#/account" aria-current={route === 'account' ? 'page' : undefined}>{t('user.signedInAs', { name: session.user.displayName })}</a>
          {langButton}
          <button type="button" onClick={() => void logout()}>{t('logout')}</button>
        </header>
        <main id="main">
          {error && <p class="error" role="alert">{error}</p>}
          {route === 'account' ? (
            <Account session={session} announce={announce} onSignedOut={() => (setSession(null), setNotice(t('login.loggedOut')))} onChanged={() => void refreshSession()} />
          ) : SITELESS.includes(route) && !isAdmin ? (
            <p class="error" role="alert">{t('err.forbidden')}</p>
          ) : route === 'sites' ? (
            <SitesPage sites={sites} onChanged={() => setSitesVersion((v) => v + 1)} announce={announce} />
          ) : route === 'users' ? (
            <UsersPage sites={sites} me={session.user.username} announce={announce} />
          ) : route === 'keys' ? (
            <KeysPage sites={sites} announce={announce} />
          ) : route === 'surveys' ? (
            isAdmin ? <Surveys site={site} announce={announce} /> : <p class="error" role="alert">{t('err.forbidden')}</p>
          ) : route === 'overview' ? (
            isAdmin ? <Overview /> : <p class="error" role="alert">{t('err.forbidden')}</p>
          ) : route === 'audit' ? (
            <Audit site={site} isAdmin={isAdmin} />
          ) : route === 'polls' ? (
            isAdmin ? <Polls site={site} announce={announce} /> : <p class="error" role="alert">{t('err.forbidden')}</p>
          ) : (
            <Queue site={site} sites={sites} announce={announce} />
          )}
        </main>
      </div>
      {expired && (
        <div class="overlay">
          <div class="overlay-box" role="dialog" aria-modal="true" aria-labelledby="login-title">
            <Login notice={t('login.expired')} username={session.user.username} onSignedIn={signedIn} />
          </div>
        </div>
      )}
      {live}
    </>
  );
}

render(<App />, document.getElementById('app')!);
