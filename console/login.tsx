import { useRef, useState } from 'preact/hooks';
import { api, ApiError } from './api.js';
import { errorText, t } from './i18n.js';
import type { SessionView } from './types.js';

/**
 * The sign-in form: username and password, then the two-factor code when the server asks for it
 * (what was typed stays). `notice` explains why the form is shown (expired session, signed out).
 */
export function Login(props: { notice?: string | undefined; onSignedIn: (s: SessionView) => void; username?: string | undefined }) {
  const [username, setUsername] = useState(props.username ?? '');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needTotp, setNeedTotp] = useState(false);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const errorRef = useRef<HTMLParagraphElement>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const body: Record<string, string> = { username, password };
      if (needTotp) body.totp = totp;
      const s = await api<SessionView>('POST', '/v1/session', body);
      setPassword('');
      props.onSignedIn(s);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'totp_required') {
        setNeedTotp(true);
      } else {
        setError(errorText(err));
        queueMicrotask(() => errorRef.current?.focus());
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="login" aria-labelledby="login-title">
      <h1 id="login-title">{t('login.title')}</h1>
      {props.notice && <p class="notice" role="status">{props.notice}</p>}
      <form onSubmit={submit} noValidate={false}>
        <label for="login-username">{t('login.username')}</label>
        <input id="login-username" name="username" autocomplete="username" autocapitalize="none" spellcheck={false} required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        <label for="login-password">{t('login.password')}</label>
        <input id="login-password" name="password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        {needTotp && (
          <>
            <label for="login-totp">{t('login.totp')}</label>
            <p class="hint" id="login-totp-hint">{t('login.totpHint')}</p>
            <input id="login-totp" name="totp" inputMode="numeric" autocomplete="one-time-code" aria-describedby="login-totp-hint" required value={totp} autoFocus onInput={(e) => setTotp(e.currentTarget.value)} />
          </>
        )}
        {error && <p class="error" role="alert" tabIndex={-1} ref={errorRef}>{error}</p>}
        <button type="submit" class="primary" disabled={busy}>{busy ? t('login.busy') : t('login.submit')}</button>
      </form>
    </section>
  );
}
