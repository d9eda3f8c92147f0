import { Router } from 'express';
import { actorOf, requireAdmin } from '../http/auth.js';
import { parse } from '../validation/validate.js';
import { createKeySchema } from './keys.schema.js';
import { keyView, type KeysService } from './keys.service.js';

/** /v1/admin/keys: API keys for scripts, made and revoked by admins (the CLI's `keys` commands, over HTTP). */
export function keysAdminRoutes(keys: KeysService): Router {
  const r = Router();
  r.use(requireAdmin);
  r.get('/', async (_req, res) => {
    res.json({ keys: (await keys.list()).map(keyView) });
  });
  r.post('/', async (req, res) => {
    const { key, row } = await keys.create(parse(createKeySchema, req.body), actorOf(req));
    // The key itself is in this answer only: it is never stored, so it can never be shown again.
    res.status(201).set('Cache-Control', 'no-store').json({ ...keyView(row), key });
  });
  r.delete('/:id', async (req, res) => {
    await keys.revoke(String(req.params.id), actorOf(req));
    res.status(204).end();
  });
  return r;
}
