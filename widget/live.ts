import { enc } from './api.js';
import { safe } from './dom.js';

export type LiveKind = 'poll' | 'survey';
/** Results as they change; `refresh` reads them the ordinary way when the page must poll instead. */
export type Watch = (kind: LiveKind, id: string, show: (results: never) => void, refresh: () => Promise<unknown>) => void;

const POLL_MS = 30_000;

interface Topic {
  show: Set<(r: never) => void>;
  refresh: () => Promise<unknown>;
}

/**
 * One live results stream per site for the whole page, however many polls and surveys it shows
 * (browsers allow few connections per server); a widget added later reopens it with the new set.
 * Where the stream is refused (a limit, an old browser, a proxy), the page polls every 30 s while it is visible.
 */
export function liveResults(base: string, site: string, reader: string): Watch {
  const topics = new Map<string, Topic>();
  let es: EventSource | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let queued = false;

  const poll = () => {
    es?.close();
    es = undefined;
    timer ??= setInterval(() => {
      if (document.visibilityState !== 'hidden') topics.forEach((t) => void t.refresh().catch(() => undefined));
    }, POLL_MS);
  };
  const open = () => {
    queued = false;
    if (timer) return;
    if (typeof EventSource !== 'function') return poll();
    es?.close();
    const q = [...topics.keys()].map((k) => k.replace(' ', '=')).join('&');
    const s = new EventSource(`${base}v1/sites/${enc(site)}/live?${q}&voterId=${enc(reader)}&respondentId=${enc(reader)}`);
    es = s;
    const on = (kind: LiveKind) =>
      s.addEventListener(
        kind,
        safe((e: MessageEvent<string>) => {
          const m = JSON.parse(e.data) as { id: string; results: never };
          topics.get(`${kind} ${enc(m.id)}`)?.show.forEach((f) => f(m.results));
        }),
      );
    on('poll');
    on('survey');
    // A refusal (limit, hidden results) closes it for good; a dropped connection is retried by the browser.
    s.onerror = () => s.readyState === 2 && poll();
  };

  return (kind, id, show, refresh) => {
    const key = `${kind} ${enc(id)}`;
    const t = topics.get(key) ?? { show: new Set(), refresh };
    t.show.add(show);
    if (topics.has(key)) return;
    topics.set(key, t);
    if (!queued) {
      queued = true;
      queueMicrotask(open);
    }
  };
}
