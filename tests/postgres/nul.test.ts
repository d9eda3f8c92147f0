// PostgreSQL only: what SQLite stores (text with U+0000) PostgreSQL cannot, so only this backend has
// a write to refuse. The store wrapper (src/storage/postgres/db.ts) makes it a 400, never the driver's 22021.
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgresStorage, type PostgresStorage } from '../../src/storage/postgres/index.js';
import { auditOf, freshPostgresUrl, seedSite } from '../storage/backends.js';

let s: PostgresStorage | undefined;
let drop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await s?.close();
  await drop?.();
});

describe('U+0000 in a PostgreSQL write', () => {
  it('is a 400 validation_failed that writes nothing, where the driver gave a 500', async () => {
    const db = await freshPostgresUrl();
    drop = db.drop;
    s = await openPostgresStorage(db.url, { size: 2, statementTimeoutMs: 10_000, ssl: 'off' });
    await seedSite(s, 'xa-a');
    const write = s.sites.change(['xa-b'], 1_780_000_000_000, () => ({
      writes: [{ insert: { id: 'xa-b', name: 'Xã\u0000B', origins: [], timezone: 'Asia/Ho_Chi_Minh', premoderation: true } }],
      audit: [auditOf('site.create')],
      result: undefined,
    }));
    await expect(write).rejects.toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await s.sites.get('xa-b')).toBeUndefined();
    expect(await s.audit.list({ sites: null, limit: 10 })).toEqual([]);
  });
});
