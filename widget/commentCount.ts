import type { CommentCounts } from '../src/api/comments.js';
import { enc } from './api.js';
import { report } from './dom.js';
import type { Ctx } from './types.js';

/** As the server takes a key (NFC, trimmed), so its answer is found again. */
const norm = (k: string) => k.normalize('NFC').trim();
/** The server's limit per request, and a URL every proxy accepts. */
const MAX_KEYS = 50;
const MAX_URL = 1800;

type Waiting = { ctx: Ctx; els: Map<string, HTMLElement[]> };
const waiting = new Map<string, Waiting>();

function ask(site: string, w: Waiting): void {
  const keys = [...w.els.keys()];
  const base = `v1/sites/${enc(site)}/comment-counts?`;
  let batch: string[] = [];
  let len = base.length;
  const send = () => {
    if (!batch.length) return;
    const asked = batch;
    w.ctx
      .api<CommentCounts>(base + asked.map((k) => `thread=${enc(k)}`).join('&'))
      .then(({ counts }) => {
        for (const k of asked) {
          const n = counts[k];
          if (typeof n === 'number') for (const el of w.els.get(k)!) el.textContent = w.ctx.loc.num(n);
        }
      })
      .catch(() => undefined); // the page keeps what it had (often nothing, or its own cached figure)
    batch = [];
    len = base.length;
  };
  for (const k of keys) {
    const part = enc(k).length + 8;
    if (batch.length === MAX_KEYS || (batch.length && len + part > MAX_URL)) send();
    batch.push(k);
    len += part;
  }
  send();
}

/**
 * `<span data-ykien-comment-count="THREAD">` beside each title of an article list: the thread's
 * visible comments ("Ý kiến (3)"), every span of one page asked together in one request per site.
 */
export function mountCommentCount(el: HTMLElement, ctx: Ctx): void {
  const site = ctx.site;
  if (!site) return;
  const key = norm(el.getAttribute('data-ykien-comment-count') || location.pathname || '/');
  let w = waiting.get(site);
  if (!w) {
    const fresh: Waiting = { ctx, els: new Map() };
    waiting.set(site, fresh);
    w = fresh;
    // Spans mounted in the same pass join the same request.
    queueMicrotask(() => {
      waiting.delete(site);
      try {
        ask(site, fresh);
      } catch (e) {
        report(e);
      }
    });
  }
  const list = w.els.get(key) ?? [];
  list.push(el);
  w.els.set(key, list);
}
