import pg from 'pg';
import { sslOptions, type PoolOptions } from './pool.js';

/** The channel every write transaction notifies on commit (pg_notify is delivered only if the transaction commits). */
export const CHANNEL = 'ykien_changes';

/**
 * The change version across instances: bumped by this instance's own commits at once, and by every other
 * instance's through LISTEN on a connection of its own. While that connection is down, nobody can tell what
 * the others wrote, so the version moves on every read (no cached answer survives) until it is back;
 * reconnecting, and losing it, each bump it too, so nothing cached across the gap is served.
 */
export function changeFeed(url: string, o: Pick<PoolOptions, 'ssl' | 'caFile'>, opts: { onError?: (err: unknown) => void; retryMs?: number } = {}) {
  let version = 0;
  let listening = false;
  let closed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;

  const lost = (err?: unknown) => {
    if (!listening && !client) return;
    listening = false;
    version++;
    client?.removeAllListeners();
    client?.end().catch(() => undefined);
    client = undefined;
    if (err) opts.onError?.(err);
    schedule();
  };
  const schedule = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, opts.retryMs ?? 1_000);
    retry.unref();
  };
  async function connect(): Promise<void> {
    if (closed || client) return;
    const c = new pg.Client({ connectionString: url, ssl: sslOptions(o), application_name: 'ykien-listen' });
    client = c;
    c.on('error', (err) => lost(err));
    c.on('end', () => lost());
    c.on('notification', () => void version++);
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANNEL}`);
      listening = true;
      version++;
    } catch (err) {
      if (client === c) {
        client = undefined;
        c.removeAllListeners();
        c.end().catch(() => undefined);
      }
      opts.onError?.(err);
      schedule();
    }
  }

  return {
    /** Starts listening; resolves once the first attempt has connected or failed (failures are retried). */
    start: () => connect(),
    /** Call after this instance committed a write. */
    bump: () => void version++,
    version: () => (listening ? version : ++version),
    listening: () => listening,
    async close(): Promise<void> {
      closed = true;
      clearTimeout(retry);
      const c = client;
      client = undefined;
      listening = false;
      c?.removeAllListeners();
      await c?.end().catch(() => undefined);
    },
  };
}

export type ChangeFeed = ReturnType<typeof changeFeed>;
