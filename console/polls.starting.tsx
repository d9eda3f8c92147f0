import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from './api.js';
import { errorText, t } from './i18n.js';
import type { Poll } from './types.js';

const MAX = 100_000_000;
const figuresOf = (r: Poll['results']) => Object.fromEntries(r.options.map((o) => [o.id, String(o.startingVotes ?? 0)]));

/**
 * "Số liệu ban đầu": votes per option a poll brings from an old system. They are added to the results people
 * see and written in their own column of every export; the ballots cast here stay as they are.
 */
export function StartingFigures(props: { poll: Poll; onSaved: (p: Poll) => void }) {
  const { results } = props.poll;
  const [values, setValues] = useState(() => figuresOf(results));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [msg, setMsg] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const key = results.options.map((o) => `${o.id}:${o.startingVotes ?? 0}`).join();
  // Saved figures that change elsewhere (another admin, the CLI) show once the poll is read again.
  useEffect(() => setValues(figuresOf(results)), [key]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setMsg(null);
    setErrors({});
    try {
      const figures = Object.fromEntries(results.options.map((o) => [o.id, Number(values[o.id] || 0)]));
      const p = await api<Poll>('PUT', `/v1/admin/polls/${encodeURIComponent(props.poll.id)}/starting-figures`, { figures });
      props.onSaved(p);
      setMsg({ text: t('start.saved', { n: (p.results.startingTotal ?? 0).toLocaleString('vi-VN') }), error: false });
    } catch (err) {
      const fields: Record<string, string> = {};
      if (err instanceof ApiError && err.code === 'validation_failed')
        for (const x of (err.body?.errors as { field: string }[] | undefined) ?? []) {
          const m = /^figures\.(.+)$/.exec(x.field);
          if (m) fields[m[1]!] = t('start.bad', { max: MAX.toLocaleString('vi-VN') });
        }
      if (Object.keys(fields).length) {
        setErrors(fields);
        document.getElementById(`start-opt-${Object.keys(fields)[0]}`)?.focus();
      } else setMsg({ text: errorText(err), error: true });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="starting" onSubmit={submit} aria-labelledby="start-title">
      <h3 id="start-title">{t('start.title')}</h3>
      <p id="start-hint" class="hint">{t('start.hint')}</p>
      <p class="muted">
        {results.startingTotal
          ? t('start.current', { n: results.startingTotal.toLocaleString('vi-VN'), total: results.total.toLocaleString('vi-VN') })
          : t('start.none')}
      </p>
      {results.options.map((o) => {
        const id = `start-opt-${o.id}`;
        const err = errors[o.id];
        return (
          <div key={o.id} class="start-row">
            <label for={id} dir="auto">{o.label}</label>
            <input id={id} type="number" inputMode="numeric" required min={0} max={MAX} step={1} value={values[o.id]}
              aria-describedby={err ? `start-hint ${id}-err` : 'start-hint'} aria-invalid={err ? true : undefined}
              onInput={(e) => setValues({ ...values, [o.id]: e.currentTarget.value })} />
            {err && <p id={`${id}-err`} class="field-error" role="alert">{err}</p>}
          </div>
        );
      })}
      {msg && <p class={msg.error ? 'error' : 'notice'} role={msg.error ? 'alert' : 'status'}>{msg.text}</p>}
      <div class="buttons"><button type="submit" class="primary" disabled={busy}>{t('start.save')}</button></div>
    </form>
  );
}
