import { Router } from 'express';
import { z } from 'zod';
import { assertSiteAccess, principalOf } from '../http/auth.js';
import { parse, slug } from '../http/validate.js';
import type { AuditRepo } from './audit.repo.js';

const query = z.object({
  site: slug(64).optional(),
  action: z.string().max(64).optional(),
  cursor: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** GET /v1/admin/audit — newest first; a scoped moderator sees its own site only. */
export function auditRoutes(audit: AuditRepo): Router {
  const r = Router();
  r.get('/', (req, res) => {
    const p = principalOf(req);
    const q = parse(query, req.query, 'query');
    const site = p.role === 'admin' || p.siteId === null ? q.site : p.siteId;
    if (q.site) assertSiteAccess(p, q.site);
    const entries = audit.list({ site, action: q.action, before: q.cursor, limit: q.limit });
    const nextCursor = entries.length === q.limit ? String(entries.at(-1)!.id) : null;
    res.json({ entries, nextCursor });
  });
  return r;
}
