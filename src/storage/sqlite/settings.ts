import type { SettingsStore } from '../../settings/settings.store.js';
import type { Db } from './open.js';

export function sqliteSettingsStore(db: Db): SettingsStore {
  const get = db.prepare('SELECT value FROM settings WHERE key = ?').pluck();
  const add = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING');
  return {
    get: async (key) => get.get(key) as string | undefined,
    async setOnce(key, value) {
      add.run(key, value);
      return get.get(key) as string;
    },
  };
}
