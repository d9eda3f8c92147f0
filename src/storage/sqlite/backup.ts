import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../errors.js';
import { ensureDir, errorCode } from '../../util/dirs.js';
import type { BackupResult } from '../storage.js';
import type { Db } from './open.js';

const COUNTED = ['sites', 'polls', 'ballots', 'comments', 'audit_log'];

/**
 * Consistent online backup with SQLite's backup API (better-sqlite3 `db.backup`): the service
 * keeps reading and writing meanwhile. The copy is written next to PATH, checked
 * (`PRAGMA quick_check`), switched to a self-contained rollback journal (one file, nothing
 * beside it) and only then renamed onto PATH, so PATH is never a half-written file.
 */
export async function backupDatabase(db: Db, dest: string): Promise<BackupResult> {
  const target = path.resolve(dest);
  if (db.memory || !db.name) throw new AppError(400, 'backup_unsupported', 'An in-memory database cannot be backed up to a file.');
  if (target === path.resolve(db.name)) throw new AppError(400, 'backup_same_file', 'The backup must not overwrite the database itself.');
  const unusable = (why: string) => new AppError(400, 'backup_path_unusable', `Cannot write the backup to ${target}: ${why}.`);
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) throw unusable('it is a folder; name the file, e.g. ykien-YYYY-MM-DD.db inside it');
  try {
    // Not fs.mkdirSync(…, { recursive: true }): under /proc and the like it loops forever at 100 % CPU.
    ensureDir(path.dirname(target));
  } catch (err) {
    throw unusable(`cannot create the folder ${path.dirname(target)} (${(err as Error).message})`);
  }
  const tmp = `${target}.partial-${process.pid}`;
  try {
    // All pages in one step, under one read snapshot: a step-by-step copy restarts whenever
    // another connection (the running service) writes, and could never finish under load.
    // WAL mode means that snapshot does not block the service's writers.
    await db.backup(tmp, { progress: () => 0x7fffffff }).catch((err: unknown) => {
      throw unusable(`SQLite cannot create ${tmp} in that folder (${errorCode(err)}: ${(err as Error).message})`);
    });
    const copy = new Database(tmp);
    try {
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new AppError(500, 'backup_corrupt', `The backup copy failed its check: ${String(check)}`);
      copy.pragma('journal_mode = DELETE');
      const tables = new Set(copy.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
      const counts: Record<string, number> = {};
      for (const t of COUNTED) if (tables.has(t)) counts[t] = copy.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number;
      copy.close();
      fs.renameSync(tmp, target);
      return { path: target, bytes: fs.statSync(target).size, counts };
    } finally {
      if (copy.open) copy.close();
    }
  } finally {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`, `${tmp}-journal`]) fs.rmSync(f, { force: true });
  }
}
