import type { Config } from './config.js';
import { createEvents, type Events } from './events.js';
import type { Logger } from './logger.js';
import { auditService } from './audit/audit.service.js';
import { createComments } from './comments/index.js';
import { countersService } from './counters/counters.service.js';
import { exportsService } from './exports/exports.service.js';
import { importsService } from './imports/comments.import.js';
import { keysService } from './keys/keys.service.js';
import { mailService } from './mail/mail.service.js';
import { createMetrics } from './ops/metrics.js';
import { retentionJob } from './ops/retention.js';
import { pollsService } from './polls/polls.service.js';
import { liveHub } from './live/live.hub.js';
import { sitesService } from './sites/sites.service.js';
import { surveyExports } from './surveys/surveys.export.js';
import { surveysService } from './surveys/surveys.service.js';
import { templateExports } from './surveys/templates.export.js';
import { templateResults } from './surveys/templates.results.js';
import { overviewService } from './overview/overview.service.js';
import { sessionsService } from './users/sessions.service.js';
import { usersService } from './users/users.service.js';
import type { Storage } from './storage/storage.js';
import { loadHasher, noHashKeys } from './util/hash.js';

export interface ContainerDeps {
  storage: Storage;
  config: Config;
  /** Clock, injectable so tests can move time. */
  now?: () => number;
  /** For background work (comment webhooks, jobs) that has no request to report to. */
  logger?: Logger | undefined;
  events?: Events;
  /**
   * Whether to load (and on a fresh database, create) the hash keys. The CLI's commands hash nothing,
   * and a dry run must write nothing, so it builds its services without them.
   */
  hashKeys?: boolean;
}

/** Builds every service once, from storage and config: what the HTTP app, the CLI and the jobs share. */
export async function createContainer(deps: ContainerDeps) {
  const { storage, config, logger } = deps;
  const now = deps.now ?? Date.now;
  const events = deps.events ?? createEvents();
  const hasher =
    deps.hashKeys === false
      ? noHashKeys
      : await loadHasher(storage.settings, {
          hashSalt: config.HASH_SALT,
          ipv6PrefixLength: config.IPV6_PREFIX_LENGTH,
          hasBallots: () => storage.polls.anyBallots(),
        });
  // Per-app registry; process metrics (GC, event loop) only outside tests, which build many apps.
  const metrics = createMetrics({ stats: storage.stats, mail: storage.mail, defaultMetrics: config.NODE_ENV !== 'test' });
  events.on(metrics.record);
  const audit = auditService(storage.audit, now);
  const keys = keysService(storage.keys, { audit, now });
  const sites = sitesService(storage.sites, { audit, defaultTimezone: config.DEFAULT_TIMEZONE, now, version: storage.version });
  const polls = pollsService(storage.polls, { audit, sites, hasher, events, voteLimitPerIp: config.VOTE_LIMIT_PER_IP, now, version: storage.version });
  // Surveys share polls' per-network cap (VOTE_LIMIT_PER_IP responses per survey and network per day).
  const surveys = surveysService(storage.surveys, { audit, sites, hasher, events, responseLimitPerIp: config.VOTE_LIMIT_PER_IP, now, version: storage.version });
  const live = liveHub({
    version: storage.version,
    read: (topic, reader) => (topic.kind === 'poll' ? polls.publicResults(topic.id, reader) : surveys.publicResults(topic.id, reader)),
    // Heartbeats and refreshes are about the network's time, not the app's clock (which tests hold still).
    now: Date.now,
    tickMs: config.LIVE_TICK_MS,
    // Time alone changes some answers (a poll's closing time passing); a write moves the version.
    refreshMs: 30_000,
    heartbeatMs: config.LIVE_HEARTBEAT_MS,
  });
  // The console's streams: admin results (hidden ones too, a survey's latest free texts), never sent to a public stream.
  const adminLive = liveHub({
    version: storage.version,
    read: async (topic) => (topic.kind === 'poll' ? (await polls.adminView(topic.id)).results : (await surveys.adminView(topic.id)).results),
    now: Date.now,
    tickMs: config.LIVE_TICK_MS,
    refreshMs: 30_000,
    heartbeatMs: config.LIVE_HEARTBEAT_MS,
  });
  metrics.countLiveStreams(() => live.size + adminLive.size);
  const surveyFiles = surveyExports({ surveys, sites, audit, defaultTimezone: config.DEFAULT_TIMEZONE, now });
  const templateResultsOf = templateResults(storage.surveys, { siteNames: async () => new Map((await sites.list()).map((x) => [x.id, x.name])) });
  const surveyTemplates = { results: templateResultsOf, file: templateExports({ results: templateResultsOf, audit, now }) };
  const overview = overviewService(storage.overview, { now });
  const mail = mailService(storage.mail, {
    smtpUrl: config.SMTP_URL,
    from: config.MAIL_FROM,
    timeoutMs: config.MAIL_TIMEOUT_MS,
    maxAttempts: config.MAIL_MAX_ATTEMPTS,
    retryBaseMs: config.MAIL_RETRY_BASE_MS,
    commentMailsPerHour: config.MAIL_COMMENT_MAILS_PER_HOUR,
    publicUrl: config.PUBLIC_URL ?? `http://localhost:${config.PORT}`,
    now,
    sites,
    events,
    logger,
  });
  const comments = createComments(storage, { config, audit, sites, hasher, now, logger, events, mail });
  const counters = countersService(storage.counters, { audit, sites, hasher, now, newPagesPerDay: config.COUNTER_NEW_PAGES_PER_DAY, runJob: storage.runJob.bind(storage) });
  const exportsSvc = exportsService(storage.exports, { polls, sites, audit, defaultTimezone: config.DEFAULT_TIMEZONE, now });
  const imports = importsService(storage.imports, { sites, audit, now });
  const retention = retentionJob(storage.retention, { days: config.RETENTION_DAYS, now, events, logger, runJob: storage.runJob.bind(storage) });
  const users = usersService(storage.users, { audit, now, passwordLog2N: config.PASSWORD_SCRYPT_LOG2N });
  const sessions = sessionsService(storage.users, {
    audit,
    now,
    logger,
    runJob: storage.runJob.bind(storage),
    settings: {
      idleMs: config.SESSION_IDLE_MINUTES * 60_000,
      maxMs: config.SESSION_MAX_HOURS * 3_600_000,
      requireTotpForAdmins: config.REQUIRE_TOTP_FOR_ADMINS,
      maxFailuresPerUser: config.LOGIN_MAX_FAILURES_PER_USER,
      maxFailuresPerIp: config.LOGIN_MAX_FAILURES_PER_IP,
      throttleMs: config.LOGIN_THROTTLE_MINUTES * 60_000,
      passwordLog2N: config.PASSWORD_SCRYPT_LOG2N,
    },
  });
  return { storage, config, now, events, hasher, metrics, audit, keys, sites, polls, surveys, live, adminLive, surveyFiles, surveyTemplates, overview, comments, mail, counters, exports: exportsSvc, imports, retention, users, sessions };
}

export type Container = Awaited<ReturnType<typeof createContainer>>;
