import { sqliteImportsStore } from './imports.js';
import { MIGRATIONS_DIR } from '../../paths.js';
import type { Storage } from '../storage.js';
import { sqliteAuditStore } from './audit.js';
import { backupDatabase } from './backup.js';
import { sqliteCaptchaStore } from './captchas.js';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';
import { sqliteCommentsStore } from './comments.js';
import { sqliteCountersStore } from './counters.js';
import { sqliteExportsStore } from './exports.js';
import { groupCommit } from './groupCommit.js';
import { sqliteKeysStore } from './keys.js';
import { sqliteMailStore } from './mail.js';
import { migrationsUpToDate } from './migrate.js';
import { isMemoryFile, openDatabase, type Db } from './open.js';
import { sqlitePollsStore } from './polls.js';
import { sqliteRetentionStore } from './retention.js';
import { sqliteSettingsStore } from './settings.js';
import { sqliteSitesStore } from './sites.js';
import { sqliteSurveysStore } from './surveys.js';
import { sqliteWebhooksStore } from './webhooks.js';
import { sqliteUsersStore } from './users.js';
import { sqliteStatsStore } from './stats.js';
import { sqliteOverviewStore } from './overview.js';

export interface SqliteStorage extends Storage {
  readonly backend: 'sqlite';
  /** The connection itself: for tests and the storage folder only. */
  readonly db: Db;
  readonly file: string;
}

/**
 * The embedded backend: one SQLite file in WAL mode, migrated when opened. Writes of ballots are
 * group-committed, WAL checkpoints run in a worker thread (startMaintenance), exports read from a
 * connection of their own, and `version()` is total_changes() + data_version (this connection's
 * writes, and other connections' commits), less the rows this connection's view counters changed
 * (no cached answer is built from them).
 */
export function openSqliteStorage(file: string, opts: { migrationsDir?: string } = {}): SqliteStorage {
  const db = openDatabase(file, opts.migrationsDir ? { migrationsDir: opts.migrationsDir } : {});
  const commit = groupCommit(db);
  const changes = db.prepare('SELECT total_changes()').pluck();
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  // Rows the view counters and captchas changed on this connection: left out of version() (sqlite/counters.ts says why).
  let unversioned = 0;
  let checkpointer: Checkpointer | undefined;

  return {
    backend: 'sqlite',
    db,
    file,
    audit: sqliteAuditStore(db),
    captchas: sqliteCaptchaStore(db, { add: (rows) => void (unversioned += rows) }),
    comments: sqliteCommentsStore(db),
    counters: sqliteCountersStore(db, { add: (rows) => void (unversioned += rows) }),
    exports: sqliteExportsStore(db),
    imports: sqliteImportsStore(db),
    keys: sqliteKeysStore(db),
    mail: sqliteMailStore(db),
    polls: sqlitePollsStore(db, commit),
    retention: sqliteRetentionStore(db),
    settings: sqliteSettingsStore(db),
    sites: sqliteSitesStore(db),
    surveys: sqliteSurveysStore(db, commit),
    webhooks: sqliteWebhooksStore(db),
    users: sqliteUsersStore(db),
    stats: sqliteStatsStore(db),
    overview: sqliteOverviewStore(db),
    version: () => (changes.get() as number) - unversioned + (dataVersion.get() as number),
    async ready() {
      try {
        return db.open && migrationsUpToDate(db, opts.migrationsDir ?? MIGRATIONS_DIR);
      } catch {
        return false;
      }
    },
    // One process per database file: every tick is this one's.
    runJob: (_job, _everyMs, fn) => fn(),
    backup: (dest) => backupDatabase(db, dest),
    startMaintenance(onError) {
      if (checkpointer || isMemoryFile(file)) return;
      checkpointer = startCheckpointer(db, file, { onError });
    },
    async close() {
      // The worker's connection closes first, so this close folds the whole WAL back into the file.
      await checkpointer?.stop();
      checkpointer = undefined;
      if (db.open) db.close();
    },
  };
}
