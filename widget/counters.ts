import { enc } from './api.js';
import { browserId } from './storage.js';
import type { Ctx } from './types.js';

interface Figures {
  views?: number;
  siteVisits: number;
  online: number;
}

const views = new Map<string, Promise<Figures>>();
const siteFigures = new Map<string, Promise<Figures>>();

/** The page key when the span names none: the page's path as the browser gives it (as the comments widget does). */
const here = () => location.pathname || '/';

/**
 * Counter spans write into the host page itself (they sit inside its text, in its
 * style): `data-ykien-views="PAGE"` counts this view and shows the page's views;
 * `data-ykien-site-visits` and `data-ykien-online` show the site's figures.
 */
export function mountCounter(el: HTMLElement, ctx: Ctx): void {
  const site = ctx.site;
  if (!site) return;
  const base = `v1/sites/${enc(site)}`;
  const show = (n: number | undefined) => {
    if (typeof n === 'number') el.textContent = ctx.loc.num(n);
  };
  const done = (p: Promise<Figures>, pick: (f: Figures) => number | undefined) => p.then((f) => show(pick(f)), () => undefined);

  if (el.hasAttribute('data-ykien-views')) {
    const page = el.getAttribute('data-ykien-views') || here();
    const key = `${site} ${page}`;
    let p = views.get(key);
    if (!p) {
      // One counted view per page load, however many spans show it.
      const url = `${base}/pages/${enc(page)}/views`;
      // If counting is refused (rate limit), still show the figures.
      p = ctx.api<Figures>(url, { visitorId: browserId('visitor') }).catch(() => ctx.api<Figures>(url));
      views.set(key, p);
      if (!siteFigures.has(site)) siteFigures.set(site, p);
    }
    void done(p, (f) => f.views);
    return;
  }
  let p = siteFigures.get(site);
  if (!p) {
    p = ctx.api<Figures>(`${base}/stats`);
    siteFigures.set(site, p);
  }
  void done(p, (f) => (el.hasAttribute('data-ykien-online') ? f.online : f.siteVisits));
}
