import { useState } from 'preact/hooks';
import { api } from './api.js';
import { errorText } from './i18n.js';

export type Status = 'scheduled' | 'open' | 'closed';

export const StatusBadge = (props: { status: Status; label: string }) => <span class={`badge ${props.status}`}>{props.label}</span>;

/**
 * "Close" or "Reopen" for a poll or a survey (`base` is its admin URL): the server decides, the
 * button only asks; a refusal comes back in words through onError.
 */
export function CloseReopenButton(props: { base: string; status: Status; closeLabel: string; reopenLabel: string; onDone: () => void; onError: (text: string) => void }) {
  const [busy, setBusy] = useState(false);
  const closed = props.status === 'closed';
  const act = async () => {
    setBusy(true);
    props.onError('');
    try {
      await api('POST', `${props.base}/${closed ? 'reopen' : 'close'}`);
      props.onDone();
    } catch (err) {
      props.onError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return <button type="button" disabled={busy} onClick={() => void act()}>{closed ? props.reopenLabel : props.closeLabel}</button>;
}
