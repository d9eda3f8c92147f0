import { useEffect, useRef } from 'preact/hooks';

/** Whether a key press belongs to a field being typed in (never a shortcut then). */
export function typing(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null;
  if (!el || !(el instanceof HTMLElement)) return false;
  const tag = el.tagName;
  return el.isContentEditable || tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

/** Single-key shortcuts on the document while mounted; not while typing, nor with Ctrl/Alt/Meta held. */
export function useShortcuts(map: Record<string, () => void>, enabled = true) {
  const current = useRef(map);
  current.current = map;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.altKey || e.metaKey || typing(e)) return;
      const f = current.current[e.key];
      if (!f) return;
      e.preventDefault();
      f();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [enabled]);
}
