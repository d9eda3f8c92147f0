import { Router, type RequestHandler } from 'express';
import { actorOf, requireAdmin } from '../http/auth.js';
import type { RateLimiters } from '../http/rateLimits.js';
import { noResponseCache, type ResponseCache } from '../http/responseCache.js';
import { sendJson } from '../http/sendJson.js';
import { parse } from '../validation/validate.js';
import { createPollSchema, listPollsQuerySchema, startingFiguresSchema, updatePollSchema, voteSchema, voterQuerySchema } from './polls.schema.js';
import type { PollsService, VoteClient } from './polls.service.js';
import type { VoteAnswer } from '../api/polls.js';

/** The response cache's key of a public read: the route below and the fast lane (src/http/lane/) must agree. */
export const pollCacheKey = async (polls: PollsService, kind: 'poll' | 'results', id: string, voterId: string | undefined) =>
  `${kind}\0${await polls.viewKey(id, voterId)}`;

/** POST /v1/polls/:id/votes after its limiter, and what the fast lane (src/http/lane/) calls without Express's objects. */
export interface VoteRoute extends RequestHandler {
  /** The 201's value for a body read as JSON (the route's whole work but the send); throws as the route does. */
  cast(id: string, body: unknown, client: VoteClient): Promise<VoteAnswer>;
}

export function voteRoute(polls: PollsService): VoteRoute {
  const cast = async (id: string, body: unknown, client: VoteClient) => polls.vote(id, parse(voteSchema, body), client);
  const route: RequestHandler = async (req, res) => {
    sendJson(res, 201, await cast(String(req.params.id), req.body, { ip: req.ip, userAgent: req.get('user-agent') }));
  };
  return Object.assign(route, { cast });
}

/** /v1/polls — public, no key; CORS is applied per site in app.ts. */
export function pollsPublicRoutes(polls: PollsService, limits: RateLimiters, cache: ResponseCache = noResponseCache, vote = voteRoute(polls)): Router {
  const r = Router();
  // Reads are answered from the response cache until the next write (src/http/responseCache.ts).
  r.get('/:id', limits.read, async (req, res) => {
    const { voterId } = parse(voterQuerySchema, req.query, 'query');
    const id = String(req.params.id);
    res.set('Cache-Control', 'private, no-cache');
    await cache.json(res, await pollCacheKey(polls, 'poll', id, voterId), () => polls.publicView(id, voterId));
  });
  r.get('/:id/results', limits.read, async (req, res) => {
    const { voterId } = parse(voterQuerySchema, req.query, 'query');
    const id = String(req.params.id);
    res.set('Cache-Control', 'private, no-cache');
    await cache.json(res, await pollCacheKey(polls, 'results', id, voterId), () => polls.publicResults(id, voterId));
  });
  r.post('/:id/votes', limits.write, vote);
  return r;
}

/** /v1/admin/polls — behind requireKey; polls are an admin's business only. */
export function pollsAdminRoutes(polls: PollsService): Router {
  const r = Router();
  r.use(requireAdmin);
  r.get('/', async (req, res) => {
    const { site } = parse(listPollsQuerySchema, req.query, 'query');
    res.json({ polls: await polls.list(site) });
  });
  r.post('/', async (req, res) => {
    const poll = await polls.create(parse(createPollSchema, req.body), actorOf(req));
    res.status(201).location(`/v1/admin/polls/${poll.id}`).json(poll);
  });
  r.get('/:id', async (req, res) => {
    res.json(await polls.adminView(String(req.params.id)));
  });
  r.patch('/:id', async (req, res) => {
    res.json(await polls.update(String(req.params.id), parse(updatePollSchema, req.body), actorOf(req)));
  });
  r.post('/:id/close', async (req, res) => {
    res.json(await polls.close(String(req.params.id), actorOf(req)));
  });
  r.post('/:id/reopen', async (req, res) => {
    res.json(await polls.reopen(String(req.params.id), actorOf(req)));
  });
  r.put('/:id/starting-figures', async (req, res) => {
    res.json(await polls.setStartingFigures(String(req.params.id), parse(startingFiguresSchema, req.body), actorOf(req)));
  });
  r.delete('/:id', async (req, res) => {
    await polls.remove(String(req.params.id), actorOf(req));
    res.status(204).end();
  });
  return r;
}
