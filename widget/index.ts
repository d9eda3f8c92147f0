/**
 * ykien widget: one script tag, then
 *   <div data-ykien-poll="POLL_ID"></div>
 *   <div data-ykien-comments="THREAD_KEY" data-ykien-site="SITE_ID"></div>
 *   <span data-ykien-views="PAGE_KEY" data-ykien-site="SITE_ID"></span>
 *   <div data-ykien-survey="SURVEY_ID"></div>   (loads the survey chunk, survey.js, on first use)
 *   <span data-ykien-comment-count="THREAD_KEY" data-ykien-site="SITE_ID"></span>   (an article list's "Ý kiến (3)")
 * The service's address comes from this script's own src. Nothing here ever throws into the page.
 */
import { client } from './api.js';
import { mountCommentCount } from './commentCount.js';
import { mountComments } from './comments.js';
import { mountCounter } from './counters.js';
import { report } from './dom.js';
import { locale } from './i18n.js';
import { liveResults, type Watch } from './live.js';
import { mountPoll } from './poll.js';
import { browserId } from './storage.js';
import { surveyChunk } from './survey.loader.js';
import type { Ctx } from './types.js';

declare const __VERSION__: string;

interface Ykien {
  mount(el?: Element | Document | null): void;
  version: string;
}

const SELECTOR = '[data-ykien-poll],[data-ykien-survey],[data-ykien-comments],[data-ykien-comment-count],[data-ykien-views],[data-ykien-site-visits],[data-ykien-online]';

function boot(): void {
  const w = window as unknown as { ykien?: Ykien };
  if (w.ykien) return; // loaded twice: the first copy already mounts everything

  const script = (document.currentScript ||
    document.querySelector('script[src*="widget"][src$=".js"]')) as HTMLScriptElement | null;
  const src = script?.src || location.href;
  const base = new URL('.', src).href;
  const api = client(base);
  const fromScript = (name: string) => script?.getAttribute(name) ?? null;
  const mounted = new WeakSet<Element>();
  const streams: Record<string, Watch> = {};
  const live = (site: string) => (streams[site] ??= liveResults(base, site, browserId('voter')));

  const mountOne = (el: HTMLElement) => {
    if (mounted.has(el)) return;
    mounted.add(el);
    const attr = (name: string) => el.getAttribute(name) || fromScript(name);
    const ctx: Ctx = {
      api,
      base,
      loc: locale(attr('data-ykien-lang'), attr('data-ykien-tz')),
      site: attr('data-ykien-site'),
      live,
    };
    try {
      if (el.hasAttribute('data-ykien-poll')) mountPoll(el, ctx);
      else if (el.hasAttribute('data-ykien-survey')) surveyChunk(el, ctx, script);
      else if (el.hasAttribute('data-ykien-comments')) mountComments(el, ctx);
      else if (el.hasAttribute('data-ykien-comment-count')) mountCommentCount(el, ctx);
      else mountCounter(el, ctx);
    } catch (e) {
      report(e);
    }
  };

  const mount = (root?: Element | Document | null) => {
    try {
      const r = root || document;
      const els: HTMLElement[] = [];
      if (r instanceof HTMLElement && r.matches(SELECTOR)) els.push(r);
      r.querySelectorAll<HTMLElement>(SELECTOR).forEach((el) => els.push(el));
      // Views first: their answer also carries the site's figures.
      els.sort((a, b) => Number(b.hasAttribute('data-ykien-views')) - Number(a.hasAttribute('data-ykien-views')));
      els.forEach(mountOne);
    } catch (e) {
      report(e);
    }
  };

  w.ykien = { mount, version: __VERSION__ };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => mount());
  else mount();
}

try {
  boot();
} catch (e) {
  report(e);
}
