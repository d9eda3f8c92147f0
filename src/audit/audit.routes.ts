import { Router } from 'express';
import { z } from 'zod';
import { principalOf } from '../http/auth.js';
import { parse, slug } from '../validation/validate.js';
import type { AuditService } from './audit.service.js';

const query = z.object({
  site: slug(64).optional(),
  action: z.string().max(64).optional(),
  cursor: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** GET /v1/admin/audit — newest first; a scoped moderator sees its own site only. */
export function auditRoutes(audit: AuditService): Router {
  const r = Router();
  r.get('/', async (req, res) => {
    res.json(await audit.list(principalOf(req), parse(query, req.query, 'query')));
  });
  return r;
}
