import type { Db } from '../db/open.js';
import { AppError, conflict, notFound } from '../errors.js';
import type { ActorRef } from '../audit/actor.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { SitesService } from '../sites/sites.service.js';
import type { Hasher } from '../util/hash.js';
import { newId } from '../util/ids.js';
import { percentages } from './percent.js';
import { pollsRepo, type OptionRow, type PollRow, type ResultsVisibility } from './polls.repo.js';
import type { CreatePollInput, UpdatePollInput, VoteInput } from './polls.schema.js';

export type PollStatus = 'scheduled' | 'open' | 'closed';

export interface Results {
  pollId: string;
  /** Choices cast: equals voters for single-choice polls. Percentages are of this. */
  total: number;
  /** Ballots (people). */
  voters: number;
  options: { id: string; label: string; votes: number; percent: number }[];
}

export interface PublicPoll {
  id: string;
  site: string;
  question: string;
  options: { id: string; label: string }[];
  maxChoices: number;
  status: PollStatus;
  opensAt: string | null;
  closesAt: string | null;
  resultsVisibility: ResultsVisibility;
  voted: boolean;
  resultsVisible: boolean;
  results: Results | null;
}

export interface AdminPoll extends Omit<PublicPoll, 'voted' | 'resultsVisible' | 'results'> {
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
  results: Results;
}

interface Definition {
  poll: PollRow;
  options: OptionRow[];
  optionIds: Set<string>;
  until: number;
}

export interface VoteClient {
  ip: string | undefined;
  userAgent: string | undefined;
}

type CastArgs = [id: string, input: VoteInput, voterHash: string, ipHash: string | null, userAgent: string | null, at: number];

interface Queued {
  args: CastArgs;
  resolve(poll: PublicPoll): void;
  reject(err: unknown): void;
  poll?: PublicPoll;
  error?: unknown;
}

/** Most ballots one group commit takes; more wait for the next. */
const MAX_BATCH = 256;

/** How long a poll's definition (question, options, dates) is reused before re-reading; counters are always live. */
const DEFINITION_CACHE_MS = 5_000;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function statusOf(p: Pick<PollRow, 'opens_at' | 'closes_at' | 'closed_at'>, now: number): PollStatus {
  if (p.closed_at !== null || (p.closes_at !== null && p.closes_at <= now)) return 'closed';
  if (p.opens_at !== null && p.opens_at > now) return 'scheduled';
  return 'open';
}

