import type { LegacyAuditRepo as AuditRepo } from '../storage/sqlite/legacy.js';
import type { Config } from '../config.js';
import type { Db } from '../storage/sqlite/open.js';
import type { Events } from '../events.js';
import type { Logger } from '../logger.js';
import type { SitesService } from '../sites/sites.service.js';
import type { Hasher } from '../util/hash.js';
import { captchaService } from './captcha.service.js';
import { commentsRepo } from './comments.repo.js';
import type { PostCommentInput } from './comments.schema.js';
import { commentsService } from './comments.service.js';
import { fingerprint, idempotency } from './idempotency.js';
import { moderationService } from './moderation.service.js';
import { webhookService } from './webhook.service.js';

/** Builds the comments feature once per app: captcha, public comments, moderation, webhooks. */
export function createComments(
  db: Db,
  deps: { config: Config; audit: AuditRepo; sites: SitesService; hasher: Hasher; now: () => number; logger?: Logger | undefined; events: Events },
) {
  const { config, now } = deps;
  const repo = commentsRepo(db);
  const captcha = captchaService(db, {
    enabled: config.CAPTCHA === 'svg',
    ttlSeconds: config.CAPTCHA_TTL_SECONDS,
    minSeconds: config.COMMENT_MIN_SECONDS,
    now,
    pow: {
      enabled: config.POW === 'on' || (config.POW === 'auto' && config.CAPTCHA === 'svg'),
      key: () => deps.hasher.key('pow challenge'),
      maxNumber: config.POW_MAX_NUMBER,
      accessibleFactor: config.POW_ACCESSIBLE_FACTOR,
    },
  });
  const webhooks = webhookService(db, {
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
    retryBaseMs: config.WEBHOOK_RETRY_BASE_MS,
    allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
    now,
    logger: deps.logger,
  });
  const publicSide = commentsService(db, { sites: deps.sites, hasher: deps.hasher, captcha, webhooks, maxLinks: config.COMMENT_MAX_LINKS, now, repo, events: deps.events });
  const moderation = moderationService(db, { repo, audit: deps.audit, sites: deps.sites, now });
  const once = idempotency(db, { now });
  /** A post, at most once per Idempotency-Key: a repeat gets the first answer before any check runs. */
  const post = (siteId: string, thread: string, input: PostCommentInput, client: Parameters<typeof publicSide.post>[3], key?: string) =>
    once.run(siteId, key, fingerprint(thread, input), (claim) => publicSide.post(siteId, thread, input, client, claim));
  return { repo, captcha, webhooks, moderation, post, thread: publicSide.thread };
}

export type Comments = ReturnType<typeof createComments>;
