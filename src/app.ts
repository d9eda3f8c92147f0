import express, { type Express } from 'express';
import type { Config } from './config.js';
import { createContainer, type Container } from './container.js';
import type { Events } from './events.js';
import { CONSOLE_DIST_DIR, WIDGET_DIST_DIR } from './paths.js';
import { silentLogger, type Logger } from './logger.js';
import type { Storage } from './storage/storage.js';
import { AppError } from './errors.js';
import { requirePrincipal } from './http/auth.js';
import { sessionCookie } from './http/sessionCookie.js';
import { refuseOversizedBody } from './http/bodyLimit.js';
import { errorHandler, notFoundHandler, sendProblem } from './http/problem.js';
import { createRateLimiters } from './http/rateLimits.js';
import { requestLog } from './http/requestLog.js';
import { securityHeaders } from './http/securityHeaders.js';
import type { HelmetOptions } from 'helmet';
import { responseCache } from './http/responseCache.js';
import { setPublicOrigin } from './http/publicOrigin.js';
import { siteCors } from './http/siteCors.js';
import { auditRoutes } from './audit/audit.routes.js';
import { commentsPublicRoutes } from './comments/comments.routes.js';
import { commentersRoutes, moderationRoutes } from './comments/moderation.routes.js';
import { webhookRoutes } from './comments/webhook.routes.js';
import { countersAdminRoutes, countersPublicRoutes } from './counters/counters.routes.js';
import { exportsAdminRoutes } from './exports/exports.routes.js';
import { requestMetrics } from './http/metrics.js';
import { metricsHandler } from './ops/metrics.routes.js';
import { pollsAdminRoutes, pollsPublicRoutes, voteRoute } from './polls/polls.routes.js';
import { adminLiveRoutes, liveRoutes } from './live/live.routes.js';
import { openApiRoutes } from './openapi/openapi.routes.js';
import { keysAdminRoutes } from './keys/keys.routes.js';
import { sitesAdminRoutes } from './sites/sites.routes.js';
import { surveysAdminRoutes, surveysPublicRoutes } from './surveys/surveys.routes.js';
import { surveyTemplatesRoutes } from './surveys/templates.routes.js';
import { overviewRoutes } from './overview/overview.routes.js';
import { demoLiveCheck, demoSurveyId } from './demo/seed.js';
import { pagesRoutes } from './pages/pages.routes.js';
import { widgetFiles } from './widget/widget.routes.js';
import { jsonBody } from './http/jsonBody.js';
import { createLane } from './http/lane/lane.js';
import { hotReads } from './http/lane/hotReads.js';
import type { RequestListener } from 'node:http';
import { consoleRoutes } from './console/console.routes.js';
import { sessionRoutes } from './users/session.routes.js';
import { usersAdminRoutes } from './users/users.routes.js';
import { BUILD, VERSION } from './version.js';

/** Helmet's defaults, with a CSP fitted to the demo and no-JS pages. */
export const HELMET_OPTIONS: Readonly<HelmetOptions> = {
  contentSecurityPolicy: {
    directives: {
      // The demo and no-JS pages load only our own script and styles.
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'data:'],
      // Many commune portals are still served over plain http: do not force https sub-requests.
      'upgrade-insecure-requests': null,
    },
  },
};

export interface AppDeps {
  storage: Storage;
  config: Config;
  logger?: Logger;
  now?: () => number;
  events?: Events;
}

/** `locals.lane` is what server.ts listens with: the fast lane for hot reads in front of the app (src/http/lane/). */
export type App = Express & { locals: { services: Container; lane: RequestListener } };

