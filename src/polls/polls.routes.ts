import { Router } from 'express';
import { actorOf, requireAdmin } from '../http/auth.js';
import type { RateLimiters } from '../http/rateLimits.js';
import { noResponseCache, type ResponseCache } from '../http/responseCache.js';
import { parse } from '../http/validate.js';
import { createPollSchema, listPollsQuerySchema, updatePollSchema, voteSchema, voterQuerySchema } from './polls.schema.js';
import type { PollsService } from './polls.service.js';

/** /v1/polls — public, no key; CORS is applied per site in app.ts. */
export function pollsPublicRoutes(polls: PollsService, limits: RateLimiters, cache: ResponseCache = noResponseCache): Router {
  const r = Router();
  // Reads are answered from the response cache until the next write (src/http/responseCache.ts).
  r.get('/:id', limits.read, (req, res) => {
    const { voterId } = parse(voterQuerySchema, req.query, 'query');
    const id = String(req.params.id);
    res.set('Cache-Control', 'private, no-cache');
    cache.json(res, `poll\0${polls.viewKey(id, voterId)}`, () => polls.publicView(id, voterId));
  });
  r.get('/:id/results', limits.read, (req, res) => {
    const { voterId } = parse(voterQuerySchema, req.query, 'query');
    const id = String(req.params.id);
    res.set('Cache-Control', 'private, no-cache');
    cache.json(res, `results\0${polls.viewKey(id, voterId)}`, () => polls.publicResults(id, voterId));
  });
  r.post('/:id/votes', limits.write, async (req, res) => {
    const input = parse(voteSchema, req.body);
    const { poll } = await polls.voteBatched(String(req.params.id), input, { ip: req.ip, userAgent: req.get('user-agent') });
    res.status(201).json({ pollId: poll.id, voted: true, resultsVisible: poll.resultsVisible, results: poll.results, poll });
  });
  return r;
}

/** /v1/admin/polls — behind requireKey; polls are an admin's business only. */
export function pollsAdminRoutes(polls: PollsService): Router {
  const r = Router();
  r.use(requireAdmin);
  r.get('/', (req, res) => {
    const { site } = parse(listPollsQuerySchema, req.query, 'query');
    res.json({ polls: polls.list(site) });
  });
  r.post('/', (req, res) => {
    const poll = polls.create(parse(createPollSchema, req.body), actorOf(req));
    res.status(201).location(`/v1/admin/polls/${poll.id}`).json(poll);
  });
  r.get('/:id', (req, res) => {
    res.json(polls.adminView(String(req.params.id)));
  });
  r.patch('/:id', (req, res) => {
    res.json(polls.update(String(req.params.id), parse(updatePollSchema, req.body), actorOf(req)));
  });
  r.post('/:id/close', (req, res) => {
    res.json(polls.close(String(req.params.id), actorOf(req)));
  });
  r.post('/:id/reopen', (req, res) => {
    res.json(polls.reopen(String(req.params.id), actorOf(req)));
  });
  r.delete('/:id', (req, res) => {
    polls.remove(String(req.params.id), actorOf(req));
    res.status(204).end();
  });
  return r;
}
