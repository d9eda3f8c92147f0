import { useEffect } from 'preact/hooks';

/**
 * Keeps one poll's or survey's admin results current while its page is open: the admin live stream
 * (GET /v1/admin/live, with the session cookie), or a read every 15 s where the stream is refused.
 */
export function useLiveResults<T>(kind: 'poll' | 'survey', id: string, onResults: (results: T) => void, refresh: () => Promise<unknown>): void {
  useEffect(() => {
    let timer: ReturnType<typeof setInterval> | undefined;
    const poll = () => {
      timer ??= setInterval(() => {
        if (document.visibilityState !== 'hidden') void refresh().catch(() => undefined);
      }, 15_000);
    };
    if (typeof EventSource !== 'function') {
      poll();
      return () => clearInterval(timer);
    }
    const es = new EventSource(`/v1/admin/live?${kind}=${encodeURIComponent(id)}`);
    es.addEventListener(kind, (e) => {
      try {
        const m = JSON.parse((e as MessageEvent<string>).data) as { id: string; results: T };
        if (m.id === id) onResults(m.results);
      } catch {
        /* a malformed event changes nothing */
      }
    });
    es.onerror = () => {
      if (es.readyState === EventSource.CLOSED) poll();
    };
    return () => {
      es.close();
      clearInterval(timer);
    };
  }, [kind, id]);
}
