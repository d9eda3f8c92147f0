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
