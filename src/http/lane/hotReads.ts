import { parse as parseQuery } from 'node:querystring';
import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { countsCacheKey, threadCacheKey } from '../../comments/comments.routes.js';
import { listQuery, threadCountsQuery, threadParams } from '../../comments/comments.schema.js';
import { pollCacheKey } from '../../polls/polls.routes.js';
import { voterQuerySchema } from '../../polls/polls.schema.js';
import type { PollsService } from '../../polls/polls.service.js';
import { surveyCacheKey } from '../../surveys/surveys.routes.js';
import { respondentQuerySchema } from '../../surveys/surveys.schema.js';
import type { SurveysService } from '../../surveys/surveys.service.js';
import type { WidgetFiles } from '../../widget/widget.routes.js';
import type { Limiter } from '../rateLimits.js';
import type { ResponseCache } from '../responseCache.js';
import type { SiteCors } from '../siteCors.js';

export type Answer = (req: Request, res: Response) => void;

/** A hit as the lane writes it without Express: what the route's own send would put on the wire. */
export interface FastReply {
  etag: string;
  body: Buffer;
  /** Headers set after the security headers on a 200, as name, value pairs (one constant array per kind of answer). */
  head: readonly string[];
  /** The same on a 304 (Express's send drops Content-Type there; the widget's does not). */
  head304: readonly string[];
  /** Counts the hit where the route's send would (the response cache's lookups). */
  counted?: () => void;
}

/** The answer as of now: through Express's objects (`slow`), or written directly when nothing unusual is asked (`fast`). */
export interface Ready {
  slow: Answer;
  fast: FastReply;
}

/** One hot public read the lane recognised, with what Express's router would have set when its route matched. */
export interface HotRead {
  /** req.baseUrl and req.route's path at the route: the metrics label is made of them. */
  baseUrl: string;
  route: string | RegExp;
  params: Record<string, string>;
  /** What runs between the app's front stages and the answer, in Express's order: the site's CORS, then the read limit. */
  cors?: SiteCors;
  limit?: Limiter;
  /** The answer as of now; undefined when none is ready (a miss: the request is Express's). Asked once, before the lane commits. */
  ready(): Promise<Ready | undefined>;
}

export interface HotReadDeps {
  polls: Pick<PollsService, 'viewKey'>;
  surveys: Pick<SurveysService, 'viewKey'>;
  /**
   * Sites in memory: undefined is a site known not to exist (left to Express at once); null, "not looked at
   * lately", goes on: a stored answer is the route's either way, and CORS resolves the site itself, as in Express.
   */
  sites: { peek(id: string): unknown };
  responses: ResponseCache;
  widget: WidgetFiles;
  /** The same CORS middleware instances app.ts mounts on /v1/polls/:id, /v1/surveys/:id and /v1/sites/:site. */
  cors: { poll: SiteCors; survey: SiteCors; site: SiteCors };
  /** The same read limiter instance the public routers use. */
  readLimit: Limiter;
}

// Only segments that need no decoding in polls' and surveys' ids; comments' segments are decoded as Express does.
const POLL = /^\/v1\/polls\/([A-Za-z0-9_-]+)(\/results)?$/;
const SURVEY = /^\/v1\/surveys\/([A-Za-z0-9_-]+)(\/results)?$/;
const THREAD = /^\/v1\/sites\/([A-Za-z0-9_-]+)\/threads\/([^/]+)\/comments$/;
const COUNTS = /^\/v1\/sites\/([A-Za-z0-9_-]+)\/comment-counts$/;

/** What responseCache's send sets after the Cache-Control of the route, on a 200 and on Express's 304: constant arrays per policy. */
const JSON_HEADS = new Map<string, { head: readonly string[]; head304: readonly string[] }>();
function jsonHeads(cacheControl: string) {
  let h = JSON_HEADS.get(cacheControl);
  if (!h) {
    h = { head: ['Cache-Control', cacheControl, 'Content-Type', 'application/json; charset=utf-8'], head304: ['Cache-Control', cacheControl] };
    JSON_HEADS.set(cacheControl, h);
  }
  return h;
}

