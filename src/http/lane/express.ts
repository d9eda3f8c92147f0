import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express, Request, Response } from 'express';
import type { LimitCount } from '../rateLimits.js';

/** Where Express's router would stand when a request goes on: the route's params and the router's base. */
export interface Position {
  params: Record<string, string>;
  baseUrl: string;
}

/**
 * How the lane hands a request it holds to Express's objects: `enter` as app.handle does before routing,
 * `resume` after the lane has already done the front stages' work itself (the headers they would have set
 * are set, so the app's error handler or limiter answers as on Express's path).
 */
export function expressEntry(app: Express, securityPairs: readonly string[]) {
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
  const resume = (req: IncomingMessage, res: ServerResponse, at: Position, id: string, cors: readonly string[], c: LimitCount | undefined): [Request, Response] => {
    const [r, s] = enter(req, res);
    r.params = at.params;
    r.baseUrl = at.baseUrl;
    const set = (pairs: readonly string[]) => {
      for (let i = 0; i < pairs.length; i += 2) s.setHeader(pairs[i]!, pairs[i + 1]!);
    };
    s.setHeader('X-Request-Id', id);
    set(securityPairs);
    set(cors);
    if (c) set(['RateLimit', c.rateLimit, 'RateLimit-Policy', c.policy]);
    return [r, s];
  };
  return { enter, resume };
}

export type ExpressEntry = ReturnType<typeof expressEntry>;
