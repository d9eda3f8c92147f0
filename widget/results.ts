import { h, typed } from './dom.js';
import { percent, type Locale } from './i18n.js';
import type { Results } from './types.js';

export interface Bar {
  label: string;
  percent: number;
  /** The count as written out, e.g. "5 Phiếu". */
  count: string;
}

/**
 * Rows of labelled bars with their percent and count. Bars are decoration (aria-hidden); the
 * same figures are written out as text.
 */
export function bars(rows: Bar[]): HTMLUListElement {
  return h(
    'ul',
    { class: 'rl' },
    ...rows.map((o) => {
      const fill = h('span', { class: 'fill' });
      // CSSOM, not a style attribute: allowed under a strict style-src.
      requestAnimationFrame(() => fill.style.setProperty('width', `${Math.max(0, Math.min(100, o.percent))}%`));
      return h(
        'li',
        null,
        typed('span', 'ol', o.label),
        h('span', { class: 'bar', 'aria-hidden': 'true' }, fill),
        h('span', { class: 'num' }, h('span', { class: 'pc' }, percent(o.percent)), h('span', { class: 'vc' }, o.count)),
      );
    }),
  );
}

/** The portal's results box: each option with a bar, its percent and its count, then the total. */
export function resultsView(question: string, r: Results, loc: Locale): HTMLElement {
  const { t, num } = loc;
  const title = h('p', { class: 'rt', tabindex: -1 }, t.resultsTitle);
  return h(
    'div',
    { class: 'res' },
    title,
    typed('p', 'q', question),
    bars(r.options.map((o) => ({ label: o.label, percent: o.percent, count: t.votes(num(o.votes)) }))),
    h('p', { class: 'tot' }, t.total(num(r.total))),
  );
}
