import { css } from './styles.js';

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined>;

/** Creates an element. Text goes in through text nodes only: nothing is ever parsed as HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs)
    for (const k in attrs) {
      const v = attrs[k];
      if (v === true) el.setAttribute(k, '');
      else if (v !== false && v !== null && v !== undefined) el.setAttribute(k, String(v));
    }
  for (const c of children) if (c || c === '') el.append(c);
  return el;
}

/** Reports a failure without letting it reach the host page. */
export function report(err: unknown): void {
  try {
    console.warn('[ykien]', err);
  } catch {
    /* nothing left to do */
  }
}

/** Wraps an event handler or callback so nothing it throws (or rejects) escapes to the host page. */
export function safe<A extends unknown[]>(fn: (...a: A) => unknown): (...a: A) => void {
  return (...a: A) => {
    try {
      const r = fn(...a);
      if (r && typeof (r as Promise<unknown>).catch === 'function') (r as Promise<unknown>).catch(report);
    } catch (e) {
      report(e);
    }
  };
}

export function on(el: EventTarget, type: string, fn: (e: Event) => unknown): void {
  el.addEventListener(type, safe(fn));
}

const sheets: Record<string, CSSStyleSheet | null> = {};

/** One shared constructable stylesheet per text, or null where the browser has none. */
function sheetOf(text: string): CSSStyleSheet | null {
  if (!(text in sheets)) {
    try {
      const s = new CSSStyleSheet();
      s.replaceSync(text);
      sheets[text] = s;
    } catch {
      sheets[text] = null;
    }
  }
  return sheets[text]!;
}

/**
 * An open shadow root with the widget's styles (and `extra`, a chunk's own): shared constructable
 * stylesheets where the browser has them (no CSP needed), <style> elements otherwise.
 */
export function shadow(host: HTMLElement, extra?: string): ShadowRoot {
  const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
  root.textContent = '';
  const texts = extra ? [css, extra] : [css];
  const adopted = texts.map(sheetOf);
  if ('adoptedStyleSheets' in root && adopted.every(Boolean)) root.adoptedStyleSheets = adopted as CSSStyleSheet[];
  else for (const text of texts) root.append(h('style', null, text));
  return root;
}

/**
 * Text a person typed (a name, an address, a comment): its own direction (dir=auto) and, by the
 * stylesheet, bidi isolation, so it can neither reorder the text around it nor be reordered.
 */
export function typed<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string | null, text: string): HTMLElementTagNameMap[K] {
  return h(tag, { class: cls, dir: 'auto' }, text);
}

/** Replaces an element's children. */
export function fill(el: Element, ...children: Child[]): void {
  el.textContent = '';
  for (const c of children) if (c || c === '') el.append(c);
}
