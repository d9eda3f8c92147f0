import fs from 'node:fs';
import type { Database } from 'better-sqlite3';
import { listMigrationFiles, type AppliedMigration } from '../migrationFiles.js';

export { listMigrationFiles, type AppliedMigration };

/**
 * Applies every migration not yet recorded, in order, each in its own transaction,
 * so a failing file leaves the database at the previous version.
 */
export function migrate(db: Database, dir: string): AppliedMigration[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const done = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
  );
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const applied: AppliedMigration[] = [];
  for (const m of listMigrationFiles(dir)) {
    if (done.has(m.version)) continue;
    const sql = fs.readFileSync(m.file, 'utf8');
    db.transaction(() => {
      db.exec(sql);
      record.run(m.version, m.name, new Date().toISOString());
    })();
    applied.push({ version: m.version, name: m.name });
  }
  return applied;
}

/** True when every migration file on disk has been applied. */
export function migrationsUpToDate(db: Database, dir: string): boolean {
  const row = db.prepare('SELECT COUNT(*) AS n, MAX(version) AS max FROM schema_migrations').get() as {
    n: number;
    max: number | null;
  };
  const files = listMigrationFiles(dir);
  return row.n === files.length && (files.at(-1)?.version ?? null) === row.max;
}
