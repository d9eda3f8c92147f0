import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { DomainEvent } from '../events.js';
import { createHttpMetrics } from './httpMetrics.js';
import type { OutboxCounts } from '../mail/mail.store.js';
import type { StatsStore } from './stats.store.js';

/**
 * A scrape still answers when the database does not (closed at shutdown, unreachable), with what the
 * process knows (requests, process metrics): ykien_comments is left out, ykien_ballots keeps the last
 * figure read (a gauge without labels cannot be left out).
 */
const unlessUnavailable = <T>(read: Promise<T>): Promise<T | undefined> => read.catch(() => undefined);

/**
 * Default process metrics that are gauges named *_total, which `promtool check metrics` refuses
 * ("non-counter metrics should not have _total suffix"); the same figures by type stay
 * (ykien_nodejs_active_handles{type=…}, …), so nothing is lost.
 */
const MISNAMED_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/**
 * Prometheus metrics on a registry of this app's own (never prom-client's global one:
 * tests build many apps in one process). Other modules report through the small hooks
 * below (`metrics.captchaFailed()`, …) and never touch prom-client themselves.
 */
export function createMetrics(opts: { stats?: StatsStore; mail?: { counts(): Promise<OutboxCounts> }; defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  // Process metrics (GC, event loop, memory) start with the first scrape: a CLI command or an
  // app nobody scrapes never sets up their observers.
  let defaults = !opts.defaultMetrics;
  const text = () => {
    if (!defaults) {
      defaults = true;
      collectDefaultMetrics({ register: registry, prefix: 'ykien_' });
      for (const name of MISNAMED_DEFAULTS) registry.removeSingleMetric(`ykien_${name}`);
    }
    return registry.metrics();
  };

  const http = createHttpMetrics(registry);
  const votes = new Counter({
    name: 'ykien_votes_total',
    help: 'Ballots cast, by site.',
    labelNames: ['site'] as const,
    registers: [registry],
  });
  const surveyResponses = new Counter({
    name: 'ykien_survey_responses_total',
    help: 'Survey responses stored, by site.',
    labelNames: ['site'] as const,
    registers: [registry],
  });
  const commentsPosted = new Counter({
    name: 'ykien_comments_posted_total',
    help: 'Comments accepted, by the status they were given (pending, approved, spam).',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  const captchaFailures = new Counter({
    name: 'ykien_captcha_failures_total',
    help: 'Comment posts refused because the captcha was wrong, expired or reused.',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'ykien_rate_limited_total',
    help: 'Requests refused with 429 by a rate limit, by tier.',
    labelNames: ['tier'] as const,
    registers: [registry],
  });
  const retentionErased = new Counter({
    name: 'ykien_retention_erased_total',
    help: 'Rows whose IP hash and user agent the retention job erased, by table.',
    labelNames: ['table'] as const,
    registers: [registry],
  });
  // Plain counts, handed to prom-client at each scrape: a lookup is on the hottest read path.
  const lookups = { hit: 0, miss: 0 };
  new Counter({
    name: 'ykien_response_cache_lookups_total',
    help: 'Cached public reads (a poll, its results, a thread): answered from the response cache (hit) or built (miss).',
    labelNames: ['result'] as const,
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ result: 'hit' }, lookups.hit);
      this.inc({ result: 'miss' }, lookups.miss);
    },
  });
  const mailSent = new Counter({
    name: 'ykien_mail_sent_total',
    help: 'Mails to moderators the SMTP server accepted (one per recipient), by kind (comment, digest).',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const mailFailures = new Counter({
    name: 'ykien_mail_failures_total',
    help: 'Failed attempts to send a mail to moderators, by reason (rejected, temporary, timeout, connection, auth, other).',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const mailGivenUp = new Counter({
    name: 'ykien_mail_given_up_total',
    help: 'Mails to moderators given up on (refused for good, or out of attempts), by the last reason.',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const retentionLastRun = new Gauge({
    name: 'ykien_retention_last_run_timestamp_seconds',
    help: 'When the retention job last finished (Unix time).',
    registers: [registry],
  });

  const stats = opts.stats;
  if (stats) {
    new Gauge({
      name: 'ykien_comments',
      help: 'Comments stored, by moderation status (read from the database at each scrape).',
      labelNames: ['status'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        const counts = await unlessUnavailable(stats.commentsByStatus());
        for (const [status, n] of Object.entries(counts ?? {})) this.set({ status }, n);
      },
    });
    new Gauge({
      name: 'ykien_ballots',
      help: 'Ballots stored in every poll (read from the database at each scrape).',
      registers: [registry],
      async collect() {
        const n = await unlessUnavailable(stats.ballots());
        if (n !== undefined) this.set(n);
      },
    });
  }

  let liveCount: () => number = () => 0;
  new Gauge({
    name: 'ykien_live_streams',
    help: 'Live results streams (server-sent events) open on this instance.',
    registers: [registry],
    collect() {
      this.set(liveCount());
    },
  });
  const mail = opts.mail;
  if (mail) {
    new Gauge({
      name: 'ykien_mail_queue',
      help: 'Moderator mail not sent yet: comments waiting to be put in a mail (waiting), mails to send (queued), mails given up on and kept 7 days (failed). Read at each scrape.',
      labelNames: ['state'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        const counts = await unlessUnavailable(mail.counts());
        for (const [state, n] of Object.entries(counts ?? {})) this.set({ state }, n);
      },
    });
  }

  return {
    registry,
    contentType: registry.contentType,
    /** Where the live streams gauge reads its figure (src/live/). */
    countLiveStreams(count: () => number): void {
      liveCount = count;
    },
    /** One answered HTTP request, by route pattern (src/http/metrics.ts), never by raw path or id. */
    requestAnswered(labels: { method: string; route: string; status: string }, seconds: number): void {
      http.requestAnswered(labels, seconds);
    },
    text,
    /** One lookup in the response cache (src/http/responseCache.ts). */
    responseCacheLookup(hit: boolean): void {
      if (hit) lookups.hit++;
      else lookups.miss++;
    },
    /** Counts what the services tell (src/events.ts), wherever it happened: the API, the no-JS page, a job. */
    record(e: DomainEvent): void {
      switch (e.type) {
        case 'vote.cast':
          return void votes.inc({ site: e.site });
        case 'vote.refused':
          return void rateLimited.inc({ tier: 'vote_per_ip' });
        case 'survey.responded':
          return void surveyResponses.inc({ site: e.site });
        case 'survey.refused':
          return void rateLimited.inc({ tier: 'response_per_ip' });
        case 'comment.posted':
          return void commentsPosted.inc({ status: e.status });
        case 'captcha.failed':
          return void captchaFailures.inc({ reason: e.reason });
        case 'rate.limited':
          return void rateLimited.inc({ tier: e.tier });
        case 'mail.sent':
          return void mailSent.inc({ kind: e.kind });
        case 'mail.failed':
          return void mailFailures.inc({ reason: e.reason });
        case 'mail.given_up':
          return void mailGivenUp.inc({ reason: e.reason });
        case 'retention.ran':
          for (const [table, n] of Object.entries(e.erased)) retentionErased.inc({ table }, n);
          return void retentionLastRun.set(Math.floor(e.at / 1000));
      }
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
