import { checkedAgainstDocument } from './openapi.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import request from 'supertest';
import { afterEach } from 'vitest';
import { createApp } from '../../src/app.js';
import { testConfig, type Config } from '../../src/config.js';
import { openSqliteStorage, type SqliteStorage } from '../../src/storage/sqlite/index.js';
import type { Db } from '../../src/storage/sqlite/open.js';
import { migrate } from '../../src/storage/sqlite/migrate.js';
import { MIGRATIONS_DIR } from '../../src/paths.js';
import type { Storage } from '../../src/storage/storage.js';
import { freshPostgresUrl } from '../storage/backends.js';
import { openPostgresStorage, type PostgresStorage } from '../../src/storage/postgres/index.js';

/**
 * The backend the API suites run on: SQLite, or PostgreSQL in the vitest project that sets
 * YKIEN_TEST_BACKEND=postgres (vitest.config.ts lists the suites it runs: those that look only through the API).
 */
export const TEST_BACKEND: 'sqlite' | 'postgres' = process.env.YKIEN_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';

export interface TestClock {
  now: () => number;
  set(ms: number): void;
  advance(ms: number): void;
}

export function testClock(start = Date.parse('2026-06-08T08:27:00Z')): TestClock {
  let t = start;
  return { now: () => t, set: (ms) => void (t = ms), advance: (ms) => void (t += ms) };
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** A fresh on-disk SQLite database (WAL, migrated) in a temp folder, removed after the test. */
export function tempDatabase(): { db: Db; file: string; dir: string; storage: SqliteStorage } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ykien-test-'));
  const file = path.join(dir, 'ykien.db');
  const storage = openSqliteStorage(file);
  const db = storage.db;
  cleanups.push(() => {
    if (db.open) db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { db, file, dir, storage };
}

/** The environment that points the CLI (or a second process) at a test app's database, on either backend. */
type DatabaseEnv = { DATABASE_PATH: string } | { DATABASE_URL: string };
const asyncCleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (asyncCleanups.length) await asyncCleanups.pop()!();
});

const PG_TEST_OPTIONS = { size: 5, statementTimeoutMs: 5_000, ssl: 'off' } as const;

/** A fresh PostgreSQL database, dropped after the test; suites that read SQLite directly do not run on it. */
async function postgresDatabase() {
  const pgdb = await freshPostgresUrl();
  const storage = await openPostgresStorage(pgdb.url, PG_TEST_OPTIONS);
  // A test may close the database itself (to see the service without it); the cleanup then closes nothing.
  const close = storage.close;
  let closed: Promise<void> | undefined;
  storage.close = () => (closed ??= close());
  asyncCleanups.push(async () => {
    await storage.close();
    await pgdb.drop();
  });
  const noSql = new Proxy({}, { get: () => { throw new Error('this suite reads SQLite directly: it cannot run on PostgreSQL'); } });
  const another = async () => {
    const s = await openPostgresStorage(pgdb.url, PG_TEST_OPTIONS);
    asyncCleanups.push(() => s.close());
    return s;
  };
  return { db: noSql as Db, file: '', dir: '', storage: storage as Storage, env: { DATABASE_URL: pgdb.url } as DatabaseEnv, another };
}

function sqliteDatabase() {
  const t = tempDatabase();
  const another = async () => {
    const s = openSqliteStorage(t.file);
    cleanups.push(() => void s.close());
    return s as Storage;
  };
  return { ...t, storage: t.storage as Storage, env: { DATABASE_PATH: t.file } as DatabaseEnv, another };
}

/**
 * SQL on a test's own database, in what both backends speak (`?` placeholders): tests look at rows
 * directly to prove what the API cannot show (nothing half-written, nothing stored that should not be).
 */
function sqlOn(db: Db, storage: Storage) {
  // `?` → `$1`, `$2`… for PostgreSQL, outside quoted text ('Câu hỏi?' stays as it is).
  const numbered = (sql: string) => {
    let n = 0;
    return sql.replace(/'(?:[^']|'')*'|\?/g, (m) => (m === '?' ? `$${++n}` : m));
  };
  const rows = async <R = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<R[]> => {
    if (TEST_BACKEND === 'sqlite') return db.prepare(sql).all(...params) as R[];
    return (await (storage as PostgresStorage).pool.query(numbered(sql), params)).rows as R[];
  };
  const value = async <V = unknown>(sql: string, ...params: unknown[]): Promise<V> => {
    const [first] = await rows(sql, ...params);
    return (first ? Object.values(first)[0] : undefined) as V;
  };
  const column = async <V = unknown>(sql: string, ...params: unknown[]): Promise<V[]> => (await rows(sql, ...params)).map((r) => Object.values(r as object)[0] as V);
  /** A statement that returns no rows (a test seeding rows the API cannot write: old data, bulk data). */
  const run = async (sql: string, ...params: unknown[]): Promise<void> => {
    if (TEST_BACKEND === 'sqlite') return void db.prepare(sql).run(...params);
    await (storage as PostgresStorage).pool.query(numbered(sql), params);
  };
  /** The service's tables (not the engine's own), by name. */
  const tables = () =>
    TEST_BACKEND === 'sqlite'
      ? column<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      : column<string>("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name");
  /** A table's columns, in their order. */
  const columns = (table: string) =>
    TEST_BACKEND === 'sqlite'
      ? column<string>('SELECT name FROM pragma_table_info(?) ORDER BY cid', table)
      : column<string>('SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position', table);
  return { backend: TEST_BACKEND, rows, value, column, run, tables, columns };
}

