import { Router } from 'express';
import { assertAccess, canAccess } from '../access/access.js';
import { actorOf, principalOf, requireAdmin } from '../http/auth.js';
import { parse } from '../validation/validate.js';
import { changeOriginsSchema, createSiteSchema, deleteSiteQuery, originCheckQuery, updateSiteSchema } from './sites.schema.js';
import type { SitesService } from './sites.service.js';
import { siteView } from './sites.view.js';

/** /v1/admin/sites — mounted behind requireKey. */
export function sitesAdminRoutes(sites: SitesService): Router {
  const r = Router();
  r.get('/', async (req, res) => {
    const p = principalOf(req);
    res.json({ sites: (await sites.list()).filter((s) => canAccess(p, s.id)).map((s) => siteView(p, s)) });
  });
  r.get('/:site', async (req, res) => {
    const p = principalOf(req);
    assertAccess(p, String(req.params.site));
    res.json(siteView(p, await sites.require(String(req.params.site))));
  });
  r.get('/:site/origin-check', requireAdmin, async (req, res) => {
    const { url } = parse(originCheckQuery, req.query, 'query');
    res.json(await sites.originCheck(String(req.params.site), url));
  });
  r.post('/', requireAdmin, async (req, res) => {
    const site = await sites.create(parse(createSiteSchema, req.body), actorOf(req));
    res.status(201).location(`/v1/admin/sites/${site.id}`).json(site);
  });
  r.patch('/:site', requireAdmin, async (req, res) => {
    res.json(await sites.update(String(req.params.site), parse(updateSiteSchema, req.body), actorOf(req)));
  });
  r.post('/:site/origins', requireAdmin, async (req, res) => {
    const { site } = await sites.changeOrigins(String(req.params.site), parse(changeOriginsSchema, req.body), actorOf(req));
    res.json(site);
  });
  r.delete('/:site', requireAdmin, async (req, res) => {
    const { confirm } = parse(deleteSiteQuery, req.query, 'query');
    res.json(await sites.remove(String(req.params.site), confirm, actorOf(req)));
  });
  return r;
}
