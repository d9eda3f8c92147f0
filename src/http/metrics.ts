import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express, Request, RequestHandler } from 'express';
import type { Metrics } from '../ops/metrics.js';
import { mountMatcher, mountPatterns } from './routePatterns.js';

const ROUTE = Symbol('route');
const ROUTE_LABEL = Symbol('routeLabel');
interface RouteSlots {
  [ROUTE]?: unknown;
  [ROUTE_LABEL]?: string;
}

/** The middleware, and what the fast lane (src/http/lane/) calls for a request it answers without Express. */
export interface RequestMetrics extends RequestHandler {
  /** The label Express's path gives a route matched under `baseUrl` (undefined for a RegExp route: "other"). */
  label(app: Express, baseUrl: string, route: string | RegExp): string | undefined;
  /** Counts `res` under `label` once it is answered, as the middleware does for a matched route. */
  begin(req: IncomingMessage, res: ServerResponse, label: string | undefined): void;
  /** Names the route a request begun without one has matched since (where Express's path would set req.route). */
  matched(req: IncomingMessage, label: string | undefined): void;
}

/**
 * Counts every request once it is answered; the route label is the pattern, never the raw URL or an
 * id: made-up sites, polls and paths must not add series. Express sets req.route when a route matches,
 * while req.baseUrl still names the router it belongs to; an accessor captures both then (baseUrl is
 * reset when an error leaves the router), and baseUrl is turned back into its mount pattern
 * ("/v1/sites/:site"). Unmatched paths share "unmatched", the rest "other". The accessor sits on the
 * app's request prototype, installed once: defining it on each request object cost ~20 µs of CPU per
 * request under load (bench/results.md).
 */
export function requestMetrics(metrics: Pick<Metrics, 'requestAnswered'>): RequestMetrics {
  const watched = new WeakSet<object>();
  // One per app, read from its router stack at the first matched route, when every route has been added.
  const mounts = new WeakMap<object, (baseUrl: string) => string | undefined>();
  const mountOf = (app: Express): ((baseUrl: string) => string | undefined) => {
    let m = mounts.get(app);
    if (!m) {
      m = mountMatcher(mountPatterns((app as unknown as { router?: { stack?: unknown } }).router?.stack));
      mounts.set(app, m);
    }
    return m;
  };
  const label = (app: Express, baseUrl: string, p: unknown): string | undefined => {
    if (typeof p !== 'string') return undefined;
    const base = baseUrl ? mountOf(app)(baseUrl) : '';
    return base === undefined ? 'other' : p === '/' && base ? base : `${base}${p}`;
  };
  const watchRoutes = (req: Request) => {
    const proto = Object.getPrototypeOf(req) as object | null;
    if (!proto || watched.has(proto)) return;
    watched.add(proto);
    Object.defineProperty(proto, 'route', {
      configurable: true,
      enumerable: true,
      get(this: RouteSlots) {
        return this[ROUTE];
      },
      set(this: RouteSlots & Request, value: unknown) {
        this[ROUTE] = value;
        const l = label(this.app as Express, this.baseUrl, (value as { path?: unknown } | undefined)?.path);
        if (l !== undefined) this[ROUTE_LABEL] = l;
      },
    });
  };
  const count = (req: IncomingMessage, res: ServerResponse) => {
    const start = performance.now();
    res.once('finish', () => {
      const labels = {
        method: req.method!,
        route: (req as RouteSlots)[ROUTE_LABEL] ?? (res.statusCode === 404 ? 'unmatched' : 'other'),
        status: String(res.statusCode),
      };
      metrics.requestAnswered(labels, (performance.now() - start) / 1000);
    });
  };
  const middleware: RequestHandler = (req, res, next) => {
    watchRoutes(req);
    count(req, res);
    next();
  };
  return Object.assign(middleware, {
    label,
    begin(req: IncomingMessage, res: ServerResponse, l: string | undefined) {
      if (l !== undefined) (req as RouteSlots)[ROUTE_LABEL] = l;
      count(req, res);
    },
    matched(req: IncomingMessage, l: string | undefined) {
      if (l !== undefined) (req as RouteSlots)[ROUTE_LABEL] = l;
    },
  });
}