export function pollsService(
  db: Db,
  deps: {
    audit: AuditRepo;
    sites: SitesService;
    hasher: Hasher;
    voteLimitPerIp: number;
    now?: () => number;
    /** Told of every ballot written (after its COMMIT), e.g. for metrics. */
    onVote?: (siteId: string) => void;
  },
) {
  const now = deps.now ?? Date.now;
  const repo = pollsRepo(db);
  const cache = new Map<string, Definition>();

  function definition(id: string): Definition {
    const t = now();
    const hit = cache.get(id);
    if (hit && hit.until > t) return hit;
    const poll = repo.getPoll(id);
    if (!poll) {
      cache.delete(id);
      throw notFound(`Poll "${id}"`);
    }
    const options = repo.options(id);
    const def = { poll, options, optionIds: new Set(options.map((o) => o.id)), until: t + DEFINITION_CACHE_MS };
    if (cache.size > 10_000) cache.clear();
    cache.set(id, def);
    return def;
  }

  function results(def: Definition): Results {
    const c = repo.counters(def.poll.id);
    const votes = def.options.map((o) => c.votes.get(o.id) ?? 0);
    const pct = percentages(votes, c.total);
    return {
      pollId: def.poll.id,
      total: c.total,
      voters: c.voters,
      options: def.options.map((o, i) => ({ id: o.id, label: o.label, votes: votes[i]!, percent: pct[i]! })),
    };
  }

  function resultsVisible(p: PollRow, status: PollStatus, voted: boolean): boolean {
    if (p.results_visibility === 'always' || status === 'closed') return true;
    return p.results_visibility === 'after_vote' && voted;
  }

  const base = (p: PollRow, options: OptionRow[], status: PollStatus) => ({
    id: p.id,
    site: p.site_id,
    question: p.question,
    options: options.map((o) => ({ id: o.id, label: o.label })),
    maxChoices: p.max_choices,
    status,
    opensAt: iso(p.opens_at),
    closesAt: iso(p.closes_at ?? p.closed_at),
    resultsVisibility: p.results_visibility,
  });

  function adminView(id: string): AdminPoll {
    cache.delete(id);
    const def = definition(id);
    const p = def.poll;
    return {
      ...base(p, def.options, statusOf(p, now())),
      closedAt: iso(p.closed_at),
      createdAt: iso(p.created_at)!,
      updatedAt: iso(p.updated_at)!,
      results: results(def),
    };
  }

  function viewOf(def: Definition, status: PollStatus, voted: boolean): PublicPoll {
    const visible = resultsVisible(def.poll, status, voted);
    return { ...base(def.poll, def.options, status), voted, resultsVisible: visible, results: visible ? results(def) : null };
  }

  // Reads that take several statements run in one read transaction: one WAL read lock, not one per statement.
  const publicView = db.transaction((id: string, voterId: string | undefined): PublicPoll => {
    const def = definition(id);
    const voted = voterId ? repo.hasVoted(id, deps.hasher.voter(voterId)) : false;
    return viewOf(def, statusOf(def.poll, now()), voted);
  }) as (id: string, voterId: string | undefined) => PublicPoll;

  // Defined once: db.transaction() compiles a wrapper, no need to rebuild it per vote.
  const writeBallot = db.transaction((id: string, input: VoteInput, voterHash: string, ipHash: string | null, ua: string | null, t: number) => {
    const p = repo.getPoll(id);
    if (!p) throw notFound(`Poll "${id}"`);
    const status = statusOf(p, t);
    if (status === 'closed') throw conflict('poll_closed', 'This poll is closed.');
    if (status === 'scheduled') throw conflict('poll_not_open', 'This poll is not open yet.', { opensAt: iso(p.opens_at) });
    if (input.optionIds.length > p.max_choices)
      throw new AppError(422, 'too_many_choices', `Choose at most ${p.max_choices} option(s).`, { maxChoices: p.max_choices });
    if (repo.hasVoted(id, voterHash)) throw conflict('already_voted', 'You have already voted in this poll.');
    if (deps.voteLimitPerIp > 0 && ipHash && repo.votesFromIp(id, ipHash, t - 86_400_000) >= deps.voteLimitPerIp)
      throw new AppError(429, 'ip_vote_limit', 'Too many votes in this poll from your network today.');
    try {
      repo.insertBallot({ pollId: id, voterHash, ipHash, userAgent: ua, at: t, optionIds: input.optionIds });
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw conflict('already_voted', 'You have already voted in this poll.');
      throw err;
    }
    // The answer is read in the same transaction: exactly the counts this ballot produced, no second lock.
    return viewOf(definition(id), status, true);
  });


  /** Validation that needs no transaction, and the hashes, done before a ballot is queued. */
  function prepareVote(id: string, input: VoteInput, client: VoteClient): CastArgs {
    const def = definition(id);
    for (const optionId of input.optionIds)
      if (!def.optionIds.has(optionId)) throw new AppError(422, 'unknown_option', `Option "${optionId}" is not in this poll.`);
    return [id, input, deps.hasher.voter(input.voterId), deps.hasher.ballotIp(client.ip), client.userAgent?.slice(0, 300) ?? null, now()];
  }

  let queue: Queued[] = [];
  const writeBatch = db.transaction((items: Queued[]) => {
    for (const item of items) {
      try {
        item.poll = writeBallot(...item.args); // nested: a savepoint of its own
      } catch (err) {
        item.error = err;
      }
    }
  });
  function flush(): void {
    const items = queue;
    queue = [];
    if (!items.length) return;
    try {
      writeBatch.immediate(items);
    } catch (err) {
      // The COMMIT itself failed: nothing of this batch is on disk, so nobody is told otherwise.
      for (const item of items) item.error ??= err;
    }
    for (const item of items) {
      if (item.error !== undefined) {
        item.reject(item.error);
        continue;
      }
      deps.onVote?.(item.poll!.site);
      item.resolve(item.poll!);
    }
  }

  return {
    publicView,
    adminView,
    /** Everything a public answer about this poll depends on besides the stored rows: a response-cache key. Throws 404. */
    viewKey(id: string, voterId: string | undefined): string {
      const def = definition(id);
      const voted = voterId ? repo.hasVoted(id, deps.hasher.voter(voterId)) : false;
      return `${id}\0${statusOf(def.poll, now())}\0${voted ? 1 : 0}`;
    },
    siteOf: (id: string): string | undefined => {
      try {
        return definition(id).poll.site_id;
      } catch {
        return undefined;
      }
    },

    publicResults(id: string, voterId: string | undefined): Results {
      const view = publicView(id, voterId);
      if (!view.results) {
        const when = view.resultsVisibility === 'after_vote' ? 'after you vote' : 'when the poll closes';
        throw new AppError(403, 'results_hidden', `Results of this poll are shown ${when}.`, {
          resultsVisibility: view.resultsVisibility,
          closesAt: view.closesAt,
        });
      }
      return view.results;
    },

    list(site: string | undefined): AdminPoll[] {
      return repo.listPolls(site).map((p) => adminView(p.id));
    },

    create(input: CreatePollInput, actor: ActorRef): AdminPoll {
      deps.sites.require(input.site);
      const id = newId(10);
      db.transaction(() => {
        repo.insertPoll(
          {
            id,
            site_id: input.site,
            question: input.question,
            max_choices: input.maxChoices,
            opens_at: input.opensAt ?? null,
            closes_at: input.closesAt ?? null,
            results_visibility: input.resultsVisibility,
          },
          now(),
        );
        input.options.forEach((label, position) => repo.insertOption({ id: newId(8), poll_id: id, position, label }));
        deps.audit.record({ actor, action: 'poll.create', targetType: 'poll', targetId: id, siteId: input.site, detail: { question: input.question, options: input.options } });
      })();
      return adminView(id);
    },

    /**
     * Once a poll has votes, its options may not be removed or relabelled and maxChoices
     * may not shrink (that would change what voters chose): 409 poll_has_votes.
     * New options may still be added. Every change is recorded in the audit log.
     */
    update(id: string, input: UpdatePollInput, actor: ActorRef): AdminPoll {
      db.transaction(() => {
        const current = repo.getPoll(id);
        if (!current) throw notFound(`Poll "${id}"`);
        const options = repo.options(id);
        const hasVotes = current.total_voters > 0;
        const next: PollRow = {
          ...current,
          question: input.question ?? current.question,
          max_choices: input.maxChoices ?? current.max_choices,
          opens_at: input.opensAt === undefined ? current.opens_at : input.opensAt,
          closes_at: input.closesAt === undefined ? current.closes_at : input.closesAt,
          results_visibility: input.resultsVisibility ?? current.results_visibility,
        };
        if (next.opens_at !== null && next.closes_at !== null && next.opens_at >= next.closes_at)
          throw new AppError(400, 'validation_failed', 'closesAt must be after opensAt.', { errors: [{ field: 'closesAt', message: 'must be after opensAt' }] });
        if (hasVotes && next.max_choices < current.max_choices)
          throw conflict('poll_has_votes', 'This poll has votes: maxChoices can no longer be lowered.');

        const byId = new Map(options.map((o) => [o.id, o]));
        if (input.options) {
          for (const o of input.options)
            if (o.id !== undefined && !byId.has(o.id)) throw new AppError(422, 'unknown_option', `Option "${o.id}" is not in this poll.`);
          const kept = new Set(input.options.flatMap((o) => (o.id ? [o.id] : [])));
          if (hasVotes) {
            const removed = options.filter((o) => !kept.has(o.id));
            const relabelled = input.options.filter((o) => o.id && byId.get(o.id)!.label !== o.label);
            if (removed.length || relabelled.length)
              throw conflict('poll_has_votes', 'This poll has votes: its options can no longer be removed or relabelled. Add new options, or create a new poll.', {
                removed: removed.map((o) => o.id),
                relabelled: relabelled.map((o) => o.id),
              });
          }
          const count = input.options.length;
          if (next.max_choices > count)
            throw new AppError(400, 'validation_failed', 'maxChoices must not exceed the number of options.', { errors: [{ field: 'maxChoices', message: 'must not exceed the number of options' }] });
          for (const o of options) if (!kept.has(o.id)) repo.deleteOption(id, o.id);
          // Move kept options out of the way first: (poll_id, position) is unique.
          input.options.forEach((o, i) => o.id && repo.updateOption(id, o.id, o.label, 1000 + i));
          input.options.forEach((o, i) => {
            if (o.id) repo.updateOption(id, o.id, o.label, i);
            else repo.insertOption({ id: newId(8), poll_id: id, position: i, label: o.label });
          });
        } else if (next.max_choices > options.length) {
          throw new AppError(400, 'validation_failed', 'maxChoices must not exceed the number of options.', { errors: [{ field: 'maxChoices', message: 'must not exceed the number of options' }] });
        }
        repo.updatePoll(next, now());
        deps.audit.record({
          actor,
          action: 'poll.update',
          targetType: 'poll',
          targetId: id,
          siteId: current.site_id,
          detail: { before: { question: current.question, options: options.map((o) => ({ id: o.id, label: o.label })), maxChoices: current.max_choices }, change: input },
        });
      })();
      cache.delete(id);
      return adminView(id);
    },

    close(id: string, actor: ActorRef): AdminPoll {
      db.transaction(() => {
        const p = repo.getPoll(id);
        if (!p) throw notFound(`Poll "${id}"`);
        if (repo.close(id, now()))
          deps.audit.record({ actor, action: 'poll.close', targetType: 'poll', targetId: id, siteId: p.site_id });
      })();
      cache.delete(id);
      return adminView(id);
    },

    /**
     * Undoes a close made by mistake: clears the close, and a closing date already past
     * (which would keep the poll closed). Ballots cast before are kept; an opening date stays.
     */
    reopen(id: string, actor: ActorRef): AdminPoll {
      db.transaction(() => {
        const p = repo.getPoll(id);
        if (!p) throw notFound(`Poll "${id}"`);
        if (statusOf(p, now()) !== 'closed') return;
        repo.reopen(id, now());
        deps.audit.record({ actor, action: 'poll.reopen', targetType: 'poll', targetId: id, siteId: p.site_id, detail: { closedAt: iso(p.closed_at), closesAt: iso(p.closes_at) } });
      })();
      cache.delete(id);
      return adminView(id);
    },

    remove(id: string, actor: ActorRef): void {
      db.transaction(() => {
        const p = repo.getPoll(id);
        if (!p) throw notFound(`Poll "${id}"`);
        repo.deletePoll(id);
        deps.audit.record({ actor, action: 'poll.delete', targetType: 'poll', targetId: id, siteId: p.site_id, detail: { question: p.question, voters: p.total_voters, total: p.total_choices } });
      })();
      cache.delete(id);
    },

    /**
     * Casts one ballot. Everything happens in one synchronous IMMEDIATE transaction:
     * the status check, the per-IP cap, the ballot row (its unique index rejects a
     * second vote by the same voter, with no read-then-write race) and the counters.
     */
    vote(id: string, input: VoteInput, client: VoteClient): { results: Results | null; poll: PublicPoll } {
      const poll = writeBallot.immediate(...prepareVote(id, input, client));
      deps.onVote?.(poll.site);
      return { results: poll.results, poll };
    },

    /**
     * The same ballot, group-committed: votes that arrive in the same turn of the event loop
     * are written in one IMMEDIATE transaction, each inside its own savepoint (a refused vote
     * rolls back alone), and every promise settles only after that COMMIT. Under load this
     * pays one commit (the WAL writes and locks, most of a vote's cost) for many ballots;
     * alone, a vote waits one setImmediate. Nothing awaits inside the transaction.
     */
    voteBatched(id: string, input: VoteInput, client: VoteClient): Promise<{ results: Results | null; poll: PublicPoll }> {
      const args = prepareVote(id, input, client);
      return new Promise((resolve, reject) => {
        queue.push({ args, resolve: (poll) => resolve({ results: poll.results, poll }), reject });
        if (queue.length === 1) setImmediate(flush);
        else if (queue.length >= MAX_BATCH) flush();
      });
    },
  };
}

export type PollsService = ReturnType<typeof pollsService>;
