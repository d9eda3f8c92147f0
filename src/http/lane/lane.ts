import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ErrorRequestHandler, Express, RequestHandler } from 'express';
import proxyaddr from 'proxy-addr';
import type { RequestMetrics } from '../metrics.js';
import type { LimitCount } from '../rateLimits.js';
import type { RequestLog } from '../requestLog.js';
import type { SecurityHeaders } from '../securityHeaders.js';
import type { Answer, FastReply, HotRead, Ready } from './hotReads.js';
import { expressEntry } from './express.js';
import { runStages } from './stages.js';
import { voteLane, type VoteStages } from './vote.js';

export interface LaneDeps {
  app: Express;
  /** The app's own front middleware instances: request id and log, metrics, security headers (app.use'd in this order). */
  front: { log: RequestLog; metrics: RequestMetrics; security: SecurityHeaders };
  /** The app's error handler: an error in a stage the lane runs is answered as Express would answer it. */
  onError: ErrorRequestHandler;
  match(req: IncomingMessage): HotRead | undefined;
  /** POST /v1/polls/:id/votes: the stage instances its Express path runs (src/http/lane/vote.ts). */
  vote?: VoteStages;
}

const VOTE = /^\/v1\/polls\/([A-Za-z0-9_-]+)\/votes$/;

/** Request headers whose meaning the lane does not model: such a request is Express's. */
const UNMODELLED = ['range', 'if-range', 'if-match', 'if-modified-since', 'if-unmodified-since', 'content-length', 'transfer-encoding', 'expect'];
const NONE: readonly string[] = [];
const NO_STAGES: readonly RequestHandler[] = [];

/**
 * The fast lane for hot public reads (issue 17): a request listener in front of the Express app that
 * answers a response-cache hit (or a widget file) without Express's router. The common case (no
 * conditional header but an If-None-Match equal to the ETag, an Origin the site allows or none, a
 * count under the read limit) is written with one writeHead of precomputed header pairs, from what
 * the app's own middleware instances say they would set: their log line, metrics, security headers,
 * CORS decision and limiter count, called directly. Anything else a hit asks (a refusal, a 429, an
 * If-None-Match list, a store that fails) runs those same instances on Express's request and response,
 * so the answer is the normal path's by construction. A vote (POST /v1/polls/:id/votes) runs the very
 * stages its Express path runs, in that order, on Express's objects, without the router's search through
 * some thirty layers for them. Every miss, and everything the lane does not recognise, goes to Express
 * untouched. tests/lane.equivalence.test.ts holds both paths side by side.
 */
