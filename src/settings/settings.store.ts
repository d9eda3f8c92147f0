/** Values an installation keeps for itself (salts, hash schemes, "demo seeded"), one per key. */
export interface SettingsStore {
  get(key: string): Promise<string | undefined>;
  /** Sets `key` unless it is set, and returns what is stored: another process may have set it first. */
  setOnce(key: string, value: string): Promise<string>;
}
