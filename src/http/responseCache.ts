import { createHash } from 'node:crypto';
import type { Response } from 'express';
import type { Db } from '../db/open.js';

export interface ResponseCache {
  /**
   * Sends the JSON answer stored under `key`, or builds it (build() may throw an AppError:
   * nothing is stored then). Sets a strong ETag, so If-None-Match gets a 304 from Express.
   */
  json(res: Response, key: string, build: () => unknown): void;
}

interface Entry {
  /** UTF-8 bytes, encoded once: sending a Buffer skips Express's charset rewrite and re-encoding per request. */
  body: Buffer;
  etag: string;
}

/**
 * Serialized answers of hot public reads (a poll, its results, a thread's comments), kept until
 * the database changes: any row written by this connection (SQLite total_changes()) or committed
 * by another one (PRAGMA data_version) empties the whole cache, so an answer is never staler than
 * the last write. A hit costs two tiny SQL calls and a Map lookup instead of the queries,
 * JSON.stringify and hashing the body for the ETag. Keys must name everything else the answer
 * depends on (the voter's state, the poll's status at this moment, the cursor, …).
 */
export function responseCache(db: Db, maxEntries = 1_000, maxBytes = 8 * 1024 * 1024): ResponseCache {
  const changes = db.prepare('SELECT total_changes()').pluck();
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  let seenChanges = -1;
  let seenVersion = -1;
  const entries = new Map<string, Entry>();
  let bytes = 0;

  return {
    json(res, key, build) {
      const c = changes.get() as number;
      const v = dataVersion.get() as number;
      if (c !== seenChanges || v !== seenVersion) {
        entries.clear();
        bytes = 0;
        seenChanges = c;
        seenVersion = v;
      }
      let entry = entries.get(key);
      if (!entry) {
        const body = Buffer.from(JSON.stringify(build()), 'utf8');
        entry = { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
        if (entries.size >= maxEntries || bytes + body.length > maxBytes) {
          entries.clear();
          bytes = 0;
        }
        entries.set(key, entry);
        bytes += body.length;
      }
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('ETag', entry.etag);
      res.send(entry.body);
    },
  };
}

/** For routers built without a cache (tests of a single router): builds every time. */
export const noResponseCache: ResponseCache = {
  json(res, _key, build) {
    res.json(build());
  },
};
