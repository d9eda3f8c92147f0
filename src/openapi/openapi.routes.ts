import { Router } from 'express';
import { openApiDocument } from './document.js';
import { referencePage } from './reference.page.js';

/** GET /openapi.json (the document, readable from anywhere) and GET /openapi (the same as a page). */
export function openApiRoutes(): Router {
  const r = Router();
  const json = Buffer.from(JSON.stringify(openApiDocument()), 'utf8');
  const html = referencePage(openApiDocument());
  r.get('/openapi.json', (_req, res) => {
    res.set({ 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' }).type('json').send(json);
  });
  r.get('/openapi', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').type('html').send(html);
  });
  return r;
}
