import type { AuditStore } from '../audit/audit.store.js';
import type { RunJob } from '../jobs.js';
import type { CaptchaStore } from '../comments/captcha.store.js';
import type { CommentsStore } from '../comments/comments.store.js';
import type { WebhooksStore } from '../comments/webhooks.store.js';
import type { CountersStore } from '../counters/counters.store.js';
import type { ExportsStore } from '../exports/exports.store.js';
import type { ImportsStore } from '../imports/imports.store.js';
import type { KeysStore } from '../keys/keys.store.js';
import type { OverviewStore } from '../overview/overview.store.js';
import type { MailStore } from '../mail/mail.store.js';
import type { RetentionStore } from '../ops/retention.store.js';
import type { StatsStore } from '../ops/stats.store.js';
import type { PollsStore } from '../polls/polls.store.js';
import type { SettingsStore } from '../settings/settings.store.js';
import type { SitesStore } from '../sites/sites.store.js';
import type { SurveysStore } from '../surveys/surveys.store.js';
import type { UsersStore } from '../users/users.store.js';

/** What a backup of the whole database reports. */
export interface BackupResult {
  path: string;
  bytes: number;
  /** Row counts in the copy, for the operator to compare. */
  counts: Record<string, number>;
}

/**
 * Hits per client and window, shared by every process on the database (the rate limits), for backends
 * that run several instances. `key` names the limit and the client.
 */
export interface HitCounter {
  hit(key: string, windowMs: number, limit: number): Promise<{ hits: number; resetAt: number }>;
  /** Takes one hit back (a request that should not have counted). */
  undo(key: string): Promise<void>;
  reset(key: string): Promise<void>;
  close(): void;
}

/**
 * Everything the service keeps, behind one boundary: each feature's store speaks that feature's
 * language (src/<feature>/<feature>.store.ts), and only src/storage/ knows SQL and drivers.
 */
export interface Storage {
  readonly backend: 'sqlite' | 'postgres';
  readonly audit: AuditStore;
  readonly captchas: CaptchaStore;
  readonly comments: CommentsStore;
  readonly counters: CountersStore;
  readonly exports: ExportsStore;
  readonly imports: ImportsStore;
  readonly keys: KeysStore;
  readonly mail: MailStore;
  readonly polls: PollsStore;
  readonly overview: OverviewStore;
  readonly retention: RetentionStore;
  readonly settings: SettingsStore;
  readonly sites: SitesStore;
  readonly surveys: SurveysStore;
  readonly webhooks: WebhooksStore;
  readonly users: UsersStore;
  readonly stats: StatsStore;
  /**
   * A value that changes whenever committed data may have changed, from this process or another:
   * caches of answers key on it. Counted views (and their presence counts) leave it alone: no cached
   * answer is built from the view counters, and a busy portal's views would otherwise empty every cache. Read on every cached request, so it must be cheap (SQLite: two pragmas;
   * PostgreSQL: one shared round trip for every request waiting).
   */
  version(): number | Promise<number>;
  /** True when the database answers and every migration is applied. */
  ready(): Promise<boolean>;
  /** Rate-limit counts shared between instances; undefined where one process is all there is (SQLite: counted in memory). */
  readonly hits?: HitCounter;
  /**
   * Runs a background job (retention, pruning) if no other instance on this database runs it now or ran it
   * less than `everyMs` ago; undefined when skipped. Every instance ticks; one works.
   */
  runJob: RunJob;
  /** A consistent copy of the whole database at `dest`, taken while the service runs. */
  backup(dest: string): Promise<BackupResult>;
  /** Starts what keeps the database healthy in a long-running server (the SQLite WAL checkpointer). */
  startMaintenance(onError: (err: unknown) => void): void;
  /** Stops background work and closes every connection. */
  close(): Promise<void>;
}
