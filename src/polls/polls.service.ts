import type { AuditAction } from '../audit/actions.js';
import type { AdminPoll, PollStatus, PublicPoll, Results, VoteAnswer } from '../api/polls.js';
import type { ActorRef } from '../audit/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import { AppError } from '../errors.js';
import type { Events } from '../events.js';
import type { SitesService } from '../sites/sites.service.js';
import { ipSinceFor, respondentOf, voterHashOf, type BallotClient } from '../ballots/respondent.js';
import type { Hasher } from '../util/hash.js';
import { newId } from '../util/ids.js';
import { pollDefinitions } from './polls.definitions.js';
import { admitBallot, alreadyVoted, checkOptions, iso, planUpdate, pollNotFound, statusOf } from './polls.domain.js';
import type { CreatePollInput, StartingFiguresInput, UpdatePollInput, VoteInput } from './polls.schema.js';
import type { Counters, PollDefinition, PollsStore } from './polls.store.js';
import { adminPoll, publicPoll } from './polls.views.js';

export type VoteClient = BallotClient;

/**
 * Polls: reading them as a reader or an admin, the admin's changes (under the edit rules of
 * polls.domain.ts), and the one vote path that the API and the no-JS page share.
 */
export function pollsService(
  store: PollsStore,
  deps: { audit: AuditService; sites: SitesService; hasher: Hasher; events: Events; voteLimitPerIp: number; now: () => number; version: () => number | Promise<number> },
) {
  const { now } = deps;
  const definitions = pollDefinitions(store, now, deps.version);

  async function mustDefine(id: string): Promise<PollDefinition> {
    const def = await definitions.get(id);
    if (!def) throw pollNotFound(id);
    return def;
  }

  const voterHash = (voterId: string | undefined) => voterHashOf(deps.hasher, voterId);

  /**
   * The votes of one group-commit batch on PostgreSQL share one counters object (the poll as the batch leaves
   * it) and are answered one after another, so their answers are equal: the last one is kept, and the next vote
   * of its batch answers the same object, which the lane serializes once (src/http/sendJson.ts `sharedJson`).
   * On SQLite every ballot reads counters of its own, so nothing is shared.
   */
  let lastAnswer: { counters: Counters; def: PollDefinition; status: PollStatus; answer: VoteAnswer } | undefined;

  async function publicView(id: string, voterId: string | undefined): Promise<PublicPoll> {
    const def = await mustDefine(id);
    const { counters, voted } = await store.state(id, voterHash(voterId));
    return publicPoll(def, statusOf(def.poll, now()), voted, counters);
  }

  /** The admin's view reads the poll afresh (an admin must see their own change at once, whatever the cache holds). */
  async function adminView(id: string): Promise<AdminPoll> {
    const def = await store.definition(id);
    if (!def) throw pollNotFound(id);
    const { counters } = await store.state(id, null);
    return adminPoll(def, counters, now());
  }

  /** Applies an admin change under the rules, then answers with the poll as it now is. */
  async function change(id: string, plan: Parameters<PollsStore['change']>[2]): Promise<AdminPoll> {
    await store.change(id, now(), plan);
    definitions.forget(id);
    return adminView(id);
  }

  const entry = (actor: ActorRef, action: AuditAction, p: { id: string; siteId: string }, detail?: Record<string, unknown>) =>
    deps.audit.entry({ actor, action, targetType: 'poll', targetId: p.id, siteId: p.siteId, ...(detail && { detail }) });

  return {
    publicView,
    adminView,

    /** Everything a public answer about this poll depends on besides the stored rows: a response-cache key. Throws 404. */
    async viewKey(id: string, voterId: string | undefined): Promise<string> {
      const def = definitions.peek(id) ?? (await mustDefine(id));
      const hash = voterHash(voterId);
      const voted = hash ? await store.hasVoted(id, hash) : false;
      return `${id}\0${statusOf(def.poll, now())}\0${voted ? 1 : 0}`;
    },

    /** The poll's site: at once when the definition is cached (CORS asks on every public request), else from storage. */
    siteOf(id: string): string | undefined | Promise<string | undefined> {
      const cached = definitions.peek(id);
      if (cached) return cached.poll.siteId;
      return definitions.get(id).then((def) => def?.poll.siteId);
    },

    async publicResults(id: string, voterId: string | undefined): Promise<Results> {
      const view = await publicView(id, voterId);
      if (!view.results) {
        const when = view.resultsVisibility === 'after_vote' ? 'after you vote' : 'when the poll closes';
        throw new AppError(403, 'results_hidden', `Results of this poll are shown ${when}.`, {
          resultsVisibility: view.resultsVisibility,
          closesAt: view.closesAt,
        });
      }
      return view.results;
    },

    async list(site: string | undefined): Promise<AdminPoll[]> {
      const t = now();
      return (await store.list(site === undefined ? null : [site])).map((p) => adminPoll(p, p.counters, t));
    },

    /**
     * `fixed` gives the ids (the demo seed's poll keeps well-known ones; it is part of the seed, whose one
     * audit entry is the site's creation); otherwise they are random and the creation is audited.
     */
    async create(input: CreatePollInput, actor: ActorRef, fixed?: { id: string; optionIds: string[]; audited: false }): Promise<AdminPoll> {
      await deps.sites.require(input.site);
      const id = fixed?.id ?? newId(10);
      const poll = {
        id,
        siteId: input.site,
        question: input.question,
        maxChoices: input.maxChoices,
        opensAt: input.opensAt ?? null,
        closesAt: input.closesAt ?? null,
        resultsVisibility: input.resultsVisibility,
      };
      const options = input.options.map((label, i) => ({ id: fixed?.optionIds[i] ?? newId(8), label }));
      const audit = fixed ? null : entry(actor, 'poll.create', { id, siteId: input.site }, { question: input.question, options: input.options });
      if (!(await store.create(poll, options, now(), audit))) throw new AppError(409, 'poll_exists', `Poll "${id}" already exists.`);
      return adminView(id);
    },

    update: (id: string, input: UpdatePollInput, actor: ActorRef) =>
      change(id, (current) => {
        if (!current) throw pollNotFound(id);
        const plan = planUpdate(current, input, () => newId(8), (detail) => entry(actor, 'poll.update', current.poll, detail));
        return { change: plan, result: undefined };
      }),

    close: (id: string, actor: ActorRef) =>
      change(id, (current) => {
        if (!current) throw pollNotFound(id);
        if (current.poll.closedAt !== null) return { change: {}, result: undefined };
        return { change: { fields: { closedAt: now() }, audit: entry(actor, 'poll.close', current.poll) }, result: undefined };
      }),

    /**
     * Undoes a close made by mistake: clears the close, and a closing date already past (which would
     * keep the poll closed). Ballots cast before are kept; an opening date stays.
     */
    reopen: (id: string, actor: ActorRef) =>
      change(id, (current) => {
        if (!current) throw pollNotFound(id);
        const p = current.poll;
        const t = now();
        if (statusOf(p, t) !== 'closed') return { change: {}, result: undefined };
        return {
          change: {
            fields: { closedAt: null, closesAt: p.closesAt !== null && p.closesAt <= t ? null : p.closesAt },
            audit: entry(actor, 'poll.reopen', p, { closedAt: iso(p.closedAt), closesAt: iso(p.closesAt) }),
          },
          result: undefined,
        };
      }),

    /**
     * Sets the votes a poll brought from an old system, per option (those not named: none). They are shown
     * added to the ballots, which stay exactly the ballots cast here; audited with the figures before and after.
     */
    setStartingFigures: (id: string, input: StartingFiguresInput, actor: ActorRef) =>
      change(id, (current) => {
        if (!current) throw pollNotFound(id);
        checkOptions(current, Object.keys(input.figures));
        const figures = new Map(Object.entries(input.figures).filter(([, n]) => n > 0));
        const before = Object.fromEntries(current.options.filter((o) => o.startingVotes).map((o) => [o.id, o.startingVotes!]));
        const after = Object.fromEntries(figures);
        return { change: { startingVotes: figures, audit: entry(actor, 'poll.starting_figures', current.poll, { before, after }) }, result: undefined };
      }),

    async remove(id: string, actor: ActorRef): Promise<void> {
      await store.change(id, now(), (current) => {
        if (!current) throw pollNotFound(id);
        const p = current.poll;
        return { change: { remove: true, audit: entry(actor, 'poll.delete', p, { question: p.question, voters: p.totalVoters, total: p.totalChoices }) }, result: undefined };
      });
      definitions.forget(id);
    },

    /**
     * Casts one ballot, for the API and the no-JS page alike. The options are checked against the
     * definition first (before anything is hashed); the store then decides in the ballot's own
     * transaction whether the poll is open, the voter new and the network under its cap
     * (admitBallot), with the voter's uniqueness held by a constraint, not by a read.
     */
    async vote(id: string, input: VoteInput, client: VoteClient): Promise<VoteAnswer> {
      const def = await mustDefine(id);
      checkOptions(def, input.optionIds);
      const ballot = { pollId: id, optionIds: input.optionIds, ...respondentOf(deps.hasher, input.voterId, client, now()) };
      const cap = deps.voteLimitPerIp;
      let cast;
      try {
        cast = await store.castBallot(ballot, ipSinceFor(cap, ballot.at), (state) => admitBallot(state, ballot, cap));
      } catch (err) {
        if (err instanceof AppError && err.code === 'ip_vote_limit') deps.events.emit({ type: 'vote.refused', reason: 'ip_limit' });
        throw err;
      }
      if (cast.outcome === 'duplicate') throw alreadyVoted();
      deps.events.emit({ type: 'vote.cast', site: def.poll.siteId });
      const status = statusOf(cast.poll, ballot.at);
      const kept = lastAnswer;
      if (kept && kept.counters === cast.counters && kept.def === def && kept.status === status) return kept.answer;
      const poll = publicPoll(def, status, true, cast.counters);
      const answer = { pollId: poll.id, voted: true as const, resultsVisible: poll.resultsVisible, results: poll.results, poll };
      lastAnswer = { counters: cast.counters, def, status, answer };
      return answer;
    },
  };
}

export type PollsService = ReturnType<typeof pollsService>;
