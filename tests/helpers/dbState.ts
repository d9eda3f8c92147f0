import { createHash } from 'node:crypto';
import type { Db } from '../../src/storage/sqlite/open.js';

/** Columns that change on reads by design (a key's last use), left out of the fingerprint. */
const VOLATILE: Record<string, string[]> = { api_keys: ['last_used_at'] };

/**
 * A fingerprint of every row of every table (but the migrations record), to prove that a
 * refused request changed nothing.
 */
export function dbFingerprint(db: Db): string {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name")
    .pluck()
    .all() as string[];
  const h = createHash('sha256');
  for (const t of tables) {
    const skip = new Set(VOLATILE[t] ?? []);
    const cols = (db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(t) as string[]).filter((c) => !skip.has(c));
    const rows = (db.prepare(`SELECT ${cols.map((c) => `"${c}"`).join(', ')} FROM "${t}"`).raw().all() as unknown[][]).map((r) => JSON.stringify(r));
    rows.sort();
    h.update(`#${t}:${rows.length}\n${rows.join('\n')}`);
  }
  return h.digest('hex');
}

/** What `t.sql` of tests/helpers/app.ts offers the fingerprint: the same SQL on either backend. */
interface SqlOnEitherBackend {
  backend: 'sqlite' | 'postgres';
  tables(): Promise<string[]>;
  columns(table: string): Promise<string[]>;
  rows<R = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<R[]>;
}

/**
 * Also left out on PostgreSQL: the per-minute request counts every instance shares (rate_limits; SQLite
 * keeps them in memory) and when a background job last ran (jobs), which change with no request's say.
 */
const VOLATILE_TABLES = new Set(['schema_migrations', 'rate_limits', 'jobs']);

/** One statement that reads every row of every table as JSON arrays (one round trip: the fuzz suite takes thousands). */
const fingerprintQuery = new WeakMap<SqlOnEitherBackend, Promise<string>>();
async function buildFingerprintQuery(sql: SqlOnEitherBackend): Promise<string> {
  const perTable: string[] = [];
  for (const t of (await sql.tables()).filter((t) => !VOLATILE_TABLES.has(t))) {
    const skip = new Set(VOLATILE[t] ?? []);
    const cols = (await sql.columns(t)).filter((c) => !skip.has(c)).map((c) => `"${c}"`).join(', ');
    const agg = sql.backend === 'sqlite' ? `json_group_array(json_array(${cols}))` : `COALESCE(json_agg(json_build_array(${cols}))::text, '[]')`;
    perTable.push(`(SELECT ${agg} FROM "${t}") AS "${t}"`);
  }
  return `SELECT ${perTable.join(', ')}`;
}

/** dbFingerprint on either backend, through t.sql: compare it only with another of the same app. */
export async function sqlFingerprint(sql: SqlOnEitherBackend): Promise<string> {
  if (!fingerprintQuery.has(sql)) fingerprintQuery.set(sql, buildFingerprintQuery(sql));
  const [tables] = await sql.rows<Record<string, string>>(await fingerprintQuery.get(sql)!);
  const h = createHash('sha256');
  for (const [t, json] of Object.entries(tables!)) {
    const rows = (JSON.parse(json) as unknown[]).map((r) => JSON.stringify(r));
    rows.sort();
    h.update(`#${t}:${rows.length}\n${rows.join('\n')}`);
  }
  return h.digest('hex');
}
