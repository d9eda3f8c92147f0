import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { AppError, notFound } from '../errors.js';
import { requireAdmin } from '../http/auth.js';
import type { RateLimiters } from '../http/rateLimits.js';
import type { PollsService } from '../polls/polls.service.js';
import type { SurveysService } from '../surveys/surveys.service.js';
import { networkKey } from '../util/network.js';
import { parse, slug, voterId } from '../validation/validate.js';
import type { LiveHub, Topic } from './live.hub.js';

/** Most polls and surveys one stream watches: a page's widgets, with room to spare. */
export const MAX_TOPICS = 20;
/** A client that stops reading is dropped before its unsent events hold much memory. */
const MAX_BUFFERED = 64 * 1024;

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'is not an id');
// The default inside, so the OpenAPI document shows poll and survey as optional (either may be left out).
const ids = z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(id).max(MAX_TOPICS).default([]));
export const liveQuery = z
  .object({ poll: ids, survey: ids, voterId: voterId.optional(), respondentId: voterId.optional() })
  .refine((q) => q.poll.length + q.survey.length > 0, 'name at least one poll or survey')
  .refine((q) => q.poll.length + q.survey.length <= MAX_TOPICS, `at most ${MAX_TOPICS} polls and surveys at once`);
const siteParams = z.object({ site: slug(64) });

/** As a read of a poll or survey that does not exist: another site's is not there for this one. */
const notHere = (kind: Topic['kind'], topicId: string) => notFound(`${kind === 'poll' ? 'Poll' : 'Survey'} "${topicId}"`);

/**
 * GET /v1/sites/:site/live?poll=…&survey=…: one stream of server-sent events for a page's polls and
 * surveys (mounted under /v1/sites/:site, so CORS is the site's). Every topic is checked as its own
 * results read is — it exists on this site and this reader may see its results — before the stream opens.
 */
export function liveRoutes(deps: { hub: LiveHub; polls: PollsService; surveys: SurveysService; limits: RateLimiters; maxPerClient: number; maxStreams: number; ipv6PrefixLength: number }): Router {
  const r = Router({ mergeParams: true });
  const perClient = new Map<string, number>();

  r.get('/live', deps.limits.read, async (req, res) => {
    const { site } = parse(siteParams, req.params, 'path');
    const q = parse(liveQuery, req.query, 'query');
    const client = networkKey(req.ip, deps.ipv6PrefixLength);
    if ((perClient.get(client) ?? 0) >= deps.maxPerClient) {
      res.set('Retry-After', '60');
      throw new AppError(429, 'live_limit', 'Too many live results streams from this network; the page refreshes results by polling instead.');
    }
    if (deps.hub.size >= deps.maxStreams) {
      res.set('Retry-After', '60');
      throw new AppError(503, 'live_unavailable', 'This server holds as many live results streams as it can; the page refreshes results by polling instead.');
    }

    const topics: { topic: Topic; reader: string | undefined }[] = [];
    for (const pollId of new Set(q.poll)) {
      const view = await deps.polls.publicView(pollId, q.voterId);
      if (view.site !== site) throw notHere('poll', pollId);
      if (!view.results) await deps.polls.publicResults(pollId, q.voterId); // throws results_hidden, as the results read does
      topics.push({ topic: { kind: 'poll', id: pollId }, reader: q.voterId });
    }
    for (const surveyId of new Set(q.survey)) {
      const view = await deps.surveys.publicView(surveyId, q.respondentId);
      if (view.site !== site) throw notHere('survey', surveyId);
      if (!view.results) await deps.surveys.publicResults(surveyId, q.respondentId);
      topics.push({ topic: { kind: 'survey', id: surveyId }, reader: q.respondentId });
    }

    perClient.set(client, (perClient.get(client) ?? 0) + 1);
    await openStream(req, res, deps.hub, topics, () => {
      const n = (perClient.get(client) ?? 1) - 1;
      if (n > 0) perClient.set(client, n);
      else perClient.delete(client);
    });
  });
  return r;
}

/**
 * Turns the response into an event stream of `topics` until either side ends it. The topics are checked
 * already; `released` runs once when the stream is over.
 */
export async function openStream(req: Request, res: Response, hub: LiveHub, topics: { topic: Topic; reader: string | undefined }[], released: () => void = () => undefined): Promise<void> {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    // nginx would otherwise hold the events in its proxy buffer.
    'X-Accel-Buffering': 'no',
  });
  // After a drop, the browser reconnects on its own: not all at once, and not too eagerly.
  res.write(`retry: ${5_000 + Math.floor(Math.random() * 5_000)}\n\n`);
  let open = true;
  let unsubscribe: (() => void) | undefined;
  const end = () => {
    if (!open) return;
    open = false;
    unsubscribe?.();
    released();
    res.end();
  };
  req.on('close', end);
  unsubscribe = await hub.subscribe(topics, {
    send(event, data) {
      if (!open) return;
      if (res.writableLength > MAX_BUFFERED) return end();
      res.write(event ? `event: ${event}\ndata: ${data}\n\n` : ':\n\n');
    },
    end,
  });
  if (!open) unsubscribe();
}

export const adminLiveQuery = z
  .object({ poll: ids, survey: ids })
  .refine((q) => q.poll.length + q.survey.length > 0, 'name at least one poll or survey')
  .refine((q) => q.poll.length + q.survey.length <= MAX_TOPICS, `at most ${MAX_TOPICS} polls and surveys at once`);

/**
 * GET /v1/admin/live?poll=…&survey=…: the console's stream of the admin results (hidden ones too, with a
 * survey's latest free texts), behind the admin router's key or session; an admin sees every poll.
 */
export function adminLiveRoutes(deps: { hub: LiveHub; polls: PollsService; surveys: SurveysService; maxStreams: number }): Router {
  const r = Router();
  r.get('/', requireAdmin, async (req, res) => {
    const q = parse(adminLiveQuery, req.query, 'query');
    if (deps.hub.size >= deps.maxStreams) {
      res.set('Retry-After', '60');
      throw new AppError(503, 'live_unavailable', 'This server holds as many live results streams as it can; the console refreshes results by polling instead.');
    }
    for (const pollId of new Set(q.poll)) await deps.polls.adminView(pollId); // 404 as the admin read
    for (const surveyId of new Set(q.survey)) await deps.surveys.adminView(surveyId);
    const topics: { topic: Topic; reader: undefined }[] = [
      ...[...new Set(q.poll)].map((id) => ({ topic: { kind: 'poll' as const, id }, reader: undefined })),
      ...[...new Set(q.survey)].map((id) => ({ topic: { kind: 'survey' as const, id }, reader: undefined })),
    ];
    await openStream(req, res, deps.hub, topics);
  });
  return r;
}
