import { Router } from 'express';
import { z } from 'zod';
import type { LegacyAuditRepo as AuditRepo } from '../storage/sqlite/legacy.js';
import type { Db } from '../storage/sqlite/open.js';
import { AppError, notFound } from '../errors.js';
import { actorOf, requireAdmin } from '../http/auth.js';
import { parse, slug } from '../validation/validate.js';
import type { SitesService } from '../sites/sites.service.js';
import { webhookSchema } from './comments.schema.js';
import { refusedTarget, type WebhookService } from './webhook.service.js';

const params = z.object({ site: slug(64) });

/** /v1/admin/sites/:site/webhook — admin only; the secret is write-only. */
export function webhookRoutes(db: Db, webhooks: WebhookService, sites: SitesService, audit: AuditRepo, opts: { allowPrivate: boolean }): Router {
  const r = Router({ mergeParams: true });
  r.use(requireAdmin);
  r.get('/', async (req, res) => {
    const { site } = parse(params, req.params, 'path');
    await sites.require(site);
    const info = webhooks.info(site);
    if (!info) throw notFound(`A webhook for site "${site}"`);
    res.json({ site, ...info });
  });
  r.put('/', async (req, res) => {
    const { site } = parse(params, req.params, 'path');
    const hook = parse(webhookSchema, req.body ?? {});
    await sites.require(site);
    // A name is checked again, after resolution, at every delivery (webhook.service.ts).
    const refused = refusedTarget(hook.url, opts.allowPrivate);
    if (refused)
      throw new AppError(400, 'webhook_target_not_allowed', `The webhook URL ${refused}.`, { errors: [{ field: 'url', message: refused }] });
    db.transaction(() => {
      webhooks.set(site, hook);
      audit.record({ actor: actorOf(req), action: 'webhook.set', targetType: 'site', targetId: site, siteId: site, detail: { url: hook.url } });
    })();
    res.json({ site, ...webhooks.info(site)! });
  });
  r.delete('/', async (req, res) => {
    const { site } = parse(params, req.params, 'path');
    await sites.require(site);
    const removed = db.transaction(() => {
      const ok = webhooks.remove(site);
      if (ok) audit.record({ actor: actorOf(req), action: 'webhook.delete', targetType: 'site', targetId: site, siteId: site });
      return ok;
    })();
    if (!removed) throw notFound(`A webhook for site "${site}"`);
    res.status(204).end();
  });
  return r;
}
