import type { SettingsStore } from '../../settings/settings.store.js';
import type { PgDb } from './db.js';

export function pgSettingsStore(db: PgDb): SettingsStore {
  return {
    async get(key) {
      return (await db.rows<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key]))[0]?.value;
    },
    async setOnce(key, value) {
      // Whoever inserts first wins; everybody reads the winner's value.
      await db.write((c) => c.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, value]));
      return (await db.rows<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key]))[0]!.value;
    },
  };
}
