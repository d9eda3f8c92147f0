import type { AuditAction } from '../audit/actions.js';
import type { AdminSurvey, PublicSurvey, ResponseAnswer, SurveyResults, SurveyTemplateSummary } from '../api/surveys.js';
import type { ActorRef } from '../audit/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import { definitionCache } from '../ballots/definitions.js';
import { ipSinceFor, respondentOf, voterHashOf, type BallotClient } from '../ballots/respondent.js';
import { iso, statusOf } from '../ballots/status.js';
import { AppError, fieldError } from '../errors.js';
import type { Events } from '../events.js';
import type { SitesService } from '../sites/sites.service.js';
import type { Hasher } from '../util/hash.js';
import { newId } from '../util/ids.js';
import { admitResponse, checkAnswers, newQuestions, noResponse, planUpdate, StaleDefinition, surveyNotFound } from './surveys.domain.js';
import type { CreateSurveyInput, QuestionInput, ResponseInput, UpdateSurveyInput } from './surveys.schema.js';
import type { SurveyDefinition, SurveysStore } from './surveys.store.js';
import { adminSurvey, publicSurvey } from './surveys.views.js';
import { TEMPLATES } from './templates/index.js';

/** Free-text answers an admin's results show per question (the export has them all). */
export const LATEST_TEXTS = 100;

/**
 * Surveys: reading them as a respondent or an admin, the admin's changes (under the edit rules of
 * surveys.domain.ts), and the one response path, on the same ballot engine as polls (src/ballots/).
 */
