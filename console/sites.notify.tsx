import { useRef, useState } from 'preact/hooks';
import { api } from './api.js';
import { errorText, t } from './i18n.js';
import { addresses, browserCheck, MAX_EMAILS, serverErrors } from './sites.notify.errors.js';

const DEFAULT_DIGEST = 60;

export interface NotifyFields {
  notifyEmails: string[];
  /** 0: one mail per pending comment; N: a digest every N minutes (5–1440). */
  notifyDigestMinutes: number;
}

/**
 * "Thư báo cho người duyệt" (admins only, as the whole Sites page): who gets the moderation mails of this site,
 * and whether each pending comment is a mail or a digest goes every N minutes.
 */
export function NotifySettings(props: { site: NotifyFields; path: string; onSaved: (s: NotifyFields) => void }) {
  const [emails, setEmails] = useState(props.site.notifyEmails.join('\n'));
  const [digest, setDigest] = useState(props.site.notifyDigestMinutes > 0);
  const [minutes, setMinutes] = useState(String(props.site.notifyDigestMinutes || DEFAULT_DIGEST));
  const [errors, setErrors] = useState<{ emails?: string | undefined; minutes?: string | undefined }>({});
  const [msg, setMsg] = useState<{ text: string; error: boolean } | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const minutesInput = useRef<HTMLInputElement>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setMsg(null);
    const list = addresses(emails);
    const wrong = browserCheck(list);
    if (wrong) {
      setErrors({ emails: wrong });
      area.current?.focus();
      return;
    }
    setErrors({});
    try {
      const saved = await api<NotifyFields>('PATCH', props.path, { notifyEmails: list, notifyDigestMinutes: digest ? Number(minutes) : 0 });
      props.onSaved(saved);
      setEmails(saved.notifyEmails.join('\n'));
      setMsg({ text: saved.notifyEmails.length ? t('notify.saved', { n: saved.notifyEmails.length }) : t('notify.savedNone'), error: false });
    } catch (err) {
      const fields = serverErrors(err, list);
      if (fields) {
        setErrors(fields);
        (fields.emails ? area : minutesInput).current?.focus();
      } else setMsg({ text: errorText(err), error: true });
    }
  };

  const described = (hint: string, error: string | undefined, errId: string) =>
    error ? { 'aria-invalid': true as const, 'aria-describedby': `${hint} ${errId}` } : { 'aria-describedby': hint };

  return (
    <form class="card" onSubmit={submit} aria-labelledby="notify-title">
      <h2 id="notify-title">{t('notify.title')}</h2>
      <p class="hint">{t('notify.hint')}</p>
      <label for="notify-emails">{t('notify.emails')}</label>
      <p id="notify-emails-hint" class="hint">{t('notify.emailsHint', { n: MAX_EMAILS })}</p>
      <textarea id="notify-emails" ref={area} rows={4} class="code" spellcheck={false} autocapitalize="none" placeholder="vanthu@tienngoc.quangnam.gov.vn"
        {...described('notify-emails-hint', errors.emails, 'notify-emails-err')} value={emails} onInput={(e) => setEmails(e.currentTarget.value)} />
      {errors.emails && <p id="notify-emails-err" class="field-error" role="alert">{errors.emails}</p>}
      <fieldset class="plain">
        <legend>{t('notify.when')}</legend>
        <p><label class="check"><input type="radio" name="notify-mode" checked={!digest} onChange={() => setDigest(false)} /> {t('notify.each')}</label></p>
        <p><label class="check"><input type="radio" name="notify-mode" checked={digest} onChange={() => setDigest(true)} /> {t('notify.digest')}</label></p>
        <label for="notify-minutes">{t('notify.minutes')}</label>
        <p id="notify-minutes-hint" class="hint">{t('notify.minutesHint')}</p>
        <input id="notify-minutes" ref={minutesInput} type="number" inputMode="numeric" min={5} max={1440} step={1} required={digest} disabled={!digest}
          {...described('notify-minutes-hint', errors.minutes, 'notify-minutes-err')} value={minutes} onInput={(e) => setMinutes(e.currentTarget.value)} />
        {errors.minutes && <p id="notify-minutes-err" class="field-error" role="alert">{errors.minutes}</p>}
      </fieldset>
      {msg && <p class={msg.error ? 'error' : 'notice'} role={msg.error ? 'alert' : 'status'}>{msg.text}</p>}
      <div class="buttons"><button type="submit" class="primary">{t('notify.save')}</button></div>
    </form>
  );
}
