import type { Request, RequestHandler } from 'express';
import type { Metrics } from '../ops/metrics.js';
import { mountMatcher, mountPatterns } from './routePatterns.js';

const ROUTE = Symbol('route');
const ROUTE_LABEL = Symbol('routeLabel');
interface RouteSlots {
  [ROUTE]?: unknown;
  [ROUTE_LABEL]?: string;
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
export function requestMetrics(metrics: Pick<Metrics, 'requestAnswered'>): RequestHandler {
  const watched = new WeakSet<object>();
  // One per app (its request prototype), read from its router stack at the first matched route,
  // when every route has been added.
  const mounts = new WeakMap<object, (baseUrl: string) => string | undefined>();
  const mountOf = (req: Request): ((baseUrl: string) => string | undefined) => {
    let m = mounts.get(req.app);
    if (!m) {
      m = mountMatcher(mountPatterns((req.app as unknown as { router?: { stack?: unknown } }).router?.stack));
      mounts.set(req.app, m);
    }
    return m;
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
        const p = (value as { path?: unknown } | undefined)?.path;
        if (typeof p !== 'string') return;
        const base = this.baseUrl ? mountOf(this)(this.baseUrl) : '';
        this[ROUTE_LABEL] = base === undefined ? 'other' : p === '/' && base ? base : `${base}${p}`;
      },
    });
  };
  return (req, res, next) => {
    watchRoutes(req);
    const start = performance.now();
    res.once('finish', () => {
      const labels = {
        method: req.method,
        route: (req as RouteSlots & Request)[ROUTE_LABEL] ?? (res.statusCode === 404 ? 'unmatched' : 'other'),
        status: String(res.statusCode),
      };
      metrics.requestAnswered(labels, (performance.now() - start) / 1000);
    });
    next();
  };
}