/** Builds the Express app and its services without listening: src/server.ts listens, tests use supertest. */
export async function createApp(deps: AppDeps): Promise<App> {
  const { config, storage } = deps;
  const logger = deps.logger ?? silentLogger();
  const services = await createContainer({ ...deps, logger });
  const { sites, polls, keys, audit, events } = services;
  const { metrics } = services;
  const limits = createRateLimiters(config, (tier) => events.emit({ type: 'rate.limited', tier }), storage.hits);

  const app = express();
  app.locals.services = services;
  app.set('trust proxy', config.TRUST_PROXY);
  setPublicOrigin(app, config.PUBLIC_URL);
  app.set('query parser', 'simple');
  // Hot public reads set strong ETags of their own (responseCache, widget); hashing every other
  // body (votes, admin answers) would cost CPU for validators nobody sends back.
  app.set('etag', false);
  app.disable('x-powered-by');

  // The front stages, run by the fast lane too (src/http/lane/): the same instances on both paths.
  const front = { log: requestLog(logger), metrics: requestMetrics(metrics), security: securityHeaders(HELMET_OPTIONS) };
  app.use(front.log, front.metrics, front.security);


  app.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok', version: VERSION });
  });
  // Which release answers, after an upgrade or a rollback (the Node.js version stays in the start log).
  app.get('/version', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ name: 'ykien', version: VERSION, ...(BUILD ? { build: BUILD } : {}) });
  });
  app.get('/readyz', async (_req, res) => {
    if (await storage.ready()) res.set('Cache-Control', 'no-store').json({ status: 'ready' });
    else sendProblem(res, 503, 'not_ready', 'The database is not ready.');
  });
  app.get('/metrics', metricsHandler(metrics, keys, config.METRICS_TOKEN));

  // Public endpoints: CORS per site, decided before anything else can answer.
  // The site's origins at once when cached (the usual case), from storage otherwise.
  const siteNamed = (id: string | undefined) => (id === undefined ? undefined : (sites.peek(id) ?? sites.get(id)));
  const cors = {
    poll: siteCors((params) => {
      const site = polls.siteOf(String(params.id));
      return site instanceof Promise ? site.then(siteNamed) : siteNamed(site);
    }),
    survey: siteCors((params) => {
      const site = services.surveys.siteOf(String(params.id));
      return site instanceof Promise ? site.then(siteNamed) : siteNamed(site);
    }),
    site: siteCors((params) => siteNamed(String(params.site))),
  };
  app.use('/v1/polls/:id', cors.poll);
  app.use('/v1/surveys/:id', cors.survey);
  app.use('/v1/sites/:site', cors.site);

  // The body stages, run by the fast lane's vote path too (src/http/lane/): the same instances on both paths.
  const body = { guard: refuseOversizedBody(config.BODY_LIMIT_BYTES), json: jsonBody(config.BODY_LIMIT_BYTES) };
  app.use(body.guard, body.json);

  // Hot public reads are served from one cache emptied by any database write.
  const responses = responseCache(storage.version, { onLookup: metrics.responseCacheLookup });
  // limits.read is the instance the lane runs too: both paths count against one limit.
  const vote = voteRoute(polls);
  app.use('/v1/polls', pollsPublicRoutes(polls, limits, responses, vote));
  app.use('/v1/surveys', surveysPublicRoutes(services.surveys, limits, responses));
  app.use('/v1/sites/:site', commentsPublicRoutes(services.comments, sites, limits, { comment: config.RATE_LIMIT_COMMENT_PER_MIN, captcha: config.RATE_LIMIT_CAPTCHA_PER_MIN }, responses));
  app.use(
    '/v1/sites/:site',
    liveRoutes({ hub: services.live, polls, surveys: services.surveys, limits, maxPerClient: config.LIVE_MAX_PER_CLIENT, maxStreams: config.LIVE_MAX_STREAMS, ipv6PrefixLength: config.IPV6_PREFIX_LENGTH }),
  );
  app.use('/v1/sites', countersPublicRoutes(services.counters, limits, limits.make(config.RATE_LIMIT_VIEWS_PER_MIN, 'views')));

  // The console's sign-in: a session cookie for people, never given a CORS allowance.
  const cookie = sessionCookie(config.PUBLIC_URL);
  app.use('/v1/session', limits.admin, sessionRoutes(services.sessions, cookie, config.IPV6_PREFIX_LENGTH));

  // Admin endpoints: never given a CORS allowance, always behind a key or a person's session.
  const admin = express.Router();
  admin.use(limits.admin, requirePrincipal(keys, services.sessions, cookie));
  admin.use('/users', usersAdminRoutes(services.users));
  admin.use('/keys', keysAdminRoutes(keys));
  admin.use(exportsAdminRoutes(services.exports)); // before /comments/:id can claim /comments/export
  admin.use('/sites', sitesAdminRoutes(sites));
  admin.use('/sites', countersAdminRoutes(services.counters));
  admin.use('/polls', pollsAdminRoutes(polls));
  admin.use('/overview', overviewRoutes(services.overview));
  admin.use('/surveys/templates', surveyTemplatesRoutes(services.surveyTemplates));
  admin.use('/surveys', surveysAdminRoutes(services.surveys, services.surveyFiles));
  admin.use('/audit', auditRoutes(audit));
  admin.use('/live', adminLiveRoutes({ hub: services.adminLive, polls, surveys: services.surveys, maxStreams: config.LIVE_MAX_STREAMS }));
  admin.use('/comments', moderationRoutes(services.comments));
  admin.use('/commenters', commentersRoutes(services.comments));
  admin.use('/sites/:site/webhook', webhookRoutes(services.comments.webhooks));
  app.use('/v1/admin', admin);

  app.use(openApiRoutes());
  // The widget script, the demo portal page at "/" and the no-JS poll pages /p/:id.
  const widget = widgetFiles(WIDGET_DIST_DIR);
  app.use(widget.routes());
  // The admin console: a page for people, calling the admin API above with its session cookie.
  app.use(consoleRoutes(CONSOLE_DIST_DIR));
  app.use(pagesRoutes({ polls, surveys: services.surveys, sites, limits, hasher: services.hasher, defaultTimezone: config.DEFAULT_TIMEZONE, demoLive: demoLiveCheck(services), demoSurvey: demoSurveyId(services) }));

  app.use(notFoundHandler);
  const onError = errorHandler((err, req) => {
    logger.error({ err, reqId: (req as { id?: unknown }).id }, 'unhandled error');
  });
  app.use(onError);

  app.locals.lane = createLane({
    app,
    front,
    onError,
    vote: { cors: cors.poll, ...body, limit: limits.write, route: vote },
    match: hotReads({ polls, surveys: services.surveys, sites, responses, widget, cors, readLimit: limits.read }),
  });
  return app as App;
}
