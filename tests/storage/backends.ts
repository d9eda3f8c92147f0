import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, inject } from 'vitest';
import type { AuditRecord } from '../../src/audit/audit.store.js';
import type { Storage } from '../../src/storage/storage.js';
import { openPostgresStorage } from '../../src/storage/postgres/index.js';
import { openSqliteStorage } from '../../src/storage/sqlite/index.js';

/**
 * The backends every store contract runs against. A contract test opens a fresh, migrated, empty
 * storage with `open()`; it is closed and removed after the test. Add a backend here and every
 * contract in tests/storage/ runs against it unchanged.
 */
export interface Backend {
  name: string;
  open(): Promise<Storage>;
}

/** How to open another storage on the same database as one `open()` gave: a second instance of the service. */
const another = new WeakMap<Storage, () => Promise<Storage>>();

/** A second storage on the database of `first` (as a second process would open it); closed after the test. */
export function openAnother(first: Storage): Promise<Storage> {
  const open = another.get(first);
  if (!open) throw new Error('openAnother: this storage was not opened by a backend of tests/storage/backends.ts');
  return open();
}

const opened: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (opened.length) await opened.pop()!();
});

export const sqlite: Backend = {
  name: 'sqlite',
  async open() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ykien-contract-'));
    const file = path.join(dir, 'ykien.db');
    const storage = openSqliteStorage(file);
    opened.push(async () => {
      await storage.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    another.set(storage, async () => {
      const s = openSqliteStorage(file);
      opened.push(() => s.close());
      return s;
    });
    return storage;
  },
};

let databases = 0;

/** A fresh database, copied from the migrated template, on the run's PostgreSQL server; dropped after the test. */
export async function freshPostgresUrl(): Promise<{ url: string; drop(): Promise<void> }> {
  const { adminUrl, template, urlOf } = inject('postgres');
  const name = `t_${process.pid}_${++databases}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  return {
    url: `${urlOf}${name}`,
    async drop() {
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      try {
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

export const postgres: Backend = {
  name: 'postgres',
  async open() {
    const db = await freshPostgresUrl();
    const options = { size: 10, statementTimeoutMs: 5_000, ssl: 'off' } as const;
    const storage = await openPostgresStorage(db.url, options);
    opened.push(async () => {
      await storage.close();
      await db.drop();
    });
    another.set(storage, async () => {
      const s = await openPostgresStorage(db.url, options);
      opened.push(() => s.close());
      return s;
    });
    return storage;
  },
};

export const BACKENDS: Backend[] = [sqlite, postgres];

/** One describe block per backend: `forEachBackend('polls store', (open) => { it(…) })`. */
export function forEachBackend(name: string, body: (open: () => Promise<Storage>) => void): void {
  for (const backend of BACKENDS) describe(`${name} [${backend.name}]`, () => body(() => backend.open()));
}

/** An audit entry for a contract test; `action` tells which one it was. */
export const auditOf = (action: string, at = 1_780_000_000_000, siteId: string | null = 'xa-a'): AuditRecord => ({
  at,
  actorId: 'k1',
  actorName: 'Kiểm thử',
  action,
  targetType: 'test',
  targetId: null,
  siteId,
  detail: { n: 1 },
});

/** Creates site `id` straight through the sites store (what every other store's rows hang from). */
export async function seedSite(storage: Storage, id = 'xa-a', at = 1_780_000_000_000): Promise<void> {
  await storage.sites.change([id], at, () => ({
    writes: [{ insert: { id, name: `Xã ${id}`, origins: [], timezone: 'Asia/Ho_Chi_Minh', premoderation: true } }],
    audit: [],
    result: undefined,
  }));
}