/**
 * A fresh, migrated, empty database on the test backend, with no app on it yet (a test writes what an older
 * version left, then starts the app on it); `config` is what points an app at it.
 */
export async function emptyDatabase() {
  const d = TEST_BACKEND === 'postgres' ? await postgresDatabase() : sqliteDatabase();
  return { storage: d.storage, config: (overrides: Partial<Config> = {}) => configFor(d, overrides), sql: sqlOn(d.db, d.storage) };
}

function configFor(d: { file: string; env: DatabaseEnv }, overrides: Partial<Config>): Config {
  return testConfig({ DATABASE_PATH: d.file || './unused.db', ...('DATABASE_URL' in d.env ? { DATABASE_URL: d.env.DATABASE_URL } : {}), ...overrides });
}

/** An app on its own fresh database, an admin key, and a supertest agent. */
export async function makeTestApp(overrides: Partial<Config> = {}, opts: { clock?: TestClock } = {}) {
  const d = TEST_BACKEND === 'postgres' ? await postgresDatabase() : sqliteDatabase();
  const { db, file, dir, storage, env: databaseEnv, another } = d;
  const config = configFor(d, overrides);
  const clock = opts.clock ?? testClock(Date.now());
  const app = await createApp({ storage, config, now: clock.now });
  const services = app.locals.services;
  const adminKey = (await services.keys.create({ name: 'Test admin', role: 'admin' })).key;
  // Every answer through `http` and `admin` is checked against the OpenAPI document (tests/helpers/openapi.ts).
  // Through the fast lane, as server.ts listens (src/http/lane/): a miss there is Express's.
  const http = request(checkedAgainstDocument(app.locals.lane));
  const admin = {
    get: (url: string) => http.get(url).set('Authorization', `Bearer ${adminKey}`),
    post: (url: string, body?: object) => http.post(url).set('Authorization', `Bearer ${adminKey}`).send(body),
    patch: (url: string, body?: object) => http.patch(url).set('Authorization', `Bearer ${adminKey}`).send(body),
    put: (url: string, body?: object) => http.put(url).set('Authorization', `Bearer ${adminKey}`).send(body),
    delete: (url: string) => http.delete(url).set('Authorization', `Bearer ${adminKey}`),
  };
  /** A second app on the same database, as another instance of the service would run. */
  const otherInstance = async () => request((await createApp({ storage: await another(), config, now: clock.now })).locals.lane);
  return { app, db, storage, file, dir, config, clock, services, adminKey, http, admin, databaseEnv, otherInstance, anotherStorage: another, sql: sqlOn(db, storage) };
}

export type TestApp = Awaited<ReturnType<typeof makeTestApp>>;

/** Creates a site (default "xa-a", origin https://xa-a.example.vn) through the API. */
export async function createSite(t: TestApp, body: Record<string, unknown> = {}) {
  const res = await t.admin.post('/v1/admin/sites', { id: 'xa-a', name: 'Xã A', origins: ['https://xa-a.example.vn'], ...body });
  if (res.status !== 201) throw new Error(`createSite: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; origins: string[]; timezone: string; premoderation: boolean };
}

export const PORTAL_POLL = {
  question: 'Xin bạn cho ý kiến về cổng thông tin của chúng tôi?',
  options: ['Bình thường', 'Đẹp, tiện lợi tra cứu', 'Cần chỉnh sửa thêm'],
};

export async function createPoll(t: TestApp, body: Record<string, unknown> = {}) {
  const res = await t.admin.post('/v1/admin/polls', { site: 'xa-a', ...PORTAL_POLL, maxChoices: 1, ...body });
  if (res.status !== 201) throw new Error(`createPoll: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; options: { id: string; label: string }[]; status: string };
}

let voterSeq = 0;
export const newVoter = () => `voter-${process.pid}-${++voterSeq}-${Math.random().toString(36).slice(2, 10)}`;

export function expectProblem(res: request.Response, status: number, code: string) {
  if (res.status !== status || res.body?.code !== code || !String(res.headers['content-type']).startsWith('application/problem+json')) {
    throw new Error(`expected ${status} ${code}, got ${res.status} ${res.headers['content-type']} ${JSON.stringify(res.body)}`);
  }
}

/**
 * A SQLite database as an older version left it: migrated up to, not including, migration `upTo`
 * ("009"). Closed and removed after the test; `migrate(db, MIGRATIONS_DIR)` then upgrades it.
 */
export function databaseBefore(upTo: string): BetterSqlite3.Database {
  const { dir } = tempDatabase();
  const before = path.join(dir, 'before');
  fs.mkdirSync(before);
  for (const f of fs.readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{3}_.*\.sql$/.test(f) && f < upTo)) fs.copyFileSync(path.join(MIGRATIONS_DIR, f), path.join(before, f));
  const db = new BetterSqlite3(path.join(dir, 'old.db'));
  cleanups.push(() => db.open && db.close());
  migrate(db, before);
  return db;
}
