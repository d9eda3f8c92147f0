import type { Db } from '../db/open.js';

export type ResultsVisibility = 'always' | 'after_vote' | 'after_close';

export interface PollRow {
  id: string;
  site_id: string;
  question: string;
  max_choices: number;
  opens_at: number | null;
  closes_at: number | null;
  closed_at: number | null;
  results_visibility: ResultsVisibility;
  total_choices: number;
  total_voters: number;
  created_at: number;
  updated_at: number;
}

export interface OptionRow {
  id: string;
  poll_id: string;
  position: number;
  label: string;
  votes: number;
}

export interface Counters {
  total: number;
  voters: number;
  /** Votes per option, in the options' order. */
  votes: Map<string, number>;
}

/** Every statement is prepared once, when the app is built. */
export function pollsRepo(db: Db) {
  const s = {
    insertPoll: db.prepare(
      `INSERT INTO polls (id, site_id, question, max_choices, opens_at, closes_at, results_visibility, created_at, updated_at)
       VALUES (@id, @site_id, @question, @max_choices, @opens_at, @closes_at, @results_visibility, @at, @at)`,
    ),
    insertOption: db.prepare('INSERT INTO poll_options (id, poll_id, position, label) VALUES (?, ?, ?, ?)'),
    getPoll: db.prepare('SELECT * FROM polls WHERE id = ?'),
    listPolls: db.prepare('SELECT * FROM polls WHERE (@site IS NULL OR site_id = @site) ORDER BY created_at DESC, id'),
    options: db.prepare('SELECT * FROM poll_options WHERE poll_id = ? ORDER BY position'),
    counters: db.prepare(
      `SELECT p.total_choices AS total, p.total_voters AS voters, o.id AS option_id, o.votes AS votes
       FROM polls p JOIN poll_options o ON o.poll_id = p.id WHERE p.id = ? ORDER BY o.position`,
    ),
    updatePoll: db.prepare(
      `UPDATE polls SET question = @question, max_choices = @max_choices, opens_at = @opens_at, closes_at = @closes_at,
         results_visibility = @results_visibility, updated_at = @at WHERE id = @id`,
    ),
    updateOption: db.prepare('UPDATE poll_options SET label = ?, position = ? WHERE id = ? AND poll_id = ?'),
    deleteOption: db.prepare('DELETE FROM poll_options WHERE id = ? AND poll_id = ?'),
    close: db.prepare('UPDATE polls SET closed_at = ?, updated_at = ? WHERE id = ? AND closed_at IS NULL'),
    reopen: db.prepare(
      'UPDATE polls SET closed_at = NULL, closes_at = CASE WHEN closes_at <= @at THEN NULL ELSE closes_at END, updated_at = @at WHERE id = @id',
    ),
    deletePoll: db.prepare('DELETE FROM polls WHERE id = ?'),
    hasVoted: db.prepare('SELECT 1 FROM ballots WHERE poll_id = ? AND voter_hash = ?').pluck(),
    votesFromIp: db
      .prepare('SELECT COUNT(*) FROM ballots WHERE poll_id = ? AND ip_hash = ? AND created_at > ?')
      .pluck(),
    insertBallot: db.prepare(
      'INSERT INTO ballots (poll_id, voter_hash, ip_hash, user_agent, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    insertChoice: db.prepare('INSERT INTO ballot_choices (ballot_id, option_id) VALUES (?, ?)'),
    bumpOption: db.prepare('UPDATE poll_options SET votes = votes + 1 WHERE id = ?'),
    bumpPoll: db.prepare('UPDATE polls SET total_choices = total_choices + ?, total_voters = total_voters + 1 WHERE id = ?'),
  };

  return {
    insertPoll(p: Omit<PollRow, 'closed_at' | 'total_choices' | 'total_voters' | 'created_at' | 'updated_at'>, at: number) {
      s.insertPoll.run({ ...p, at });
    },
    insertOption: (o: Omit<OptionRow, 'votes'>) => s.insertOption.run(o.id, o.poll_id, o.position, o.label),
    getPoll: (id: string) => s.getPoll.get(id) as PollRow | undefined,
    listPolls: (site: string | undefined) => s.listPolls.all({ site: site ?? null }) as PollRow[],
    options: (pollId: string) => s.options.all(pollId) as OptionRow[],
    counters(pollId: string): Counters {
      const rows = s.counters.all(pollId) as { total: number; voters: number; option_id: string; votes: number }[];
      return {
        total: rows[0]?.total ?? 0,
        voters: rows[0]?.voters ?? 0,
        votes: new Map(rows.map((r) => [r.option_id, r.votes])),
      };
    },
    updatePoll: (p: PollRow, at: number) => s.updatePoll.run({ ...p, at }),
    updateOption: (pollId: string, id: string, label: string, position: number) => s.updateOption.run(label, position, id, pollId),
    deleteOption: (pollId: string, id: string) => s.deleteOption.run(id, pollId),
    close: (id: string, at: number) => s.close.run(at, at, id).changes > 0,
    reopen: (id: string, at: number) => s.reopen.run({ id, at }),
    deletePoll: (id: string) => s.deletePoll.run(id),
    hasVoted: (pollId: string, voterHash: string) => s.hasVoted.get(pollId, voterHash) === 1,
    votesFromIp: (pollId: string, ipHash: string, since: number) => s.votesFromIp.get(pollId, ipHash, since) as number,
    /** Writes a ballot and its choices and bumps the counters; call inside a transaction. Throws on a duplicate voter. */
    insertBallot(b: { pollId: string; voterHash: string; ipHash: string | null; userAgent: string | null; at: number; optionIds: string[] }) {
      const ballotId = s.insertBallot.run(b.pollId, b.voterHash, b.ipHash, b.userAgent, b.at).lastInsertRowid;
      for (const optionId of b.optionIds) {
        s.insertChoice.run(ballotId, optionId);
        s.bumpOption.run(optionId);
      }
      s.bumpPoll.run(b.optionIds.length, b.pollId);
      return ballotId;
    },
  };
}

export type PollsRepo = ReturnType<typeof pollsRepo>;

/** Whether any ballot is stored (asked once, when the hash scheme of a database is fixed). */
export const ballotsExist = (db: Db): boolean => db.prepare('SELECT EXISTS (SELECT 1 FROM ballots)').pluck().get() === 1;
