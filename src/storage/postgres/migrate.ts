import fs from 'node:fs';
import { listMigrationFiles, type AppliedMigration } from '../migrationFiles.js';
import type { Pool } from './pool.js';

/** Any number: held while migrating, so instances that start together migrate once, one after another. */
const MIGRATION_LOCK = 7_403_281_001;

/**
 * Applies every numbered file of migrations/postgres not yet recorded, in order, each in its own
 * transaction, under a session advisory lock: when several instances start at once, the first migrates
 * and the others wait, then find nothing left to do.
 */
export async function migratePostgres(pool: Pool, dir: string): Promise<AppliedMigration[]> {
  const c = await pool.connect();
  try {
    await c.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await c.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at TEXT NOT NULL
      )`);
      const done = new Set((await c.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
      const applied: AppliedMigration[] = [];
      for (const m of listMigrationFiles(dir)) {
        if (done.has(m.version)) continue;
        const sql = fs.readFileSync(m.file, 'utf8');
        await c.query('BEGIN');
        try {
          await c.query(sql);
          await c.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, new Date().toISOString()]);
          await c.query('COMMIT');
        } catch (err) {
          await c.query('ROLLBACK');
          throw err;
        }
        applied.push({ version: m.version, name: m.name });
      }
      return applied;
    } finally {
      await c.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    c.release();
  }
}

/** True when every migration file on disk has been applied. */
export async function postgresMigrationsUpToDate(pool: Pool, dir: string): Promise<boolean> {
  const { rows } = await pool.query<{ n: number; max: number | null }>('SELECT COUNT(*)::int AS n, MAX(version) AS max FROM schema_migrations');
  const files = listMigrationFiles(dir);
  return rows[0]!.n === files.length && (files.at(-1)?.version ?? null) === rows[0]!.max;
}
