import { Router } from 'express';
import { principalOf } from '../http/auth.js';
import { parse } from '../validation/validate.js';
import { adminListQuery, bulkSchema, countsQuery, editSchema, eraseQuery, idParam, replySchema, type ModerationAction } from './comments.schema.js';
import type { Comments } from './index.js';

/** /v1/admin/comments — behind requireKey; moderators and admins. */
export function moderationRoutes(comments: Comments): Router {
  const r = Router();
  const m = comments.moderation;
  r.get('/', async (req, res) => {
    res.json(await m.list(principalOf(req), parse(adminListQuery, req.query, 'query')));
  });
  r.get('/counts', async (req, res) => {
    res.json({ counts: await m.counts(principalOf(req), parse(countsQuery, req.query, 'query')) });
  });
  r.post('/moderate', async (req, res) => {
    const { ids, action } = parse(bulkSchema, req.body ?? {});
    res.json({ action, results: await m.bulk(principalOf(req), ids, action) });
  });
  r.get('/:id', async (req, res) => {
    const { id } = parse(idParam, req.params, 'path');
    res.json(await m.get(principalOf(req), id));
  });
  for (const action of ['approve', 'reject', 'spam'] as const satisfies ModerationAction[]) {
    r.post(`/:id/${action}`, async (req, res) => {
      const { id } = parse(idParam, req.params, 'path');
      res.json(await m.act(principalOf(req), id, action));
    });
  }
  r.patch('/:id', async (req, res) => {
    const { id } = parse(idParam, req.params, 'path');
    res.json(await m.edit(principalOf(req), id, parse(editSchema, req.body ?? {}).content));
  });
  r.post('/:id/reply', async (req, res) => {
    const { id } = parse(idParam, req.params, 'path');
    res.status(201).json(await m.reply(principalOf(req), id, parse(replySchema, req.body ?? {}).content));
  });
  r.delete('/:id', async (req, res) => {
    const { id } = parse(idParam, req.params, 'path');
    await m.act(principalOf(req), id, 'delete');
    res.status(204).end();
  });
  return r;
}

/** /v1/admin/commenters — data-deletion requests. */
export function commentersRoutes(comments: Comments): Router {
  const r = Router();
  r.delete('/', async (req, res) => {
    const { site, email } = parse(eraseQuery, req.query, 'query');
    res.json(await comments.moderation.erase(principalOf(req), site, email));
  });
  return r;
}
