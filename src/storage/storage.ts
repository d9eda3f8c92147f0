import type { AuditStore } from '../audit/audit.store.js';
import type { KeysStore } from '../keys/keys.store.js';
import type { PollsStore } from '../polls/polls.store.js';
import type { SettingsStore } from '../settings/settings.store.js';
import type { SitesStore } from '../sites/sites.store.js';

/** What a backup of the whole database reports. */
export interface BackupResult {
  path: string;
  bytes: number;
  /** Row counts in the copy, for the operator to compare. */
  counts: Record<string, number>;
}

/**
 * Everything the service keeps, behind one boundary: each feature's store speaks that feature's
 * language (src/<feature>/<feature>.store.ts), and only src/storage/ knows SQL and drivers.
 */
export interface Storage {
  readonly backend: 'sqlite' | 'postgres';
  readonly audit: AuditStore;
  readonly keys: KeysStore;
  readonly polls: PollsStore;
  readonly settings: SettingsStore;
  readonly sites: SitesStore;
  /**
   * A value that changes whenever committed data may have changed, from this process or another:
   * caches of answers key on it. Read on every cached request, so it must be cheap (SQLite: two pragmas;
   * PostgreSQL: one shared round trip for every request waiting).
   */
  version(): number | Promise<number>;
  /** True when the database answers and every migration is applied. */
  ready(): Promise<boolean>;
  /** A consistent copy of the whole database at `dest`, taken while the service runs. */
  backup(dest: string): Promise<BackupResult>;
  /** Starts what keeps the database healthy in a long-running server (the SQLite WAL checkpointer). */
  startMaintenance(onError: (err: unknown) => void): void;
  /** Stops background work and closes every connection. */
  close(): Promise<void>;
}
