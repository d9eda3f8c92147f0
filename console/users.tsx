import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api.js';
import { errorText, formatTime, t } from './i18n.js';
import { matchSites } from './text.js';
import type { Role, Site } from './types.js';

interface User {
  username: string;
  displayName: string;
  role: Role;
  sites: string[];
  disabled: boolean;
  totpEnabled: boolean;
  lastLoginAt: string | null;
}
const SHOWN = 50;
const userPath = (u: string) => `/v1/admin/users/${encodeURIComponent(u)}`;

/** Users (admins): who signs in to the console, with what role and sites; disable, reset a password. */
export function UsersPage(props: { sites: Site[]; me: string; announce: (s: string) => void }) {
  const [users, setUsers] = useState<User[]>([]);
  const [form, setForm] = useState<{ editing?: User } | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const [msg, setMsg] = useState<{ text: string; error: boolean } | null>(null);
  const msgRef = useRef<HTMLParagraphElement>(null);
  const say = (text: string, error = false) => {
    setMsg({ text, error });
    queueMicrotask(() => msgRef.current?.focus());
  };
  const load = () => api<{ users: User[] }>('GET', '/v1/admin/users').then((r) => setUsers(r.users), (err) => say(errorText(err), true));
  useEffect(() => void load(), []);
  const names = new Map(props.sites.map((s) => [s.id, s.name]));

  const act = async (u: User, body: Record<string, unknown>, done: string) => {
    try {
      await api('PATCH', userPath(u.username), body);
      say(done);
      props.announce(done);
      void load();
    } catch (err) {
      say(errorText(err), true);
    }
  };

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">{t('users.title')}</h1>
      {msg && <p ref={msgRef} tabIndex={-1} class={msg.error ? 'error' : 'notice'} role={msg.error ? 'alert' : 'status'}>{msg.text}</p>}
      {form ? (
        <UserForm
          sites={props.sites}
          editing={form.editing}
          onCancel={() => setForm(null)}
          onSaved={(u, created) => (setForm(null), say(t(created ? 'users.created' : 'users.saved', { name: u.displayName })), void load())}
        />
      ) : resetting ? (
        <ResetPassword user={resetting} onCancel={() => setResetting(null)} onDone={() => (setResetting(null), say(t('users.resetDone', { name: resetting.displayName })))} />
      ) : (
        <button type="button" class="primary" onClick={() => setForm({})}>{t('users.new')}</button>
      )}
      <ul class="row-list" aria-label={t('users.list')}>
        {users.map((u) => (
          <li key={u.username} class="row-item">
            <span class="grow">
              <strong>{u.displayName}</strong> <span class="muted">{u.username} {u.username === props.me && t('users.you')}</span>
              <br />
              <span class="small">
                {u.role === 'admin' ? t('users.role.admin') : `${t('users.sites')}: ${u.sites.map((s) => names.get(s) ?? s).join(', ')}`}
              </span>
              <br />
              <span class="small muted">
                {u.disabled ? t('users.disabled') : t('users.active')} · {u.totpEnabled ? t('users.totpOn') : t('users.totpOff')} ·{' '}
                {u.lastLoginAt ? t('users.lastLogin', { time: formatTime(u.lastLoginAt) }) : t('users.neverLoggedIn')}
              </span>
            </span>
            <span class="buttons">
              <button type="button" onClick={() => (setResetting(null), setForm({ editing: u }))} aria-label={`${t('users.edit')}: ${u.displayName}`}>{t('users.edit')}</button>
              <button type="button" onClick={() => (setForm(null), setResetting(u))} aria-label={`${t('users.reset')}: ${u.displayName}`}>{t('users.reset')}</button>
              {u.disabled ? (
                <button type="button" onClick={() => void act(u, { disabled: false }, t('users.enabledDone', { name: u.displayName }))} aria-label={`${t('users.enable')}: ${u.displayName}`}>{t('users.enable')}</button>
              ) : (
                <button type="button" class="danger" aria-label={`${t('users.disable')}: ${u.displayName}`}
                  onClick={() => confirm(t('users.confirmDisable', { name: u.displayName })) && void act(u, { disabled: true }, t('users.disabledDone', { name: u.displayName }))}>
                  {t('users.disable')}
                </button>
              )}
              {u.totpEnabled && (
                <button type="button" onClick={() => void act(u, { totp: false }, t('users.totpResetDone', { name: u.displayName }))} aria-label={`${t('users.totpReset')}: ${u.displayName}`}>{t('users.totpReset')}</button>
              )}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function UserForm(props: { sites: Site[]; editing?: User | undefined; onCancel: () => void; onSaved: (u: User, created: boolean) => void }) {
  const e0 = props.editing;
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState(e0?.displayName ?? '');
  const [role, setRole] = useState<Role>(e0?.role ?? 'moderator');
  const [sites, setSites] = useState<string[]>(e0?.sites ?? []);
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const errorRef = useRef<HTMLParagraphElement>(null);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    const common = { displayName: displayName.trim() || undefined, role, sites: role === 'admin' ? [] : sites };
    try {
      const u = e0
        ? await api<User>('PATCH', userPath(e0.username), common)
        : await api<User>('POST', '/v1/admin/users', { username: username.trim(), ...common, password });
      props.onSaved(u, !e0);
    } catch (err) {
      setError(errorText(err));
      queueMicrotask(() => errorRef.current?.focus());
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card" onSubmit={submit} aria-labelledby="user-form-title">
      <h2 id="user-form-title">{e0 ? t('users.editTitle', { name: e0.displayName }) : t('users.newTitle')}</h2>
      {!e0 && (
        <>
          <label for="user-username">{t('users.username')}</label>
          <input id="user-username" ref={first} required autocomplete="off" autocapitalize="none" spellcheck={false} value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        </>
      )}
      <label for="user-display">{t('users.displayName')}</label>
      <input id="user-display" ref={e0 ? first : undefined} autocomplete="off" value={displayName} onInput={(e) => setDisplayName(e.currentTarget.value)} />
      <fieldset class="plain">
        <legend>{t('users.role')}</legend>
        {(['moderator', 'admin'] as const).map((r) => (
          <p key={r}><label class="check"><input type="radio" name="user-role" value={r} checked={role === r} onChange={() => setRole(r)} /> {t(`users.role.${r}`)}</label></p>
        ))}
      </fieldset>
      {role === 'moderator' && <SiteChoice sites={props.sites} chosen={sites} onChange={setSites} />}
      {!e0 && (
        <>
          <label for="user-password">{t('users.password')}</label>
          <p class="hint" id="user-password-rules">{t('users.passwordRules')}</p>
          <input id="user-password" type="password" required autocomplete="new-password" aria-describedby="user-password-rules" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </>
      )}
      {error && <p class="error" role="alert" tabIndex={-1} ref={errorRef}>{error}</p>}
      <div class="buttons">
        <button type="submit" class="primary" disabled={busy}>{e0 ? t('users.save') : t('users.create')}</button>
        <button type="button" onClick={props.onCancel}>{t('act.cancel')}</button>
      </div>
    </form>
  );
}

/** Several sites out of hundreds: a search, the chosen ones always in view, accents optional. */
export function SiteChoice(props: { sites: Site[]; chosen: string[]; onChange: (ids: string[]) => void }) {
  const [query, setQuery] = useState('');
  const chosen = new Set(props.chosen);
  const matches = matchSites(props.sites, query).filter((s) => !chosen.has(s.id));
  const toggle = (id: string, on: boolean) => props.onChange(on ? [...props.chosen, id] : props.chosen.filter((x) => x !== id));
  const box = (s: Site) => (
    <li key={s.id}>
      <label class="check"><input type="checkbox" checked={chosen.has(s.id)} onChange={(e) => toggle(s.id, e.currentTarget.checked)} /> {s.name} <span class="muted">{s.id}</span></label>
    </li>
  );
  const byId = new Map(props.sites.map((s) => [s.id, s]));
  return (
    <fieldset class="plain">
      <legend>{t('users.sites')}</legend>
      <p class="small" aria-live="polite">{props.chosen.length ? t('users.sitesChosen', { n: props.chosen.length }) : t('users.sitesNone')}</p>
      {props.chosen.length > 0 && <ul class="pick-list">{props.chosen.map((id) => box(byId.get(id) ?? { id, name: id, origins: [], timezone: '', premoderation: true }))}</ul>}
      <label for="user-sites-search">{t('users.sitesSearch')}</label>
      <input id="user-sites-search" type="search" autocomplete="off" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      <ul class="pick-list">{matches.slice(0, SHOWN).map(box)}</ul>
      {matches.length > SHOWN && <p class="muted small">{t('sites.more', { n: matches.length - SHOWN })}</p>}
    </fieldset>
  );
}

function ResetPassword(props: { user: User; onCancel: () => void; onDone: () => void }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    try {
      await api('PATCH', userPath(props.user.username), { password });
      props.onDone();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <form class="card" onSubmit={submit} aria-labelledby="reset-title">
      <h2 id="reset-title">{t('users.resetTitle', { name: props.user.displayName })}</h2>
      <p class="warning" id="reset-hint">{t('users.resetHint')}</p>
      <label for="reset-password">{t('account.new')}</label>
      <p class="hint" id="reset-rules">{t('users.passwordRules')}</p>
      <input id="reset-password" ref={ref} type="password" required autocomplete="new-password" aria-describedby="reset-rules reset-hint" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
      {error && <p class="error" role="alert">{error}</p>}
      <div class="buttons">
        <button type="submit" class="primary">{t('users.reset')}</button>
        <button type="button" onClick={props.onCancel}>{t('act.cancel')}</button>
      </div>
    </form>
  );
}
