import { useRef, useState } from 'preact/hooks';
import { t } from './i18n.js';

/**
 * Text to copy: always in a readonly textarea (select it and copy by hand where the Clipboard API is
 * refused: an http:// console, an old browser), with a "Sao chép" button and a visible, announced confirmation.
 */
export function CopyBox(props: { id: string; label: string; text: string; rows?: number; mono?: boolean }) {
  const [state, setState] = useState<'idle' | 'done' | 'failed'>('idle');
  const box = useRef<HTMLTextAreaElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text);
      setState('done');
    } catch {
      box.current?.select();
      setState('failed');
    }
  };
  return (
    <div class="copy-box">
      <label for={props.id}>{props.label}</label>
      <textarea id={props.id} ref={box} class={props.mono === false ? undefined : 'code'} rows={props.rows ?? 3} readOnly value={props.text} onFocus={(e) => e.currentTarget.select()} />
      <div class="buttons">
        <button type="button" onClick={() => void copy()} aria-label={`${t('copy.copy')}: ${props.label}`} aria-describedby={`${props.id}-status`}>
          {t('copy.copy')}
        </button>
        <span id={`${props.id}-status`} role="status" class={state === 'failed' ? 'copy-status error-text' : 'copy-status'}>
          {state === 'done' ? `✓ ${t('copy.done')}` : state === 'failed' ? t('copy.failed') : ''}
        </span>
      </div>
    </div>
  );
}
