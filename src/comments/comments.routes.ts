import { Router } from 'express';
import type { RateLimiters } from '../http/rateLimits.js';
import { noResponseCache, type ResponseCache } from '../http/responseCache.js';
import { parse, slug } from '../validation/validate.js';
import { z } from 'zod';
import { idempotencyKey } from './idempotency.js';
import type { Comments } from './index.js';
import { captchaQuery, listQuery, threadCountsQuery, postCommentSchema, threadParams } from './comments.schema.js';

const siteParams = z.object({ site: slug(64) });

/** The response cache's keys of the public reads: the routes below and the fast lane (src/http/lane/) must agree. */
export const threadCacheKey = (site: string, thread: string, q: z.output<typeof listQuery>) =>
  `thread\0${site}\0${thread}\0${q.cursor ? `${q.cursor.at}-${q.cursor.id}` : ''}\0${q.limit}`;
export const countsCacheKey = (site: string, threads: readonly string[]) => `counts\0${site}\0${[...threads].sort().join('\0')}`;

/** Public, mounted under /v1/sites/:site (CORS per site is applied there). */
export function commentsPublicRoutes(
  comments: Comments,
  sites: { require(id: string): Promise<unknown> },
  limits: RateLimiters,
  perMinute: { comment: number; captcha: number },
  cache: ResponseCache = noResponseCache,
): Router {
  const r = Router({ mergeParams: true });
  const captchaLimit = limits.make(perMinute.captcha, 'captcha');
  const commentLimit = limits.make(perMinute.comment, 'comment');

  r.get('/captcha', limits.write, captchaLimit, async (req, res) => {
    const { site } = parse(siteParams, req.params, 'path');
    const { mode } = parse(captchaQuery, req.query, 'query');
    await sites.require(site);
    res.set('Cache-Control', 'no-store').json(await comments.captcha.issue(site, mode));
  });

  r.get('/threads/:thread/comments', limits.read, async (req, res) => {
    const { site, thread } = parse(threadParams, req.params, 'path');
    const q = parse(listQuery, req.query, 'query');
    // Answered from the response cache until the next write (src/http/responseCache.ts).
    const key = threadCacheKey(site, thread, q);
    res.set('Cache-Control', 'no-cache');
    await cache.json(res, key, () => comments.thread(site, thread, q));
  });

  r.get('/comment-counts', limits.read, async (req, res) => {
    const { site } = parse(siteParams, req.params, 'path');
    const { thread } = parse(threadCountsQuery, req.query, 'query');
    const key = countsCacheKey(site, thread);
    res.set('Cache-Control', 'no-cache');
    await cache.json(res, key, () => comments.counts(site, thread));
  });

  r.post('/threads/:thread/comments', limits.write, commentLimit, async (req, res) => {
    const { site, thread } = parse(threadParams, req.params, 'path');
    const input = parse(postCommentSchema, req.body ?? {});
    const key = idempotencyKey(req.get('idempotency-key'));
    const result = await comments.post(site, thread, input, { ip: req.ip, userAgent: req.get('user-agent') }, key);
    res.status(result.status === 'approved' ? 201 : 202).set('Cache-Control', 'no-store').json(result);
  });
  return r;
}
