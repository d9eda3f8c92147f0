import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api.js';
import { CopyBox } from './copy.js';
import { errorText, formatTime, t } from './i18n.js';
import type { Role, Site } from './types.js';

interface ApiKey {
  id: string;
  name: string;
  role: Role;
  siteId: string | null;
  keyPrefix: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** API keys (admins): made for scripts, the secret shown once, revoked after asking. */
export function KeysPage(props: { sites: Site[]; announce: (s: string) => void }) {
  const [keys, setKeys] = useState<ApiKey[]>([]);
  const [made, setMade] = useState<(ApiKey & { key: string }) | null>(null);
  const [msg, setMsg] = useState<{ text: string; error: boolean } | null>(null);
  const msgRef = useRef<HTMLParagraphElement>(null);
  const secretRef = useRef<HTMLHeadingElement>(null);
  const say = (text: string, error = false) => {
    setMsg({ text, error });
    queueMicrotask(() => msgRef.current?.focus());
  };
  const load = () => api<{ keys: ApiKey[] }>('GET', '/v1/admin/keys').then((r) => setKeys(r.keys.reverse()), (err) => say(errorText(err), true));
  useEffect(() => void load(), []);
  const names = new Map(props.sites.map((s) => [s.id, s.name]));

  const revoke = async (k: ApiKey) => {
    if (!confirm(t('apikeys.confirmRevoke', { name: k.name }))) return;
    try {
      await api('DELETE', `/v1/admin/keys/${encodeURIComponent(k.id)}`);
      say(t('apikeys.revoked', { name: k.name }));
      void load();
    } catch (err) {
      say(errorText(err), true);
    }
  };

  return (
    <section aria-labelledby="keys-title">
      <h1 id="keys-title">{t('apikeys.title')}</h1>
      <p class="hint">{t('apikeys.intro')}</p>
      {msg && <p ref={msgRef} tabIndex={-1} class={msg.error ? 'error' : 'notice'} role={msg.error ? 'alert' : 'status'}>{msg.text}</p>}
      {made ? (
        <div class="card">
          <h2 ref={secretRef} tabIndex={-1}>{t('apikeys.secretTitle', { name: made.name })}</h2>
          <p class="warning">{t('apikeys.secretWarning')}</p>
          <CopyBox id="new-key" label={t('apikeys.secretLabel')} text={made.key} rows={2} />
          <div class="buttons"><button type="button" class="primary" onClick={() => setMade(null)}>{t('apikeys.secretDone')}</button></div>
        </div>
      ) : (
        <NewKey sites={props.sites} onCreated={(k) => (setMade(k), props.announce(t('apikeys.secretTitle', { name: k.name })), void load(), queueMicrotask(() => secretRef.current?.focus()))} />
      )}
      <h2>{t('apikeys.list')}</h2>
      {keys.length === 0 ? (
        <p>{t('apikeys.none')}</p>
      ) : (
        <ul class="row-list" aria-label={t('apikeys.list')}>
          {keys.map((k) => (
            <li key={k.id} class="row-item">
              <span class="grow">
                <strong>{k.name}</strong> <span class="muted">{k.id}</span>
                <br />
                <span class="small">
                  {k.role === 'admin' ? t('apikeys.role.admin') : t('apikeys.role.moderator')} · {k.siteId ? (names.get(k.siteId) ?? k.siteId) : t('apikeys.anySite')} ·{' '}
                  {t('apikeys.prefix', { prefix: k.keyPrefix })}
                </span>
                <br />
                <span class="small muted">
                  {t('apikeys.createdAt', { time: formatTime(k.createdAt) })} · {k.lastUsedAt ? t('apikeys.lastUsed', { time: formatTime(k.lastUsedAt) }) : t('apikeys.neverUsed')}
                  {k.revokedAt && <> · <strong>{t('apikeys.revokedAt', { time: formatTime(k.revokedAt) })}</strong></>}
                </span>
              </span>
              {!k.revokedAt && (
                <button type="button" class="danger" aria-label={t('apikeys.revokeNamed', { name: k.name })} onClick={() => void revoke(k)}>{t('apikeys.revoke')}</button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function NewKey(props: { sites: Site[]; onCreated: (k: ApiKey & { key: string }) => void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('moderator');
  const [site, setSite] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const k = await api<ApiKey & { key: string }>('POST', '/v1/admin/keys', { name, role, siteId: role === 'moderator' && site ? site : null });
      setName('');
      props.onCreated(k);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" onSubmit={submit} aria-labelledby="new-key-title">
      <h2 id="new-key-title">{t('apikeys.new')}</h2>
      <label for="key-name">{t('apikeys.name')}</label>
      <input id="key-name" required maxLength={100} autocomplete="off" value={name} onInput={(e) => setName(e.currentTarget.value)} />
      <label for="key-role">{t('apikeys.role')}</label>
      <select id="key-role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
        <option value="moderator">{t('apikeys.role.moderator')}</option>
        <option value="admin">{t('apikeys.role.admin')}</option>
      </select>
      {role === 'moderator' && (
        <>
          <label for="key-site">{t('apikeys.site')}</label>
          <select id="key-site" value={site} onChange={(e) => setSite(e.currentTarget.value)}>
            <option value="">{t('apikeys.anySite')}</option>
            {props.sites.map((s) => <option key={s.id} value={s.id}>{s.name} ({s.id})</option>)}
          </select>
        </>
      )}
      {error && <p class="error" role="alert">{error}</p>}
      <div class="buttons"><button type="submit" class="primary" disabled={busy}>{t('apikeys.create')}</button></div>
    </form>
  );
}
