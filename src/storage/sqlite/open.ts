import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError } from '../../config.js';
import { MIGRATIONS_DIR } from '../../paths.js';
import { ensureDir, errorCode } from '../../util/dirs.js';
import { migrate } from './migrate.js';

export type Db = Database.Database;

/** A database with no file (tests): nothing to create, reopen, check or back up. */
export const isMemoryFile = (file: string) => file === ':memory:' || file === '';

/** The database file cannot be opened where DATABASE_PATH points: a setup problem, told in one line. */
export class DatabaseOpenError extends ConfigError {}

const whoami = (): string => {
  try {
    return `user ${os.userInfo().username}`;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`;
  }
};

/** SQLite's "unable to open database file" names neither the file nor the folder: say which, and why. */
function openError(file: string, err: unknown): DatabaseOpenError {
  const where = `DATABASE_PATH=${file}`;
  const dir = path.dirname(path.resolve(file));
  const code = errorCode(err);
  const reason =
    code === 'SQLITE_CANTOPEN' || code === 'SQLITE_IOERR_SHMOPEN'
      ? `cannot create or open the file in the folder ${dir}: is the folder writable by ${whoami()}?`
      : code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM'
        ? `the file or its folder ${dir} is read-only for ${whoami()} (SQLite needs to write the file and its -wal and -shm files beside it)`
        : code === 'SQLITE_NOTADB'
          ? 'the file is not a SQLite database'
          : `${(err as Error).message ?? code}`;
  return new DatabaseOpenError(`Cannot open the database ${where}: ${reason} (${code})`);
}

/** Opens (creating if missing) the database, sets the pragmas we rely on and migrates it. */
export function openDatabase(file: string, opts: { migrationsDir?: string; readonly?: boolean } = {}): Db {
  if (!isMemoryFile(file)) {
    const dir = path.dirname(path.resolve(file));
    try {
      ensureDir(dir);
    } catch (err) {
      throw new DatabaseOpenError(`Cannot open the database DATABASE_PATH=${file}: cannot create the folder ${dir} as ${whoami()} (${(err as Error).message})`);
    }
  }
  let db: Db | undefined;
  try {
    db = new Database(file, { readonly: opts.readonly ?? false });
    db.pragma('journal_mode = WAL');
    // NORMAL is durable in WAL mode against process crashes (what we promise); a power loss
    // may drop the last transactions but never corrupts the file.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // The first write may be the first time SQLite needs the folder (the -wal and -shm files).
    if (!opts.readonly) migrate(db, opts.migrationsDir ?? MIGRATIONS_DIR);
    return db;
  } catch (err) {
    if (db?.open) db.close();
    if (OPEN_FAILURES.has(errorCode(err))) throw openError(file, err);
    throw err;
  }
}

/** What SQLite answers when the file or its folder cannot be used; any other failure (a bad migration) is passed on as it is. */
const OPEN_FAILURES = new Set(['SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_READONLY_DIRECTORY', 'SQLITE_READONLY_DBMOVED', 'SQLITE_NOTADB', 'SQLITE_PERM', 'SQLITE_IOERR_SHMOPEN']);
