import { useEffect, useRef, useState } from 'preact/hooks';
import { encode } from 'uqr';
import { api } from './api.js';
import { CopyBox } from './copy.js';
import { errorText, t } from './i18n.js';
import type { SessionView } from './types.js';

/** A status or an error that is heard, and takes the focus so a keyboard user lands on it. */
function useMessage() {
  const [msg, setMsg] = useState<{ text: string; error: boolean } | null>(null);
  const ref = useRef<HTMLParagraphElement>(null);
  const show = (text: string, error = false) => {
    setMsg({ text, error });
    queueMicrotask(() => ref.current?.focus());
  };
  const view = msg && <p ref={ref} tabIndex={-1} class={msg.error ? 'error' : 'notice'} role={msg.error ? 'alert' : 'status'}>{msg.text}</p>;
  return { show, fail: (err: unknown) => show(errorText(err), true), clear: () => setMsg(null), view };
}

/** My account (everyone): password, signing out everywhere, two-factor sign-in. */
export function Account(props: { session: SessionView; announce: (s: string) => void; onSignedOut: () => void; onChanged: () => void }) {
  const u = props.session.user;
  const everywhere = async () => {
    if (!confirm(t('account.confirmEverywhere'))) return;
    try {
      await api('POST', '/v1/session/logout-all');
    } finally {
      props.onSignedOut();
    }
  };
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">{t('account.title')}</h1>
      <p>{u.displayName} <span class="muted">({u.username})</span></p>
      <ChangePassword username={u.username} />
      <div class="card">
        <h2>{t('account.everywhere')}</h2>
        <p class="hint">{t('account.everywhereHint')}</p>
        <button type="button" class="danger" onClick={() => void everywhere()}>{t('account.everywhere')}</button>
      </div>
      {u.totpEnabled ? <TotpDisable onDone={props.onChanged} /> : <TotpSetup onEnabled={props.onChanged} announce={props.announce} />}
    </section>
  );
}

function ChangePassword(props: { username: string }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const msg = useMessage();
  const submit = async (e: Event) => {
    e.preventDefault();
    msg.clear();
    try {
      await api('POST', '/v1/session/password', { currentPassword: current, newPassword: next });
      setCurrent('');
      setNext('');
      msg.show(t('account.passwordChanged'));
    } catch (err) {
      msg.fail(err);
    }
  };
  return (
    <form class="card" onSubmit={submit} aria-labelledby="password-title">
      <h2 id="password-title">{t('account.password')}</h2>
      {/* For password managers: which account this new password belongs to. */}
      <input type="text" name="username" autocomplete="username" value={props.username} readOnly hidden />
      <label for="pw-current">{t('account.current')}</label>
      <input id="pw-current" type="password" required autocomplete="current-password" value={current} onInput={(e) => setCurrent(e.currentTarget.value)} />
      <label for="pw-new">{t('account.new')}</label>
      <p class="hint" id="pw-rules">{t('users.passwordRules')} {t('account.otherSessionsEnd')}</p>
      <input id="pw-new" type="password" required autocomplete="new-password" aria-describedby="pw-rules" value={next} onInput={(e) => setNext(e.currentTarget.value)} />
      {msg.view}
      <div class="buttons"><button type="submit" class="primary">{t('account.changePassword')}</button></div>
    </form>
  );
}

/** The otpauth URI as an SVG QR code drawn from uqr's module matrix (no markup strings, no canvas). */
function QrCode(props: { text: string }) {
  const { data, size } = encode(props.text, { ecc: 'M', border: 2 });
  const cells: string[] = [];
  data.forEach((row, y) => row.forEach((on, x) => on && cells.push(`M${x} ${y}h1v1h-1z`)));
  return (
    <svg class="qr" viewBox={`0 0 ${size} ${size}`} role="img" aria-label={t('totp.qr')} shape-rendering="crispEdges">
      <rect width={size} height={size} fill="#fff" />
      <path d={cells.join('')} fill="#000" />
    </svg>
  );
}

