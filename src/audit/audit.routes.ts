import { Router } from 'express';
import { z } from 'zod';
import { principalOf } from '../http/auth.js';
import { resolveWhen, when } from '../exports/exports.schema.js';
import { parse, slug } from '../validation/validate.js';
import type { AuditService } from './audit.service.js';

/** GET /v1/admin/audit's query (also the OpenAPI document's). */
export const auditQuery = z.object({
  site: slug(64).optional(),
  action: z.string().max(64).optional(),
  actor: z.string().min(1).max(200).optional(),
  from: when.optional(),
  to: when.optional(),
  targetType: z.string().min(1).max(64).optional(),
  targetId: z.string().min(1).max(200).optional(),
  cursor: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Dates (YYYY-MM-DD) are read in Vietnam's time, as the console shows the log. */
const LOG_ZONE = 'Asia/Ho_Chi_Minh';

/** GET /v1/admin/audit — newest first; a scoped moderator sees its own site only. */
export function auditRoutes(audit: AuditService): Router {
  const r = Router();
  r.get('/', async (req, res) => {
    const { from, to, ...q } = parse(auditQuery, req.query, 'query');
    res.set('Cache-Control', 'no-store').json(await audit.list(principalOf(req), { ...q, from: resolveWhen(from, LOG_ZONE, false), to: resolveWhen(to, LOG_ZONE, true) }));
  });
  return r;
}
