import { Router } from 'express';
import type { RateLimiters } from '../http/rateLimits.js';
import type { PollsService } from '../polls/polls.service.js';
import type { SitesService } from '../sites/sites.service.js';
import type { Hasher } from '../util/hash.js';
import { demoPage } from './demo.page.js';
import { infoPage } from './info.page.js';
import { pollPageRoutes } from './poll.page.js';
import { surveyPageRoutes, type SurveyPages } from './survey.page.js';
import { DEMO_CSS, POLL_CSS, SURVEY_CSS } from './styles.js';

/** "/" (the demo portal page while the demo site exists, else what this service is), its stylesheet, and the no-JS poll and survey pages. */
export function pagesRoutes(deps: { polls: PollsService; surveys: SurveyPages; sites: SitesService; limits: RateLimiters; hasher: Hasher; defaultTimezone: string; demoLive: () => Promise<boolean>; demoSurvey?: () => Promise<string | undefined> }): Router {
  const r = Router();
  const demos = new Map<string, string>();
  const demo = async () => {
    const survey = (await deps.demoSurvey?.()) ?? '';
    let page = demos.get(survey);
    if (!page) demos.set(survey, (page = demoPage(survey || undefined)));
    return page;
  };
  const info = infoPage();
  // Static HTML, like a portal behind a page cache: every figure on it comes from the API.
  r.get('/', async (_req, res) => {
    if (await deps.demoLive()) res.set('Cache-Control', 'public, max-age=300').type('html').send(await demo());
    else res.set('Cache-Control', 'public, max-age=60').type('html').send(info);
  });
  r.get('/demo.css', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').type('css').send(DEMO_CSS);
  });
  r.get('/p.css', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').type('css').send(POLL_CSS);
  });
  r.get('/s.css', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').type('css').send(SURVEY_CSS);
  });
  r.use(pollPageRoutes(deps));
  r.use(surveyPageRoutes(deps));
  return r;
}
