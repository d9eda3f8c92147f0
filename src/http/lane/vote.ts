import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler, Express, RequestHandler } from 'express';
import proxyaddr from 'proxy-addr';
import type { VoteRoute } from '../../polls/polls.routes.js';
import type { BodyGuard } from '../bodyLimit.js';
import { sharedJson } from '../sendJson.js';
import type { JsonBody } from '../jsonBody.js';
import type { RequestMetrics } from '../metrics.js';
import type { Limiter, LimitCount } from '../rateLimits.js';
import type { RequestLog } from '../requestLog.js';
import type { SecurityHeaders } from '../securityHeaders.js';
import type { SiteCors } from '../siteCors.js';
import type { ExpressEntry, Position } from './express.js';
import { runStages } from './stages.js';

/** POST /v1/polls/:id/votes: the instances its Express path runs, in order. */
export interface VoteStages {
  /** CORS at the /v1/polls/:id mount. */
  cors: SiteCors;
  /** The body stages app.use'd before the routers: the size guard, then the JSON reader. */
  guard: BodyGuard;
  json: JsonBody;
  /** The route's own: the write limit, then the vote. */
  limit: Limiter;
  route: VoteRoute;
}

interface VoteLaneDeps {
  app: Express;
  front: { log: RequestLog; metrics: RequestMetrics; security: SecurityHeaders };
  onError: ErrorRequestHandler;
  entry: ExpressEntry;
  stages: VoteStages;
}

const BASE = '/v1/polls';
const ROUTE = '/:id/votes';
const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * A vote, held by the lane from its first byte. The common one (a plain JSON body, no Origin or one the
 * site allows) is done without Express's objects: the front stages', CORS's, the limiter's and the route's
 * work through the small API beside each of those middleware instances, in their order, and the 201 written
 * with one writeHead. Anything else (a chunked or odd body, a same-origin or unresolved Origin) runs those
 * very instances on Express's objects, in the same order, without the router's search for them. An error or a
 * 429 met on the way is answered by the app's error handler or the limiter on Express's objects, with the
 * headers set that the stages before it would have set.
 */
export function voteLane(d: VoteLaneDeps): (req: IncomingMessage, res: ServerResponse, pollId: string) => void {
  const { app, onError, entry } = d;
  const { log, metrics, security } = d.front;
  const { cors, guard, json, limit, route } = d.stages;

  const before: readonly RequestHandler[] = [log, metrics, security, cors, guard, json];
  const after: readonly RequestHandler[] = [limit, route];
  /** On Express's objects, every stage as a middleware. */
  const staged = (req: IncomingMessage, res: ServerResponse, at: Position) => {
    const [r, s] = entry.enter(req, res);
    r.params = at.params;
    runStages(before, r, s, onError, () => {
      r.baseUrl = BASE;
      (r as { route?: unknown }).route = { path: ROUTE };
      runStages(after, r, s, onError, () => onError(new Error('the vote route passed its request on'), r, s, () => undefined));
    });
  };

  // Asked at the first vote, when the app has every route (the label is made from its router's mounts).
  let label: string | undefined | null = null;
  const routeLabel = () => (label === null ? (label = metrics.label(app, BASE, ROUTE)) : label);

  const direct = (req: IncomingMessage, res: ServerResponse, at: Position, allowance: readonly string[]) => {
    const id = log.begin(req, res, req.url!);
    metrics.begin(req, res, undefined);
    let matched = false;
    /** The app's error handler on Express's objects, with what the stages so far would have set. */
    const fail = (err: unknown, c: LimitCount | undefined) => {
      if (res.headersSent) return void res.destroy();
      const [r, s] = entry.resume(req, res, matched ? { params: at.params, baseUrl: BASE } : at, id, allowance, c);
      if (matched) (r as { route?: unknown }).route = { path: ROUTE };
      onError(err, r, s, () => undefined);
    };
    /** As the route's sendJson(res, 201, answer) after the stages' headers. */
    const send = (answer: object, c: LimitCount | undefined) => {
      let body: Buffer;
      try {
        body = sharedJson(answer);
        const h = ['X-Request-Id', id, ...security.pairs, ...allowance];
        if (c) h.push('RateLimit', c.rateLimit, 'RateLimit-Policy', c.policy);
        h.push('Content-Type', JSON_TYPE, 'Content-Length', String(body.length));
        res.writeHead(201, h);
      } catch (err) {
        return fail(err, c);
      }
      res.end(body);
    };
    json.read(req, (err, body) => {
      if (err !== undefined) return fail(err, undefined);
      matched = true;
      metrics.matched(req, routeLabel());
      const ip = proxyaddr(req, app.get('trust proxy fn') as (addr: string, i: number) => boolean);
      const cast = (c: LimitCount | undefined) =>
        route.cast(at.params.id!, body, { ip, userAgent: req.headers['user-agent'] }).then(
          (answer) => send(answer, c),
          (e: unknown) => fail(e, c),
        );
      if (!limit.count) return void cast(undefined);
      let counting: Promise<LimitCount>;
      try {
        counting = limit.count(ip);
      } catch (e) {
        return fail(e, undefined);
      }
      counting.then(
        (c) => {
          if (!c.over) return void cast(c);
          const [r, s] = entry.resume(req, res, { params: at.params, baseUrl: BASE }, id, allowance, c);
          (r as { route?: unknown }).route = { path: ROUTE };
          s.setHeader('Retry-After', c.retryAfter);
          limit.refuse!(r, s);
        },
        (e: unknown) => fail(e, undefined),
      );
    });
  };

  return (req, res, pollId) => {
    const at: Position = { params: { id: pollId }, baseUrl: '' };
    if (!guard.passes(req) || !json.plain(req)) return staged(req, res, at);
    const allowance = cors.writeHeaders(at.params, req.headers.origin);
    if (!allowance || allowance instanceof Promise) return staged(req, res, at);
    direct(req, res, at, allowance);
  };
}