export function createLane(d: LaneDeps): RequestListener {
  const { app, onError } = d;
  const { log, metrics, security } = d.front;
  const frontStages: readonly RequestHandler[] = [log, metrics, security];

  // `resume`: onto Express's objects with what the front stages, CORS and the limiter set, for a refusal or an error after the count.
  const entry = expressEntry(app, security.pairs);
  const { enter } = entry;

  /** Through Express's objects and the app's middleware instances, in Express's order. */
  const serve = (req: IncomingMessage, res: ServerResponse, hot: HotRead, answer: Answer) => {
    const [r, s] = enter(req, res);
    r.params = hot.params;
    runStages(frontStages, r, s, onError, () => {
      // The route "matches" here, as in Express: after CORS at the mount, before the route's own limiter.
      runStages(hot.cors ? [hot.cors] : NO_STAGES, r, s, onError, () => {
        r.baseUrl = hot.baseUrl;
        (r as { route?: unknown }).route = { path: hot.route };
        // The answer as of the request's arrival: a write that lands while the limiter waits is as
        // concurrent with this read as one landing a moment later, so either state is a right answer.
        runStages(hot.limit ? [hot.limit] : NO_STAGES, r, s, onError, () => answer(r, s));
      });
    });
  };

  /** The security headers with `head` over them (a header of the same name replaces helmet's, as setHeader does); once per `head`. */
  const merged = new WeakMap<readonly string[], readonly string[]>();
  const withHead = (head: readonly string[]): readonly string[] => {
    let m = merged.get(head);
    if (m) return m;
    const out = [...security.pairs];
    for (let i = 0; i < head.length; i += 2) {
      const name = head[i]!.toLowerCase();
      const at = out.findIndex((n, j) => j % 2 === 0 && n.toLowerCase() === name);
      if (at === -1) out.push(head[i]!, head[i + 1]!);
      else out[at + 1] = head[i + 1]!;
    }
    merged.set(head, (m = out));
    return m;
  };

  /** 200 or 304 where the lane answers as the route's send would; undefined where only that send models the request. */
  const statusOf = (req: IncomingMessage, reply: FastReply): 200 | 304 | undefined => {
    const inm = req.headers['if-none-match'];
    if (inm === undefined) return 200;
    return inm === reply.etag && req.headers['cache-control'] === undefined ? 304 : undefined;
  };

  const write = (req: IncomingMessage, res: ServerResponse, status: 200 | 304, reply: FastReply, id: string, cors: readonly string[], c: LimitCount | undefined) => {
    const h = ['X-Request-Id', id, ...withHead(status === 200 ? reply.head : reply.head304), ...cors];
    if (c) h.push('RateLimit', c.rateLimit, 'RateLimit-Policy', c.policy);
    h.push('ETag', reply.etag);
    if (status === 200) h.push('Content-Length', String(reply.body.length));
    res.writeHead(status, h);
    res.end(status === 200 && req.method !== 'HEAD' ? reply.body : undefined);
    reply.counted?.();
  };

  /** CORS has let the read through with `cors`: count it against the read limit, then answer. */
  const counted = (req: IncomingMessage, res: ServerResponse, hot: HotRead, ready: Ready, status: 200 | 304, cors: readonly string[]) => {
    const count = hot.limit?.count;
    let counting: Promise<LimitCount> | undefined;
    if (count) {
      try {
        counting = count(proxyaddr(req, app.get('trust proxy fn') as (addr: string, i: number) => boolean));
      } catch {
        return serve(req, res, hot, ready.slow); // no key: the limiter says why, on Express's path
      }
    }
    // From here the request is the lane's: its log line and its count start as the front stages start them.
    const id = log.begin(req, res, req.url!);
    metrics.begin(req, res, metrics.label(app, hot.baseUrl, hot.route));
    // A header Node refuses (none should reach here: the values are ours or validated) is answered as Express would.
    const send = (c: LimitCount | undefined) => {
      try {
        write(req, res, status, ready.fast, id, cors, c);
      } catch (err) {
        if (res.headersSent) return void res.destroy();
        const [r, s] = entry.resume(req, res, hot, id, NONE, undefined);
        onError(err, r, s, () => undefined);
      }
    };
    if (!counting) return send(undefined);
    counting.then(
      (c) => {
        if (!c.over) return send(c);
        const [r, s] = entry.resume(req, res, hot, id, cors, c);
        s.setHeader('Retry-After', c.retryAfter);
        hot.limit!.refuse!(r, s);
      },
      (err: unknown) => {
        const [r, s] = entry.resume(req, res, hot, id, cors, undefined);
        onError(err, r, s, () => undefined);
      },
    );
  };

  const answer = (req: IncomingMessage, res: ServerResponse, hot: HotRead, ready: Ready) => {
    const status = statusOf(req, ready.fast);
    if (status === undefined) return serve(req, res, hot, ready.slow);
    const cors = hot.cors ? hot.cors.readHeaders(hot.params, req.headers.origin) : NONE;
    if (cors instanceof Promise) {
      cors.then(
        (c) => (c ? counted(req, res, hot, ready, status, c) : serve(req, res, hot, ready.slow)),
        () => serve(req, res, hot, ready.slow),
      );
      return;
    }
    if (!cors) return serve(req, res, hot, ready.slow);
    counted(req, res, hot, ready, status, cors);
  };

  const castVote = d.vote && voteLane({ app, front: d.front, onError, entry, stages: d.vote });

  return (req, res) => {
    if (castVote && req.method === 'POST') {
      const m = VOTE.exec(req.url!);
      if (m) return castVote(req, res, m[1]!);
    }
    if ((req.method !== 'GET' && req.method !== 'HEAD') || UNMODELLED.some((h) => req.headers[h] !== undefined)) return app(req, res);
    const hot = d.match(req);
    if (!hot) return app(req, res);
    hot.ready().then(
      (ready) => (ready ? answer(req, res, hot, ready) : app(req, res)),
      () => app(req, res),
    );
  };
}
