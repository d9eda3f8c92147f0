import { h, typed } from './dom.js';
import { percent, type Locale } from './i18n.js';
import type { Results } from './types.js';

/**
 * The portal's results box: each option with a bar, its percent and its count, then the
 * total. Bars are decoration (aria-hidden); the same figures are written out as text.
 */
export function resultsView(question: string, r: Results, loc: Locale): HTMLElement {
  const { t, num } = loc;
  const title = h('p', { class: 'rt', tabindex: -1 }, t.resultsTitle);
  return h(
    'div',
    { class: 'res' },
    title,
    typed('p', 'q', question),
    h(
      'ul',
      { class: 'rl' },
      ...r.options.map((o) => {
        const fill = h('span', { class: 'fill' });
        // CSSOM, not a style attribute: allowed under a strict style-src.
        requestAnimationFrame(() => fill.style.setProperty('width', `${Math.max(0, Math.min(100, o.percent))}%`));
        return h(
          'li',
          null,
          typed('span', 'ol', o.label),
          h('span', { class: 'bar', 'aria-hidden': 'true' }, fill),
          h('span', { class: 'num' }, h('span', { class: 'pc' }, percent(o.percent)), h('span', { class: 'vc' }, t.votes(num(o.votes)))),
        );
      }),
    ),
    h('p', { class: 'tot' }, t.total(num(r.total))),
  );
}
