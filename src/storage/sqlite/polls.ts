import type { AuditRecord } from '../../audit/audit.store.js';
import type { BallotState, Counters, NewBallot, NewPoll, OptionRecord, PollChange, PollDefinition, PollRecord, PollsStore } from '../../polls/polls.store.js';
import { auditWriter } from './audit.js';
import type { GroupCommit } from './groupCommit.js';
import type { Db } from './open.js';
import { isUniqueViolation, sitesFilter } from './util.js';
import { toOption, type OptionRow } from '../rows/options.js';

interface PollRow {
  id: string;
  site_id: string;
  question: string;
  max_choices: number;
  opens_at: number | null;
  closes_at: number | null;
  closed_at: number | null;
  results_visibility: PollRecord['resultsVisibility'];
  total_choices: number;
  total_voters: number;
  created_at: number;
  updated_at: number;
}

const toPoll = (r: PollRow): PollRecord => ({
  id: r.id,
  siteId: r.site_id,
  question: r.question,
  maxChoices: r.max_choices,
  opensAt: r.opens_at,
  closesAt: r.closes_at,
  closedAt: r.closed_at,
  resultsVisibility: r.results_visibility,
  totalChoices: r.total_choices,
  totalVoters: r.total_voters,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function sqlitePollsStore(db: Db, commit: GroupCommit): PollsStore {
  const writeAudit = auditWriter(db);
  const s = {
    insertPoll: db.prepare(
      `INSERT INTO polls (id, site_id, question, max_choices, opens_at, closes_at, results_visibility, created_at, updated_at)
       VALUES (@id, @siteId, @question, @maxChoices, @opensAt, @closesAt, @resultsVisibility, @at, @at)`,
    ),
    insertOption: db.prepare('INSERT INTO poll_options (id, poll_id, position, label) VALUES (?, ?, ?, ?)'),
    getPoll: db.prepare('SELECT * FROM polls WHERE id = ?'),
    options: db.prepare('SELECT id, label, starting_votes FROM poll_options WHERE poll_id = ? ORDER BY position'),
    setStarting: db.prepare('UPDATE poll_options SET starting_votes = ? WHERE id = ? AND poll_id = ?'),
    listPolls: db.prepare(
      `SELECT * FROM polls WHERE (@all = 1 OR site_id IN (SELECT value FROM json_each(@sites))) ORDER BY created_at DESC, id`,
    ),
    listOptions: db.prepare(
      `SELECT o.poll_id, o.id, o.label, o.votes, o.starting_votes FROM poll_options o JOIN polls p ON p.id = o.poll_id
       WHERE (@all = 1 OR p.site_id IN (SELECT value FROM json_each(@sites))) ORDER BY o.poll_id, o.position`,
    ),
    counters: db.prepare(
      `SELECT p.total_choices AS total, p.total_voters AS voters, o.id AS option_id, o.votes AS votes
       FROM polls p JOIN poll_options o ON o.poll_id = p.id WHERE p.id = ? ORDER BY o.position`,
    ),
    updatePoll: db.prepare(
      `UPDATE polls SET question = @question, max_choices = @maxChoices, opens_at = @opensAt, closes_at = @closesAt,
         closed_at = @closedAt, results_visibility = @resultsVisibility, updated_at = @at WHERE id = @id`,
    ),
    updateOption: db.prepare('UPDATE poll_options SET label = ?, position = ? WHERE id = ? AND poll_id = ?'),
    deleteOption: db.prepare('DELETE FROM poll_options WHERE id = ? AND poll_id = ?'),
    deletePoll: db.prepare('DELETE FROM polls WHERE id = ?'),
    hasVoted: db.prepare('SELECT 1 FROM ballots WHERE poll_id = ? AND voter_hash = ?').pluck(),
    votesFromIp: db.prepare('SELECT COUNT(*) FROM ballots WHERE poll_id = ? AND ip_hash = ? AND created_at > ?').pluck(),
    insertBallot: db.prepare('INSERT INTO ballots (poll_id, voter_hash, ip_hash, user_agent, created_at) VALUES (?, ?, ?, ?, ?)'),
    insertChoice: db.prepare('INSERT INTO ballot_choices (ballot_id, option_id) VALUES (?, ?)'),
    bumpOption: db.prepare('UPDATE poll_options SET votes = votes + 1 WHERE id = ?'),
    bumpPoll: db.prepare('UPDATE polls SET total_choices = total_choices + ?, total_voters = total_voters + 1 WHERE id = ?'),
    anyBallots: db.prepare('SELECT EXISTS (SELECT 1 FROM ballots)').pluck(),
  };

  const poll = (id: string) => {
    const r = s.getPoll.get(id) as PollRow | undefined;
    return r && toPoll(r);
  };
  const definition = (id: string): PollDefinition | undefined => {
    const p = poll(id);
    return p && { poll: p, options: (s.options.all(id) as OptionRow[]).map(toOption) };
  };
  const counters = (id: string): Counters => {
    const rows = s.counters.all(id) as { total: number; voters: number; option_id: string; votes: number }[];
    return { total: rows[0]?.total ?? 0, voters: rows[0]?.voters ?? 0, votes: new Map(rows.map((r) => [r.option_id, r.votes])) };
  };

  // Reads that take several statements run in one read transaction: one WAL read lock, one snapshot.
  const state = db.transaction((id: string, voterHash: string | null) => ({
    counters: counters(id),
    voted: voterHash ? s.hasVoted.get(id, voterHash) === 1 : false,
  }));

  const create = db.transaction((p: NewPoll, options: readonly OptionRecord[], at: number, audit: AuditRecord | null) => {
    if (s.getPoll.get(p.id)) return false;
    s.insertPoll.run({ ...p, at });
    options.forEach((o, i) => s.insertOption.run(o.id, p.id, i, o.label));
    writeAudit(audit);
    return true;
  });

  function apply(current: PollDefinition, c: PollChange, at: number): void {
    const id = current.poll.id;
    if (c.remove) {
      s.deletePoll.run(id);
      return;
    }
    if (c.options) {
      const kept = new Set(c.options.filter((o) => !o.isNew).map((o) => o.id));
      for (const o of current.options) if (!kept.has(o.id)) s.deleteOption.run(o.id, id);
      // Move kept options out of the way first: (poll_id, position) is unique.
      c.options.forEach((o, i) => !o.isNew && s.updateOption.run(o.label, 1000 + i, o.id, id));
      c.options.forEach((o, i) => (o.isNew ? s.insertOption.run(o.id, id, i, o.label) : s.updateOption.run(o.label, i, o.id, id)));
    }
    if (c.startingVotes) {
      const options = c.options ?? current.options;
      for (const o of options) s.setStarting.run(c.startingVotes.get(o.id) ?? 0, o.id, id);
    }
    if (c.fields || c.options || c.startingVotes) s.updatePoll.run({ ...current.poll, ...c.fields, at });
  }

  const change = db.transaction((id: string, at: number, plan: (current: PollDefinition | undefined) => { change: PollChange; result: unknown }): unknown => {
    const current = definition(id);
    const { change: c, result } = plan(current);
    if (current) apply(current, c, at);
    writeAudit(c.audit);
    return result;
  });

  /** One ballot, run by the group commit inside its own savepoint. */
  function cast(b: NewBallot, ipSince: number | null, admit: (state: BallotState) => void) {
    const p = poll(b.pollId);
    const alreadyVoted = p ? s.hasVoted.get(b.pollId, b.voterHash) === 1 : false;
    const votesFromIp = p && ipSince !== null && b.ipHash ? (s.votesFromIp.get(b.pollId, b.ipHash, ipSince) as number) : null;
    admit({ poll: p, alreadyVoted, votesFromIp });
    let ballotId: number | bigint;
    try {
      ballotId = s.insertBallot.run(b.pollId, b.voterHash, b.ipHash, b.userAgent, b.at).lastInsertRowid;
    } catch (err) {
      if (isUniqueViolation(err)) return { outcome: 'duplicate' as const };
      throw err;
    }
    for (const optionId of b.optionIds) {
      s.insertChoice.run(ballotId, optionId);
      s.bumpOption.run(optionId);
    }
    s.bumpPoll.run(b.optionIds.length, b.pollId);
    // Read in the same transaction: exactly the counts this ballot produced.
    return { outcome: 'ok' as const, poll: p!, counters: counters(b.pollId) };
  }

  return {
    definition: async (id) => definition(id),
    async list(sites) {
      const filter = sitesFilter(sites);
      const polls = (s.listPolls.all(filter) as PollRow[]).map(toPoll);
      const byPoll = new Map<string, { options: OptionRecord[]; votes: Map<string, number> }>();
      for (const o of s.listOptions.all(filter) as (OptionRow & { poll_id: string; votes: number })[]) {
        let entry = byPoll.get(o.poll_id);
        if (!entry) byPoll.set(o.poll_id, (entry = { options: [], votes: new Map() }));
        entry.options.push(toOption(o));
        entry.votes.set(o.id, o.votes);
      }
      return polls.map((p) => {
        const e = byPoll.get(p.id) ?? { options: [], votes: new Map() };
        return { poll: p, options: e.options, counters: { total: p.totalChoices, voters: p.totalVoters, votes: e.votes } };
      });
    },
    state: async (id, voterHash) => state(id, voterHash),
    hasVoted: async (id, voterHash) => s.hasVoted.get(id, voterHash) === 1,
    anyBallots: async () => s.anyBallots.get() === 1,
    create: async (p, options, at, audit) => create.immediate(p, options, at, audit),
    change: async (id, at, plan) => change.immediate(id, at, plan) as never,
    castBallot: (b, ipSince, admit) => commit(() => cast(b, ipSince, admit)),
  };
}
