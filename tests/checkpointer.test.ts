import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startCheckpointer } from '../src/storage/sqlite/checkpointer.js';
import { tempDatabase } from './helpers/app.js';

describe('WAL checkpointer', () => {
  it('folds the WAL back into the database from its worker thread, not in the writer', async () => {
    const { db, file } = tempDatabase();
    const cp = startCheckpointer(db, file, { intervalMs: 50 });
    try {
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(20_000);
      db.exec('CREATE TABLE t (x BLOB)');
      const ins = db.prepare('INSERT INTO t VALUES (randomblob(3000))');
      for (let i = 0; i < 300; i++) ins.run();
      // The writer's own automatic checkpoint is far away; only the worker can have copied these frames.
      // Read the WAL index without touching the database (any checkpoint call would do the work
      // itself): mxFrame (offset 16) is the last frame written, nBackfill (offset 96) the last
      // one copied into the database file (https://sqlite.org/walformat.html).
      const walIndex = () => {
        const shm = fs.readFileSync(`${file}-shm`);
        return { mxFrame: shm.readUInt32LE(16), nBackfill: shm.readUInt32LE(96) };
      };
      expect(walIndex().mxFrame).toBeGreaterThan(300);
      await expect.poll(() => walIndex().nBackfill, { timeout: 5_000 }).toBe(walIndex().mxFrame);
    } finally {
      await cp.stop();
    }
    expect(db.prepare('SELECT COUNT(*) FROM t').pluck().get()).toBe(300);
  });
});
