import Database from 'better-sqlite3';
import { isMemoryFile, type Db } from './open.js';

/**
 * A read-only connection of its own for one long export. Iterating a statement keeps a
 * better-sqlite3 connection busy (no write may run on it until the iteration ends), and an
 * export waits on a slow client for minutes: the app's connection must stay free for votes.
 * WAL lets this reader see one consistent snapshot while writers carry on.
 * An in-memory database has no file to reopen, so it is read through `db` itself.
 */
export function openReader(db: Db): { conn: Db; close(): void } {
  if (db.memory || isMemoryFile(db.name)) return { conn: db, close: () => {} };
  const conn = new Database(db.name, { readonly: true, fileMustExist: true });
  conn.pragma('busy_timeout = 5000');
  return {
    conn,
    close: () => {
      if (conn.open) conn.close();
    },
  };
}