/** "JBSWY3DPEHPK3PXP" as "JBSW Y3DP EHPK 3PXP", for typing into an app by hand. */
const grouped = (s: string) => s.replace(/(.{4})(?=.)/g, '$1 ');

/**
 * Two-factor setup: a secret to scan, a code to confirm it, then the ten recovery codes shown once.
 * `required`: an admin who must set it up before anything else (REQUIRE_TOTP_FOR_ADMINS).
 */
export function TotpSetup(props: { required?: boolean; onEnabled: () => void; announce: (s: string) => void }) {
  const [setup, setSetup] = useState<{ secret: string; uri: string } | null>(null);
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const msg = useMessage();
  const stepRef = useRef<HTMLParagraphElement>(null);
  const codesRef = useRef<HTMLHeadingElement>(null);

  const start = async () => {
    msg.clear();
    try {
      setSetup(await api<{ secret: string; uri: string }>('POST', '/v1/session/totp/setup'));
      queueMicrotask(() => stepRef.current?.focus());
    } catch (err) {
      msg.fail(err);
    }
  };
  const enable = async (e: Event) => {
    e.preventDefault();
    msg.clear();
    try {
      const r = await api<{ recoveryCodes: string[] }>('POST', '/v1/session/totp/enable', { code: code.trim() });
      setCodes(r.recoveryCodes);
      props.announce(t('totp.enabled'));
      queueMicrotask(() => codesRef.current?.focus());
    } catch (err) {
      msg.fail(err);
    }
  };

  if (codes)
    return (
      <div class="card">
        <h2 ref={codesRef} tabIndex={-1}>{t('totp.recoveryTitle')}</h2>
        <p class="notice" role="status">{t('totp.enabled')}</p>
        <p class="warning">{t('totp.recoveryHint')}</p>
        <ol class="codes" aria-label={t('totp.recoveryList')}>{codes.map((c) => <li key={c}>{c}</li>)}</ol>
        <CopyBox id="recovery-codes" label={t('totp.recoveryList')} text={codes.join('\n')} rows={5} />
        <div class="buttons">
          <button type="button" onClick={() => print()}>{t('totp.print')}</button>
          <button type="button" class="primary" onClick={props.onEnabled}>{t('totp.recoveryDone')}</button>
        </div>
      </div>
    );

  return (
    <div class="card" aria-labelledby="totp-title" role="region">
      <h2 id="totp-title">{t('totp.title')}</h2>
      {props.required ? <p class="warning">{t('totp.required')}</p> : <p>{t('totp.isOff')}</p>}
      {!setup ? (
        <>
          {msg.view}
          <button type="button" class="primary" onClick={() => void start()}>{t('totp.start')}</button>
        </>
      ) : (
        <form onSubmit={enable}>
          <p ref={stepRef} tabIndex={-1}>{t('totp.step1')}</p>
          <QrCode text={setup.uri} />
          <p class="hint">{t('totp.manual')}</p>
          <p class="secret" aria-label={`${t('totp.secret')}: ${setup.secret.split('').join(' ')}`}>{grouped(setup.secret)}</p>
          <label for="totp-code">{t('totp.step2')}</label>
          <input id="totp-code" inputMode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" required maxLength={8} value={code} onInput={(e) => setCode(e.currentTarget.value)} />
          {msg.view}
          <div class="buttons"><button type="submit" class="primary">{t('totp.enable')}</button></div>
        </form>
      )}
    </div>
  );
}

function TotpDisable(props: { onDone: () => void }) {
  const [password, setPassword] = useState('');
  const msg = useMessage();
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await api('POST', '/v1/session/totp/disable', { password });
      props.onDone();
    } catch (err) {
      msg.fail(err);
    }
  };
  return (
    <form class="card" onSubmit={submit} aria-labelledby="totp-title">
      <h2 id="totp-title">{t('totp.title')}</h2>
      <p>{t('totp.isOn')}</p>
      <label for="totp-off-password">{t('totp.disablePassword')}</label>
      <input id="totp-off-password" type="password" required autocomplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
      {msg.view}
      <div class="buttons"><button type="submit" class="danger">{t('totp.disable')}</button></div>
    </form>
  );
}