/** Express's query parser ('simple': node:querystring) and the route's own schema; undefined when Express would answer 400. */
function query<S extends z.ZodType>(schema: S, search: string): z.output<S> | undefined {
  const r = schema.safeParse(parseQuery(search));
  return r.success ? r.data : undefined;
}

/**
 * Recognises the hot public reads by their URL alone (synchronously, nothing read or changed): exactly
 * the paths their routes match, in the spelling clients use (lower case, no trailing slash, no encoded
 * ids); anything else is Express's. The cache keys and query schemas are the routes' own.
 */
export function hotReads(d: HotReadDeps): (req: IncomingMessage) => HotRead | undefined {
  const countHit = () => d.responses.countHit();
  const cached = (key: () => Promise<string> | string, cacheControl: string) => {
    const { head, head304 } = jsonHeads(cacheControl);
    return async (): Promise<Ready | undefined> => {
      const entry = await d.responses.peek(await key());
      if (!entry) return undefined;
      return {
        slow: (_req, res) => {
          res.setHeader('Cache-Control', cacheControl);
          d.responses.sendHit(res, entry);
        },
        fast: { etag: entry.etag, body: entry.body, head, head304, counted: countHit },
      };
    };
  };
  return (req): HotRead | undefined => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const search = q === -1 ? '' : url.slice(q + 1);

    if (path.startsWith('/v1/polls/')) {
      const m = POLL.exec(path);
      const v = m && query(voterQuerySchema, search);
      if (!m || !v) return undefined;
      const id = m[1]!;
      const kind = m[2] ? 'results' : 'poll';
      return {
        baseUrl: '/v1/polls',
        route: m[2] ? '/:id/results' : '/:id',
        params: { id },
        cors: d.cors.poll,
        limit: d.readLimit,
        ready: cached(() => pollCacheKey(d.polls as PollsService, kind, id, v.voterId), 'private, no-cache'),
      };
    }
    if (path.startsWith('/v1/surveys/')) {
      const m = SURVEY.exec(path);
      const v = m && query(respondentQuerySchema, search);
      if (!m || !v) return undefined;
      const id = m[1]!;
      const kind = m[2] ? 'survey-results' : 'survey';
      return {
        baseUrl: '/v1/surveys',
        route: m[2] ? '/:id/results' : '/:id',
        params: { id },
        cors: d.cors.survey,
        limit: d.readLimit,
        ready: cached(() => surveyCacheKey(d.surveys as SurveysService, kind, id, v.respondentId), 'private, no-cache'),
      };
    }
    if (path.startsWith('/v1/sites/')) {
      const t = THREAD.exec(path);
      if (t) {
        let thread: string;
        try {
          thread = decodeURIComponent(t[2]!);
        } catch {
          return undefined;
        }
        const p = threadParams.safeParse({ site: t[1], thread });
        const l = query(listQuery, search);
        if (!p.success || !l || d.sites.peek(p.data.site) === undefined) return undefined;
        const { site } = p.data;
        return {
          baseUrl: `/v1/sites/${t[1]}`,
          route: '/threads/:thread/comments',
          params: { site: t[1]!, thread },
          cors: d.cors.site,
          limit: d.readLimit,
          ready: cached(() => threadCacheKey(site, p.data.thread, l), 'no-cache'),
        };
      }
      const c = COUNTS.exec(path);
      const counts = c && query(threadCountsQuery, search);
      if (!c || !counts || d.sites.peek(c[1]!) === undefined) return undefined;
      const site = c[1]!;
      return {
        baseUrl: `/v1/sites/${site}`,
        route: '/comment-counts',
        params: { site },
        cors: d.cors.site,
        limit: d.readLimit,
        ready: cached(() => countsCacheKey(site, counts.thread), 'no-cache'),
      };
    }
    if (search === '' && (path.endsWith('.js'))) {
      const w = d.widget.answer(path);
      if (!w) return undefined;
      return {
        baseUrl: '',
        route: w.route,
        params: {},
        ready: async () => ({
          slow: (req, res) => w.send(res, req.get('if-none-match')),
          fast: { etag: w.etag, body: w.body, head: w.headers, head304: w.headers },
        }),
      };
    }
    return undefined;
  };
}
