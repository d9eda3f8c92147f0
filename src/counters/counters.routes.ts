import { Router, type RequestHandler } from 'express';
import { actorOf, requireAdmin } from '../http/auth.js';
import type { RateLimiters } from '../http/rateLimits.js';
import { parse } from '../validation/validate.js';
import { pageParamsSchema, setCountersSchema, viewSchema } from './counters.schema.js';
import type { CountersService } from './counters.service.js';

/**
 * /v1/sites — public, no key; CORS per site is applied in app.ts. The page key is one path
 * segment: clients encode it with encodeURIComponent.
 */
export function countersPublicRoutes(counters: CountersService, limits: RateLimiters, viewsLimit: RequestHandler): Router {
  const r = Router();
  r.post('/:site/pages/:page/views', viewsLimit, async (req, res) => {
    const { page } = parse(pageParamsSchema, { page: req.params.page }, 'page');
    const { visitorId } = parse(viewSchema, req.body);
    const { counted: _counted, ...figures } = await counters.view(String(req.params.site), page, visitorId, req.get('user-agent'));
    res.set('Cache-Control', 'no-store').json(figures);
  });
  r.get('/:site/pages/:page/views', limits.read, async (req, res) => {
    const { page } = parse(pageParamsSchema, { page: req.params.page }, 'page');
    res.set('Cache-Control', 'no-store').json(await counters.figures(String(req.params.site), page));
  });
  r.get('/:site/stats', limits.read, async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await counters.stats(String(req.params.site)));
  });
  return r;
}

/** /v1/admin/sites/:site/counters — behind requireKey; admins only. */
export function countersAdminRoutes(counters: CountersService): Router {
  const r = Router();
  r.put('/:site/counters', requireAdmin, async (req, res) => {
    res.json(await counters.setStarting(String(req.params.site), parse(setCountersSchema, req.body), actorOf(req)));
  });
  return r;
}
