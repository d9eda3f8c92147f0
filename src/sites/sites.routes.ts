import { Router } from 'express';
import { principalOf, requireAdmin } from '../http/auth.js';
import { parse } from '../http/validate.js';
import { createSiteSchema, updateSiteSchema } from './sites.schema.js';
import type { SitesService } from './sites.service.js';
import { assertSiteAccess } from '../http/auth.js';

/** /v1/admin/sites — mounted behind requireKey. */
export function sitesAdminRoutes(sites: SitesService): Router {
  const r = Router();
  r.get('/', (req, res) => {
    const p = principalOf(req);
    res.json({ sites: sites.list().filter((s) => p.role === 'admin' || p.siteId === null || p.siteId === s.id) });
  });
  r.get('/:site', (req, res) => {
    assertSiteAccess(principalOf(req), String(req.params.site));
    res.json(sites.require(String(req.params.site)));
  });
  r.post('/', requireAdmin, (req, res) => {
    const site = sites.create(parse(createSiteSchema, req.body), principalOf(req).name);
    res.status(201).location(`/v1/admin/sites/${site.id}`).json(site);
  });
  r.patch('/:site', requireAdmin, (req, res) => {
    res.json(sites.update(String(req.params.site), parse(updateSiteSchema, req.body), principalOf(req).name));
  });
  return r;
}
