import { Router } from 'express';
import { principalOf } from '../http/auth.js';
import type { OverviewService } from './overview.service.js';

/** GET /v1/admin/overview — admins only (a moderator's own queue is /v1/admin/comments). */
export function overviewRoutes(overview: OverviewService): Router {
  const r = Router();
  r.get('/', async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await overview.get(principalOf(req)));
  });
  return r;
}
