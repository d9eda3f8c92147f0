import type { Db } from '../db/open.js';

/** The settings table: values an installation keeps for itself (salts, schemes), one row per key. */
export function settingsRepo(db: Db) {
  const get = db.prepare('SELECT value FROM settings WHERE key = ?').pluck();
  const add = db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)');
  return {
    get: (key: string) => get.get(key) as string | undefined,
    /** Sets `key` unless it is set, and returns what is stored: another process may have set it first. */
    setOnce(key: string, value: string): string {
      add.run(key, value);
      return get.get(key) as string;
    },
  };
}

export type SettingsRepo = ReturnType<typeof settingsRepo>;
