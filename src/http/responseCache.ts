import { createHash } from 'node:crypto';
import type { Response } from 'express';

export interface ResponseCache {
  /**
   * Sends the JSON answer stored under `key`, or builds it (build() may throw an AppError: nothing is
   * stored then). Sets a strong ETag, so If-None-Match gets a 304 from Express.
   */
  json(res: Response, key: string, build: () => unknown): Promise<void>;
  /**
   * The answer stored under `key` as of now (the version checked), not counted as a lookup: the fast
   * lane (src/http/lane/) asks before it commits to a request, and again right before it sends.
   */
  peek(key: string): Promise<CachedAnswer | undefined>;
  /** Sends an answer peek() gave exactly as json() sends a hit, counted as one. */
  sendHit(res: Response, entry: CachedAnswer): void;
  /** Counts a hit the fast lane sent itself (the headers sendHit sets, the same 304 rule as Express's). */
  countHit(): void;
}

export interface CachedAnswer {
  readonly body: Buffer;
  readonly etag: string;
}

interface Entry {
  /** UTF-8 bytes, encoded once: sending a Buffer skips Express's charset rewrite and re-encoding per request. */
  body: Buffer;
  etag: string;
}

/**
 * Serialized answers of hot public reads (a poll, its results, a thread's comments), kept until the
 * stored data changes: storage's `version()` moves with every write, from this process or another
 * (src/storage/storage.ts), except a counted view's (no answer here is built from the view counters),
 * and a moved version empties the whole cache, so an answer is never staler than the last write. An
 * answer built while the version moved is sent but not kept: it may hold data from before that write.
 * Keys must name everything else the answer depends on (the voter's state, the poll's status at this
 * moment, the cursor, …).
 */
export function responseCache(
  version: () => number | Promise<number>,
  opts: { maxEntries?: number; maxBytes?: number; /** Each lookup: answered from the cache, or built (metrics). */ onLookup?: (hit: boolean) => void } = {},
): ResponseCache {
  const { maxEntries = 1_000, maxBytes = 8 * 1024 * 1024, onLookup } = opts;
  let seen = Number.NaN;
  const entries = new Map<string, Entry>();
  let bytes = 0;
  const current = async () => {
    const v = await version();
    if (v !== seen) {
      entries.clear();
      bytes = 0;
      seen = v;
    }
    return v;
  };
  const send = (res: Response, entry: Entry) => {
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('ETag', entry.etag);
    res.send(entry.body);
  };

  return {
    async json(res, key, build) {
      const before = await current();
      const hit = entries.get(key);
      onLookup?.(hit !== undefined);
      if (hit) return send(res, hit);
      const body = Buffer.from(JSON.stringify(await build()), 'utf8');
      const entry = { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
      if ((await current()) === before) {
        if (entries.size >= maxEntries || bytes + body.length > maxBytes) {
          entries.clear();
          bytes = 0;
        }
        entries.set(key, entry);
        bytes += body.length;
      }
      send(res, entry);
    },
    async peek(key) {
      await current();
      return entries.get(key);
    },
    sendHit(res, entry) {
      onLookup?.(true);
      send(res, entry);
    },
    countHit() {
      onLookup?.(true);
    },
  };
}

/** For routers built without a cache (tests of a single router): builds every time. */
export const noResponseCache: ResponseCache = {
  async json(res, _key, build) {
    res.json(await build());
  },
  peek: async () => undefined,
  sendHit: () => {
    throw new Error('noResponseCache holds no answer to send');
  },
  countHit: () => {
    throw new Error('noResponseCache holds no answer to count');
  },
};
