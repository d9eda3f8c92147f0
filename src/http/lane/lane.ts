import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ErrorRequestHandler, Express, Request, RequestHandler, Response } from 'express';
import type { Answer, HotRead } from './hotReads.js';
import { runStages } from './stages.js';

export interface LaneDeps {
  app: Express;
  /** The app's own front middleware instances, in its order: request id and log, metrics, security headers. */
  front: readonly RequestHandler[];
  /** The app's error handler: an error in a stage the lane runs is answered as Express would answer it. */
  onError: ErrorRequestHandler;
  match(req: IncomingMessage): HotRead | undefined;
}

/** Request headers whose meaning the lane does not model: such a request is Express's. */
const UNMODELLED = ['range', 'if-range', 'if-match', 'if-modified-since', 'if-unmodified-since', 'content-length', 'transfer-encoding', 'expect'];

/**
 * The fast lane for hot public reads (issue 17): a request listener in front of the Express app that
 * answers a response-cache hit (or a widget file) without Express's router, running the app's own
 * middleware instances on the same Express request and response objects, so status, headers, 304s,
 * CORS, the request id and log line, the metrics and the read limit are the normal path's by
 * construction. Everything it does not recognise, and every miss, goes to Express untouched.
 */
export function createLane(d: LaneDeps): RequestListener {
  const { app, front, onError } = d;

  /** As Express's app.handle does before routing. */
  const enter = (req: IncomingMessage, res: ServerResponse): [Request, Response] => {
    const r = req as Request;
    const s = res as Response;
    r.res = s;
    s.req = r;
    Object.setPrototypeOf(r, app.request);
    Object.setPrototypeOf(s, app.response);
    if (!s.locals) s.locals = Object.create(null) as Response['locals'];
    r.originalUrl = r.url;
    r.baseUrl = '';
    return [r, s];
  };

  const serve = (req: IncomingMessage, res: ServerResponse, hot: HotRead, answer: Answer) => {
    const [r, s] = enter(req, res);
    r.params = hot.params;
    runStages(front, r, s, onError, () => {
      // The route "matches" here, as in Express: after CORS at the mount, before the route's own limiter.
      const [cors, ...rest] = hot.stages;
      runStages(cors ? [cors] : [], r, s, onError, () => {
        r.baseUrl = hot.baseUrl;
        (r as { route?: unknown }).route = { path: hot.route };
        // The answer as of the request's arrival: a write that lands while the limiter waits is as
        // concurrent with this read as one landing a moment later, so either state is a right answer.
        runStages(rest, r, s, onError, () => answer(r, s));
      });
    });
  };

  return (req, res) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || UNMODELLED.some((h) => req.headers[h] !== undefined)) return app(req, res);
    const hot = d.match(req);
    if (!hot) return app(req, res);
    hot.ready().then(
      (answer) => (answer ? serve(req, res, hot, answer) : app(req, res)),
      () => app(req, res),
    );
  };
}
