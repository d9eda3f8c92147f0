/** What a page watches: a poll's or a survey's results. */
export interface Topic {
  kind: 'poll' | 'survey';
  id: string;
}

/** Reads a topic's public results as `reader` may see them; throws when they are gone or hidden. */
export type ResultsSource = (topic: Topic, reader: string | undefined) => Promise<unknown>;

export interface LiveSubscriber {
  /** One server-sent event; the stream's own write. */
  send(event: string, data: string): void;
  /** Ends the stream (shutdown): the browser reconnects, through the proxy, to an instance that runs. */
  end(): void;
}

interface Watched {
  topic: Topic;
  /** Whose eyes the results are read with: the first subscriber's, who was allowed to see them. */
  reader: string | undefined;
  last: string | undefined;
  subscribers: Set<LiveSubscriber>;
}

const keyOf = (t: Topic) => `${t.kind}\0${t.id}`;

/**
 * Live results for every open stream of this process. One timer while anyone watches: it reads the
 * storage change version (which moves with every write, from this instance or another) and, when it
 * moved — or every `refreshMs`, for what time alone changes (a poll closing) — reads each watched
 * topic's results ONCE and sends them to its subscribers if they differ from what they last got.
 * So a thousand readers of one poll cost one results read per change, not a thousand.
 */
export function liveHub(deps: { version: () => number | Promise<number>; read: ResultsSource; now: () => number; tickMs: number; refreshMs: number; heartbeatMs: number }) {
  const watched = new Map<string, Watched>();
  const streams = new Set<LiveSubscriber>();
  let timer: NodeJS.Timeout | undefined;
  let seen = Number.NaN;
  let refreshedAt = 0;
  let lastBeat = 0;
  let ticking = false;

  const push = (w: Watched, body: string, only?: LiveSubscriber) => {
    for (const s of only ? [only] : w.subscribers) s.send(w.topic.kind, body);
  };

  async function refresh(w: Watched): Promise<void> {
    let body: string;
    try {
      body = JSON.stringify({ id: w.topic.id, results: await deps.read(w.topic, w.reader) });
    } catch {
      return; // gone, hidden now, or the database is away: the page keeps what it shows and tries nothing
    }
    if (body === w.last) return;
    w.last = body;
    push(w, body);
  }

  async function tick(): Promise<void> {
    if (ticking) return; // a slow database: never two rounds at once
    ticking = true;
    try {
      const v = await deps.version();
      const now = deps.now();
      if (v !== seen || now - refreshedAt >= deps.refreshMs) {
        seen = v;
        refreshedAt = now;
        for (const w of [...watched.values()]) if (w.subscribers.size) await refresh(w);
      }
      if (now - lastBeat >= deps.heartbeatMs) {
        lastBeat = now;
        // A comment line: keeps proxies and NATs from closing a quiet stream.
        for (const s of streams) s.send('', '');
      }
    } catch {
      /* the version could not be read: try again next tick */
    } finally {
      ticking = false;
    }
  }

  const start = () => {
    if (timer) return;
    lastBeat = deps.now();
    timer = setInterval(() => void tick(), deps.tickMs);
    timer.unref();
  };
  const stopIfIdle = () => {
    if (streams.size || !timer) return;
    clearInterval(timer);
    timer = undefined;
    seen = Number.NaN;
  };

  return {
    /** Open streams now (metrics, limits). */
    get size() {
      return streams.size;
    },
    /**
     * Watches the topics (already checked: they exist and this reader may see their results) and sends
     * their current results at once. Returns the unsubscribe.
     */
    async subscribe(topics: readonly { topic: Topic; reader: string | undefined }[], s: LiveSubscriber): Promise<() => void> {
      streams.add(s);
      start();
      const mine: Watched[] = [];
      for (const { topic, reader } of topics) {
        const key = keyOf(topic);
        let w = watched.get(key);
        if (!w) {
          w = { topic, reader, last: undefined, subscribers: new Set() };
          watched.set(key, w);
        }
        w.subscribers.add(s);
        mine.push(w);
        if (w.last === undefined) await refresh(w);
        else push(w, w.last, s);
      }
      return () => {
        streams.delete(s);
        for (const w of mine) {
          w.subscribers.delete(s);
          if (!w.subscribers.size) watched.delete(keyOf(w.topic));
        }
        stopIfIdle();
      };
    },
    /** Ends every stream (shutdown, before the server waits for its connections). */
    close(): void {
      for (const s of [...streams]) s.end();
      streams.clear();
      watched.clear();
      stopIfIdle();
    },
  };
}

export type LiveHub = ReturnType<typeof liveHub>;
