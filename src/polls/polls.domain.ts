import { admitVoter, admitWindow, refusals } from '../ballots/admission.js';
import { AppError, conflict, fieldError, notFound } from '../errors.js';
import type { AuditRecord } from '../audit/audit.store.js';
import type { BallotState, PollChange, PollDefinition, PollRecord } from './polls.store.js';
import type { UpdatePollInput } from './polls.schema.js';

/** The rules of a poll, with no storage or HTTP in them. */

export { iso, resultsVisible, statusOf } from '../ballots/status.js';

export const pollNotFound = (id: string) => notFound(`Poll "${id}"`);

/** A poll's refusals in the shared ballot engine (src/ballots/). */
const noVote = refusals({
  closed: ['poll_closed', 'This poll is closed.'],
  notOpen: ['poll_not_open', 'This poll is not open yet.'],
  already: ['already_voted', 'You have already voted in this poll.'],
  ipLimit: ['ip_vote_limit', 'Too many votes in this poll from your network today.'],
});
export const alreadyVoted = noVote.already;

/** Every chosen option must be one of the poll's (checked before anything is hashed or queued). */
export function checkOptions(def: PollDefinition, optionIds: readonly string[]): void {
  const known = new Set(def.options.map((o) => o.id));
  for (const optionId of optionIds) if (!known.has(optionId)) throw new AppError(422, 'unknown_option', `Option "${optionId}" is not in this poll.`);
}

/**
 * Whether a ballot may be stored, decided on what its transaction reads: the poll open at `at`, no
 * more choices than allowed, not voted yet, and under the per-network cap. Throws to refuse.
 */
export function admitBallot(state: BallotState, ballot: { pollId: string; optionIds: readonly string[]; at: number }, ipCap: number): void {
  const p = state.poll;
  if (!p) throw pollNotFound(ballot.pollId);
  admitWindow(p, ballot.at, noVote);
  if (ballot.optionIds.length > p.maxChoices)
    throw new AppError(422, 'too_many_choices', `Choose at most ${p.maxChoices} option(s).`, { maxChoices: p.maxChoices });
  admitVoter({ alreadyCast: state.alreadyVoted, fromIp: state.votesFromIp }, ipCap, noVote);
}

const tooManyChoices = () => fieldError('maxChoices', 'must not exceed the number of options', 'maxChoices must not exceed the number of options.');

/**
 * An edit. Once a poll has votes, its options may not be removed or relabelled and maxChoices may not
 * shrink (that would change what voters chose): 409 poll_has_votes. New options may still be added.
 */
export function planUpdate(
  current: PollDefinition,
  input: UpdatePollInput,
  newOptionId: () => string,
  audit: (detail: Record<string, unknown>) => AuditRecord,
): PollChange {
  const p = current.poll;
  const hasVotes = p.totalVoters > 0;
  const next = {
    question: input.question ?? p.question,
    maxChoices: input.maxChoices ?? p.maxChoices,
    opensAt: input.opensAt === undefined ? p.opensAt : input.opensAt,
    closesAt: input.closesAt === undefined ? p.closesAt : input.closesAt,
    resultsVisibility: input.resultsVisibility ?? p.resultsVisibility,
  };
  if (next.opensAt !== null && next.closesAt !== null && next.opensAt >= next.closesAt)
    throw fieldError('closesAt', 'must be after opensAt', 'closesAt must be after opensAt.');
  if (hasVotes && next.maxChoices < p.maxChoices) throw conflict('poll_has_votes', 'This poll has votes: maxChoices can no longer be lowered.');

  let options: PollChange['options'];
  if (input.options) {
    const byId = new Map(current.options.map((o) => [o.id, o]));
    for (const o of input.options)
      if (o.id !== undefined && !byId.has(o.id)) throw new AppError(422, 'unknown_option', `Option "${o.id}" is not in this poll.`);
    if (hasVotes) {
      const kept = new Set(input.options.flatMap((o) => (o.id ? [o.id] : [])));
      const removed = current.options.filter((o) => !kept.has(o.id));
      const relabelled = input.options.filter((o) => o.id && byId.get(o.id)!.label !== o.label);
      if (removed.length || relabelled.length)
        throw conflict('poll_has_votes', 'This poll has votes: its options can no longer be removed or relabelled. Add new options, or create a new poll.', {
          removed: removed.map((o) => o.id),
          relabelled: relabelled.map((o) => o.id),
        });
    }
    if (next.maxChoices > input.options.length) throw tooManyChoices();
    options = input.options.map((o) => (o.id ? { id: o.id, label: o.label, isNew: false } : { id: newOptionId(), label: o.label, isNew: true }));
  } else if (next.maxChoices > current.options.length) {
    throw tooManyChoices();
  }
  return {
    fields: next,
    ...(options && { options }),
    audit: audit({
      before: { question: p.question, options: current.options.map((o) => ({ id: o.id, label: o.label })), maxChoices: p.maxChoices },
      change: input,
    }),
  };
}
