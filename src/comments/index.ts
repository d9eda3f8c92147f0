import type { AuditService } from '../audit/audit.service.js';
import type { Config } from '../config.js';
import type { Events } from '../events.js';
import type { Logger } from '../logger.js';
import type { MailService } from '../mail/mail.service.js';
import type { SitesService } from '../sites/sites.service.js';
import type { Hasher } from '../util/hash.js';
import type { CaptchaStore } from './captcha.store.js';
import { captchaService } from './captcha.service.js';
import type { PostCommentInput } from './comments.schema.js';
import { commentsService } from './comments.service.js';
import type { CommentsStore } from './comments.store.js';
import { fingerprint, idempotency } from './idempotency.js';
import { moderationService } from './moderation.service.js';
import { webhookService } from './webhook.service.js';
import type { WebhooksStore } from './webhooks.store.js';

/** Builds the comments feature once per app, from its stores: captcha, public comments, moderation, webhooks. */
export function createComments(
  stores: { comments: CommentsStore; captchas: CaptchaStore; webhooks: WebhooksStore },
  deps: { config: Config; audit: AuditService; sites: SitesService; hasher: Hasher; now: () => number; logger?: Logger | undefined; events: Events; mail: MailService },
) {
  const { config, now } = deps;
  const captcha = captchaService(stores.captchas, {
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
  const webhooks = webhookService(stores.webhooks, {
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
    retryBaseMs: config.WEBHOOK_RETRY_BASE_MS,
    allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
    now,
    audit: deps.audit,
    sites: deps.sites,
    logger: deps.logger,
  });
  const publicSide = commentsService(stores.comments, { sites: deps.sites, hasher: deps.hasher, captcha, webhooks, mail: deps.mail, maxLinks: config.COMMENT_MAX_LINKS, now, events: deps.events });
  const moderation = moderationService(stores.comments, { audit: deps.audit, sites: deps.sites, now, defaultTimezone: config.DEFAULT_TIMEZONE });
  const once = idempotency(stores.comments, { now });
  /** A post, at most once per Idempotency-Key: a repeat gets the first answer before any check runs. */
  const post = (siteId: string, thread: string, input: PostCommentInput, client: Parameters<typeof publicSide.post>[3], key?: string) =>
    once.run(siteId, key, fingerprint(thread, input), (claim) => publicSide.post(siteId, thread, input, client, claim));
  return { captcha, webhooks, moderation, post, thread: publicSide.thread, counts: publicSide.counts };
}

export type Comments = ReturnType<typeof createComments>;
