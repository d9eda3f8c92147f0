import { Router } from 'express';
import type { RateLimiters } from '../http/rateLimits.js';
import type { PollsService } from '../polls/polls.service.js';
import type { SitesService } from '../sites/sites.service.js';
import type { Hasher } from '../util/hash.js';
import { demoPage } from './demo.page.js';
import { pollPageRoutes } from './poll.page.js';
import { DEMO_CSS, POLL_CSS } from './styles.js';

/** The demo portal page at "/", its stylesheet, and the no-JS poll pages. */
export function pagesRoutes(deps: { polls: PollsService; sites: SitesService; limits: RateLimiters; hasher: Hasher }): Router {
  const r = Router();
  const demo = demoPage();
  // Static HTML, like a portal behind a page cache: every figure on it comes from the API.
  r.get('/', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').type('html').send(demo);
  });
  r.get('/demo.css', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').type('css').send(DEMO_CSS);
  });
  r.get('/p.css', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').type('css').send(POLL_CSS);
  });
  r.use(pollPageRoutes(deps));
  return r;
}
