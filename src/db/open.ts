import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS_DIR } from '../paths.js';
import { migrate } from './migrate.js';

export type Db = Database.Database;

/** Opens (creating if missing) the database, sets the pragmas we rely on and migrates it. */
export function openDatabase(file: string, opts: { migrationsDir?: string; readonly?: boolean } = {}): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file, { readonly: opts.readonly ?? false });
  db.pragma('journal_mode = WAL');
  // NORMAL is durable in WAL mode against process crashes (what we promise); a power loss
  // may drop the last transactions but never corrupts the file.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  if (!opts.readonly) migrate(db, opts.migrationsDir ?? MIGRATIONS_DIR);
  return db;
}
