import { Router } from 'express';
import { sendExport } from '../exports/exports.routes.js';
import { actorOf, requireAdmin } from '../http/auth.js';
import { parse } from '../validation/validate.js';
import type { ExportFile, ExportFormat } from '../exports/exports.service.js';
import type { ActorRef } from '../audit/actor.js';
import { resolveTemplateQuery, templateExportQuery, templateResultsQuery } from './templates.export.js';
import type { TemplateResults, TemplateResultsQuery } from './templates.results.js';

export interface SurveyTemplatesService {
  results(id: string, q: TemplateResultsQuery): Promise<TemplateResults>;
  file(id: string, q: TemplateResultsQuery, opts: { format: ExportFormat; actor: ActorRef }): Promise<ExportFile>;
}

/** /v1/admin/surveys/templates — one template's results across every site, side by side (admins, as every survey route). */
export function surveyTemplatesRoutes(templates: SurveyTemplatesService): Router {
  const r = Router();
  r.use(requireAdmin);
  r.get('/:template/results', async (req, res) => {
    const q = resolveTemplateQuery(parse(templateResultsQuery, req.query, 'query'));
    res.set('Cache-Control', 'no-store').json(await templates.results(String(req.params.template), q));
  });
  r.get('/:template/results/export', async (req, res) => {
    const { format, ...rest } = parse(templateExportQuery, req.query, 'query');
    await sendExport(res, await templates.file(String(req.params.template), resolveTemplateQuery(rest), { format, actor: actorOf(req) }));
  });
  return r;
}
