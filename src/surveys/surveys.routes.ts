import { Router } from 'express';
import { sendExport } from '../exports/exports.routes.js';
import { timelineQuery } from '../exports/exports.schema.js';
import { actorOf, requireAdmin } from '../http/auth.js';
import type { RateLimiters } from '../http/rateLimits.js';
import { noResponseCache, type ResponseCache } from '../http/responseCache.js';
import { parse } from '../validation/validate.js';
import { surveyExportQuery, type SurveyExports } from './surveys.export.js';
import { createSurveySchema, listSurveysQuerySchema, respondentQuerySchema, responseSchema, updateSurveySchema } from './surveys.schema.js';
import type { SurveysService } from './surveys.service.js';

/** The response cache's key of a public read: the route below and the fast lane (src/http/lane/) must agree. */
export const surveyCacheKey = async (surveys: SurveysService, kind: 'survey' | 'survey-results', id: string, respondentId: string | undefined) =>
  `${kind}\0${await surveys.viewKey(id, respondentId)}`;

/** /v1/surveys — public, no key; CORS is applied per site in app.ts. */
export function surveysPublicRoutes(surveys: SurveysService, limits: RateLimiters, cache: ResponseCache = noResponseCache): Router {
  const r = Router();
  r.get('/:id', limits.read, async (req, res) => {
    const { respondentId } = parse(respondentQuerySchema, req.query, 'query');
    const id = String(req.params.id);
    res.set('Cache-Control', 'private, no-cache');
    await cache.json(res, await surveyCacheKey(surveys, 'survey', id, respondentId), () => surveys.publicView(id, respondentId));
  });
  r.get('/:id/results', limits.read, async (req, res) => {
    const { respondentId } = parse(respondentQuerySchema, req.query, 'query');
    const id = String(req.params.id);
    res.set('Cache-Control', 'private, no-cache');
    await cache.json(res, await surveyCacheKey(surveys, 'survey-results', id, respondentId), () => surveys.publicResults(id, respondentId));
  });
  r.post('/:id/responses', limits.write, async (req, res) => {
    const input = parse(responseSchema, req.body);
    res.status(201).json(await surveys.respond(String(req.params.id), input, { ip: req.ip, userAgent: req.get('user-agent') }));
  });
  return r;
}

/** /v1/admin/surveys — behind requireKey; surveys are an admin's business only, as polls are. */
export function surveysAdminRoutes(surveys: SurveysService, exportsOf: SurveyExports): Router {
  const r = Router();
  r.use(requireAdmin);
  r.get('/', async (req, res) => {
    const { site } = parse(listSurveysQuerySchema, req.query, 'query');
    res.json({ surveys: await surveys.list(site) });
  });
  // Before '/:id', which would take "templates" for a survey id.
  r.get('/templates', (_req, res) => {
    res.json({ templates: surveys.templates() });
  });
  r.post('/', async (req, res) => {
    const survey = await surveys.create(parse(createSurveySchema, req.body), actorOf(req));
    res.status(201).location(`/v1/admin/surveys/${survey.id}`).json(survey);
  });
  r.get('/:id', async (req, res) => {
    res.json(await surveys.adminView(String(req.params.id)));
  });
  r.get('/:id/results', async (req, res) => {
    res.set('Cache-Control', 'no-store').json((await surveys.adminView(String(req.params.id))).results);
  });
  r.get('/:id/export', async (req, res) => {
    const q = parse(surveyExportQuery, req.query, 'query');
    await sendExport(res, await exportsOf.file(String(req.params.id), { format: q.format, actor: actorOf(req) }));
  });
  r.get('/:id/timeline', async (req, res) => {
    const q = parse(timelineQuery, req.query, 'query');
    res.set('Cache-Control', 'no-store').json(await exportsOf.timeline(String(req.params.id), q));
  });
  r.patch('/:id', async (req, res) => {
    res.json(await surveys.update(String(req.params.id), parse(updateSurveySchema, req.body), actorOf(req)));
  });
  r.post('/:id/close', async (req, res) => {
    res.json(await surveys.close(String(req.params.id), actorOf(req)));
  });
  r.post('/:id/reopen', async (req, res) => {
    res.json(await surveys.reopen(String(req.params.id), actorOf(req)));
  });
  r.delete('/:id', async (req, res) => {
    await surveys.remove(String(req.params.id), actorOf(req));
    res.status(204).end();
  });
  return r;
}
