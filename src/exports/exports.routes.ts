import { Router, type Response } from 'express';
import { scopeOf } from '../access/access.js';
import { actorOf, principalOf, requireAdmin } from '../http/auth.js';
import { parse } from '../validation/validate.js';
import { commentsExportQuery, pollExportQuery, timelineQuery } from './exports.schema.js';
import type { ExportFile, ExportsService } from './exports.service.js';

/**
 * The download's Content-Disposition: the name as is when it is plain ASCII (ids are slugs, so today always), else an
 * ASCII fallback beside the exact name in UTF-8 (RFC 6266 / RFC 8187) for the browsers that read it.
 */
export function attachment(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  if (ascii === filename) return `attachment; filename="${filename}"`;
  const exact = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}

/** Sends an export as a download, streamed with backpressure. */
export async function sendExport(res: Response, file: ExportFile): Promise<void> {
  res.set({
    'Content-Type': file.contentType,
    'Content-Disposition': attachment(file.filename),
    'Cache-Control': 'no-store',
  });
  await file.pipe(res);
}

/** Mounted on /v1/admin, behind requireKey. */
export function exportsAdminRoutes(exportsSvc: ExportsService): Router {
  const r = Router();
  r.get('/polls/:id/export', requireAdmin, async (req, res) => {
    const q = parse(pollExportQuery, req.query, 'query');
    const file = await exportsSvc.poll(String(req.params.id), { format: q.format, detail: q.detail, actor: actorOf(req) });
    await sendExport(res, file);
  });
  r.get('/polls/:id/timeline', requireAdmin, async (req, res) => {
    const q = parse(timelineQuery, req.query, 'query');
    res.set('Cache-Control', 'no-store').json(await exportsSvc.timeline(String(req.params.id), q));
  });
  // Moderators too; one scoped to a site exports that site only.
  r.get('/comments/export', async (req, res) => {
    const p = principalOf(req);
    const q = parse(commentsExportQuery, req.query, 'query');
    const sites = scopeOf(p, q.site);
    // One site (asked for, or the key's only one) names the file and gives its time zone.
    const site = sites?.length === 1 ? sites[0] : undefined;
    await sendExport(res, await exportsSvc.comments({ ...q, site, sites, actor: actorOf(req) }));
  });
  return r;
}