export function surveysService(
  store: SurveysStore,
  deps: { audit: AuditService; sites: SitesService; hasher: Hasher; events: Events; responseLimitPerIp: number; now: () => number; version: () => number | Promise<number> },
) {
  const { now } = deps;
  const definitions = definitionCache<SurveyDefinition>(store, now, deps.version);

  async function mustDefine(id: string): Promise<SurveyDefinition> {
    const def = await definitions.get(id);
    if (!def) throw surveyNotFound(id);
    return def;
  }
  const respondentHash = (respondentId: string | undefined) => voterHashOf(deps.hasher, respondentId);

  async function publicView(id: string, respondentId: string | undefined): Promise<PublicSurvey> {
    const def = await mustDefine(id);
    const { counts, responded } = await store.state(id, respondentHash(respondentId));
    return publicSurvey(def, statusOf(def.survey, now()), responded, counts);
  }

  /** The admin's view reads the survey afresh (an admin sees their own change at once), with the latest free texts. */
  async function adminView(id: string): Promise<AdminSurvey> {
    const def = await store.definition(id);
    if (!def) throw surveyNotFound(id);
    const [{ counts }, texts] = await Promise.all([store.state(id, null), store.texts(id, def.questions.filter((q) => q.type === 'text').map((q) => q.id), LATEST_TEXTS)]);
    return adminSurvey(def, counts, now(), texts);
  }

  async function change(id: string, plan: Parameters<SurveysStore['change']>[2]): Promise<AdminSurvey> {
    await store.change(id, now(), plan);
    definitions.forget(id);
    return adminView(id);
  }

  const entry = (actor: ActorRef, action: AuditAction, s: { id: string; siteId: string }, detail?: Record<string, unknown>) =>
    deps.audit.entry({ actor, action, targetType: 'survey', targetId: s.id, siteId: s.siteId, ...(detail && { detail }) });

  return {
    publicView,
    adminView,

    /** Everything a public answer about this survey depends on besides the stored rows: a response-cache key. Throws 404. */
    async viewKey(id: string, respondentId: string | undefined): Promise<string> {
      const def = definitions.peek(id) ?? (await mustDefine(id));
      const hash = respondentHash(respondentId);
      const responded = hash ? await store.hasResponded(id, hash) : false;
      return `${id}\0${statusOf(def.survey, now())}\0${responded ? 1 : 0}`;
    },

    /** The survey's site: at once when the definition is cached (CORS asks on every public request), else from storage. */
    siteOf(id: string): string | undefined | Promise<string | undefined> {
      const cached = definitions.peek(id);
      if (cached) return cached.survey.siteId;
      return definitions.get(id).then((def) => def?.survey.siteId);
    },

    async publicResults(id: string, respondentId: string | undefined): Promise<SurveyResults> {
      const view = await publicView(id, respondentId);
      if (!view.results) {
        const when = view.resultsVisibility === 'after_vote' ? 'after you respond' : 'when the survey closes';
        throw new AppError(403, 'results_hidden', `Results of this survey are shown ${when}.`, { resultsVisibility: view.resultsVisibility, closesAt: view.closesAt });
      }
      return view.results;
    },

    /** The ready questionnaires an admin may start from (POST { site, template }). */
    templates: (): SurveyTemplateSummary[] => [...TEMPLATES.values()].map((t) => ({ id: t.id, title: t.title, questions: t.questions.length })),

    async list(site: string | undefined): Promise<AdminSurvey[]> {
      const t = now();
      return (await store.list(site === undefined ? null : [site])).map((s) => adminSurvey(s, s.counts, t));
    },

    /**
     * From the questions given, or from a template whose fields the body overrides; every id is new.
     * `fixed` gives the ids, as for polls (the demo seed's survey: `id`, and `id-1`, `id-2`… for its
     * questions and choices in order); it is part of the seed, whose one audit entry is the site's creation.
     */
    async create(input: CreateSurveyInput, actor: ActorRef, fixed?: { id: string; audited: false }): Promise<AdminSurvey> {
      await deps.sites.require(input.site);
      const template = input.template === undefined ? undefined : TEMPLATES.get(input.template);
      if (input.template !== undefined && !template)
        throw fieldError('template', `is not a known template (${[...TEMPLATES.keys()].join(', ')})`, `Template "${input.template}" is not known.`);
      const id = fixed?.id ?? newId(10);
      let part = 0;
      const partId = fixed ? () => `${fixed.id}-${++part}` : () => newId(8);
      const survey = {
        id,
        siteId: input.site,
        title: input.title ?? template!.title,
        intro: input.intro ?? template?.intro ?? null,
        template: template?.id ?? null,
        opensAt: input.opensAt ?? null,
        closesAt: input.closesAt ?? null,
        closedAt: null,
        resultsVisibility: input.resultsVisibility ?? template?.resultsVisibility ?? 'always',
      };
      const questions = newQuestions(input.questions ?? (template!.questions as QuestionInput[]), partId);
      const audit = fixed ? null : entry(actor, 'survey.create', survey, { title: survey.title, template: survey.template, questions: questions.length });
      if (!(await store.create(survey, questions, now(), audit))) throw new AppError(409, 'survey_exists', `Survey "${id}" already exists.`);
      return adminView(id);
    },

    update: (id: string, input: UpdateSurveyInput, actor: ActorRef) =>
      change(id, (current) => {
        if (!current) throw surveyNotFound(id);
        return { change: planUpdate(current, input, () => newId(8), (detail) => entry(actor, 'survey.update', current.survey, detail)), result: undefined };
      }),

    close: (id: string, actor: ActorRef) =>
      change(id, (current) => {
        if (!current) throw surveyNotFound(id);
        if (current.survey.closedAt !== null) return { change: {}, result: undefined };
        return { change: { fields: { closedAt: now() }, audit: entry(actor, 'survey.close', current.survey) }, result: undefined };
      }),

    /** Undoes a close made by mistake, as for polls: clears the close and a closing date already past. */
    reopen: (id: string, actor: ActorRef) =>
      change(id, (current) => {
        if (!current) throw surveyNotFound(id);
        const s = current.survey;
        const t = now();
        if (statusOf(s, t) !== 'closed') return { change: {}, result: undefined };
        return {
          change: {
            fields: { closedAt: null, closesAt: s.closesAt !== null && s.closesAt <= t ? null : s.closesAt },
            audit: entry(actor, 'survey.reopen', s, { closedAt: iso(s.closedAt), closesAt: iso(s.closesAt) }),
          },
          result: undefined,
        };
      }),

    async remove(id: string, actor: ActorRef): Promise<void> {
      await store.change(id, now(), (current) => {
        if (!current) throw surveyNotFound(id);
        const s = current.survey;
        return { change: { remove: true, audit: entry(actor, 'survey.delete', s, { title: s.title, responses: s.responses }) }, result: undefined };
      });
      definitions.forget(id);
    },

    /**
     * Stores one response: every answer is checked against the definition first (one 400 naming each bad
     * answer, before anything is hashed); the store then decides in the response's own transaction whether
     * the survey is open, the respondent new and the network under its cap. Should the survey have changed
     * since its definition was read, the answers are checked once more against the survey as it is now.
     */
    async respond(id: string, input: ResponseInput, client: BallotClient): Promise<ResponseAnswer> {
      let def = await mustDefine(id);
      const cap = deps.responseLimitPerIp;
      for (let attempt = 0; ; attempt++) {
        const answers = checkAnswers(def, input.answers);
        const response = { surveyId: id, answers, ...respondentOf(deps.hasher, input.respondentId, client, now()) };
        const checkedAgainst = def.survey.updatedAt;
        let result;
        try {
          result = await store.submit(response, ipSinceFor(cap, response.at), (state) => admitResponse(state, response, cap, checkedAgainst));
        } catch (err) {
          if (err instanceof StaleDefinition && attempt === 0) {
            definitions.forget(id);
            const fresh = await store.definition(id);
            if (!fresh) throw surveyNotFound(id);
            def = fresh;
            continue;
          }
          if (err instanceof AppError && err.code === 'ip_response_limit') deps.events.emit({ type: 'survey.refused', reason: 'ip_limit' });
          throw err;
        }
        if (result.outcome === 'duplicate') throw noResponse.already();
        deps.events.emit({ type: 'survey.responded', site: def.survey.siteId });
        const view = publicSurvey(def, statusOf(result.survey, response.at), true, result.counts);
        return { surveyId: id, responded: true, resultsVisible: view.resultsVisible, results: view.results };
      }
    },

    /** The definition for exports and the timeline (fresh, 404 when missing). */
    async definition(id: string): Promise<SurveyDefinition> {
      const def = await store.definition(id);
      if (!def) throw surveyNotFound(id);
      return def;
    },
    responses: (id: string) => store.responses(id),
    responseSlots: (id: string, from: number, to: number) => store.responseSlots(id, from, to),
  };
}

export type SurveysService = ReturnType<typeof surveysService>;
