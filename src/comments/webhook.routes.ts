import { Router } from 'express';
import { z } from 'zod';
import { actorOf, requireAdmin } from '../http/auth.js';
import { parse, slug } from '../validation/validate.js';
import { webhookSchema } from './comments.schema.js';
import type { WebhookService } from './webhook.service.js';

const params = z.object({ site: slug(64) });

/** /v1/admin/sites/:site/webhook — admin only; the secret is write-only. */
export function webhookRoutes(webhooks: WebhookService): Router {
  const r = Router({ mergeParams: true });
  r.use(requireAdmin);
  r.get('/', async (req, res) => {
    const { site } = parse(params, req.params, 'path');
    res.json({ site, ...(await webhooks.info(site)) });
  });
  r.put('/', async (req, res) => {
    const { site } = parse(params, req.params, 'path');
    const hook = parse(webhookSchema, req.body ?? {});
    res.json({ site, ...(await webhooks.set(site, hook, actorOf(req))) });
  });
  r.delete('/', async (req, res) => {
    const { site } = parse(params, req.params, 'path');
    await webhooks.remove(site, actorOf(req));
    res.status(204).end();
  });
  return r;
}
