import { Router } from 'express';
import { actorOf, assertSiteAccess, principalOf, requireAdmin } from '../http/auth.js';
import { parse } from '../http/validate.js';
import { changeOriginsSchema, createSiteSchema, deleteSiteQuery, updateSiteSchema } from './sites.schema.js';
import type { SitesService } from './sites.service.js';

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
    const site = sites.create(parse(createSiteSchema, req.body), actorOf(req));
    res.status(201).location(`/v1/admin/sites/${site.id}`).json(site);
  });
  r.patch('/:site', requireAdmin, (req, res) => {
    res.json(sites.update(String(req.params.site), parse(updateSiteSchema, req.body), actorOf(req)));
  });
  r.post('/:site/origins', requireAdmin, (req, res) => {
    const { site } = sites.changeOrigins(String(req.params.site), parse(changeOriginsSchema, req.body), actorOf(req));
    res.json(site);
  });
  r.delete('/:site', requireAdmin, (req, res) => {
    const { confirm } = parse(deleteSiteQuery, req.query, 'query');
    res.json(sites.remove(String(req.params.site), confirm, actorOf(req)));
  });
  return r;
}
