import { Router } from 'express';
import { actorOf, requireAdmin } from '../http/auth.js';
import { parse } from '../validation/validate.js';
import { createUserSchema, updateUserSchema } from './users.schema.js';
import type { UsersService } from './users.service.js';

/** /v1/admin/users: people who sign in to the console; admins only (a key or a person). */
export function usersAdminRoutes(users: UsersService): Router {
  const r = Router();
  r.use(requireAdmin);
  r.get('/', async (_req, res) => {
    res.json({ users: await users.list() });
  });
  r.post('/', async (req, res) => {
    res.status(201).json(await users.create(parse(createUserSchema, req.body), actorOf(req)));
  });
  r.get('/:username', async (req, res) => {
    res.json(await users.get(String(req.params.username)));
  });
  r.patch('/:username', async (req, res) => {
    res.json(await users.update(String(req.params.username), parse(updateUserSchema, req.body), actorOf(req)));
  });
  return r;
}
