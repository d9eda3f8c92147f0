import { toOption, type OptionRow } from '../rows/options.js';
import { AppError } from '../../errors.js';
import type { BallotState, CastResult, Counters, NewBallot, OptionRecord, PollChange, PollDefinition, PollRecord, PollsStore } from '../../polls/polls.store.js';
import { writeAudit } from './audit.js';
import type { PgDb } from './db.js';
import { pgGroupCommit } from './groupCommit.js';
import { guard, type Client } from './pool.js';

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

const POLL_COLUMNS = 'p.id, p.site_id, p.question, p.max_choices, p.opens_at, p.closes_at, p.closed_at, p.results_visibility, p.total_choices, p.total_voters, p.created_at, p.updated_at';

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

interface Unit {
  ballot: NewBallot;
  ipSince: number | null;
  admit: (state: BallotState) => void;
  resolve(r: CastResult): void;
  reject(err: unknown): void;
}

type Rows = <R>(sql: string, params: unknown[]) => Promise<R[]>;
const on = (c: Client): Rows => async (sql, params) => (await c.query(sql, params)).rows;

async function counters(rows: Rows, ids: readonly string[]): Promise<Map<string, Counters>> {
  const found = await rows<CounterRow>(
    `SELECT p.id, p.total_choices, p.total_voters, o.id AS option_id, o.votes
     FROM polls p LEFT JOIN poll_options o ON o.poll_id = p.id WHERE p.id = ANY($1)`,
    [ids],
  );
  const out = new Map<string, { total: number; voters: number; votes: Map<string, number> }>();
  for (const r of found) {
    let e = out.get(r.id);
    if (!e) out.set(r.id, (e = { total: r.total_choices, voters: r.total_voters, votes: new Map() }));
    if (r.option_id !== null) e.votes.set(r.option_id, r.votes);
  }
  return out;
}
interface CounterRow {
  id: string;
  total_choices: number;
  total_voters: number;
  option_id: string | null;
  votes: number;
}
const noCounters: Counters = { total: 0, voters: 0, votes: new Map() };

interface Deltas {
  polls: Map<string, [number, number]>;
  options: Map<string, number>;
  /** The counters as the batch leaves them, when castAll read them with its writes. */
  counted?: Map<string, Counters>;
}

/** Whether the per-network cap applies to a ballot (its advisory lock must then be held until the write). */
const capped = (u: Unit) => u.ipSince !== null && u.ballot.ipHash !== null;

/**
 * Ballots are group-committed per instance (groupCommit.ts). Each ballot's rules see the state read for
 * the batch (in its transaction when a cap applies); counters are added once per batch, so a poll row is
 * locked once per batch, not once per ballot. Across instances a voter's uniqueness is the UNIQUE constraint (ON CONFLICT
 * DO NOTHING), and the per-network cap is taken under an advisory lock on (poll, network), so two
 * instances cannot both let the 51st in.
 */
function ballotWriter(db: PgDb) {
  async function castOne(c: Client, u: Unit, deltas: Deltas): Promise<(done: Map<string, Counters>) => void> {
    const b = u.ballot;
    const isCapped = capped(u);
    if (isCapped) await c.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${b.pollId}/${b.ipHash}`]);
    const st = (
      await c.query<PollRow & { voted: boolean; from_ip: number | null; option_ids: string[] | null }>(
        `SELECT p.*, EXISTS (SELECT 1 FROM ballots WHERE poll_id = p.id AND voter_hash = $2) AS voted,
           CASE WHEN $3::bigint IS NULL THEN NULL
                ELSE (SELECT COUNT(*) FROM ballots WHERE poll_id = p.id AND ip_hash = $4 AND created_at > $3)::int END AS from_ip,
           (SELECT array_agg(id) FROM poll_options WHERE poll_id = p.id) AS option_ids
         FROM polls p WHERE p.id = $1`,
        [b.pollId, b.voterHash, isCapped ? u.ipSince : null, b.ipHash],
      )
    ).rows[0];
    const poll = st && toPoll(st);
    const refuse = (err: unknown) => () => u.reject(err);
    try {
      u.admit({ poll, alreadyVoted: st?.voted ?? false, votesFromIp: st ? st.from_ip : null });
    } catch (err) {
      return refuse(err);
    }
    // The options may have changed since the service checked them against its cached definition.
    const known = new Set(st!.option_ids ?? []);
    const unknown = b.optionIds.find((o) => !known.has(o));
    if (unknown) return refuse(new AppError(422, 'unknown_option', `Option "${unknown}" is not in this poll.`));
    const inserted = await c.query(
      `WITH b AS (
         INSERT INTO ballots (poll_id, voter_hash, ip_hash, user_agent, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (poll_id, voter_hash) DO NOTHING RETURNING id)
       INSERT INTO ballot_choices (ballot_id, option_id) SELECT b.id, o FROM b, unnest($6::text[]) AS o RETURNING ballot_id`,
      [b.pollId, b.voterHash, b.ipHash, b.userAgent, b.at, b.optionIds],
    );
    if (inserted.rowCount === 0) return () => u.resolve({ outcome: 'duplicate' });
    const d = deltas.polls.get(b.pollId) ?? [0, 0];
    deltas.polls.set(b.pollId, [d[0] + 1, d[1] + b.optionIds.length]);
    for (const o of b.optionIds) deltas.options.set(o, (deltas.options.get(o) ?? 0) + 1);
    return (done) => u.resolve({ outcome: 'ok', poll: poll!, counters: done.get(b.pollId) ?? noCounters });
  }

  /**
   * A whole batch in two statements, three with a cap: the advisory locks, every unit's state, the ballots with
   * their choices and counters. Each unit's rules see the ones before it in the batch as castOne would have read them: a voter
   * already admitted in this batch has voted, and the network's count includes this batch's ballots.
   */
  async function castAll(c: Client, units: readonly Unit[], deltas: Deltas): Promise<((done: Map<string, Counters>) => void)[]> {
    const networks = [...new Set(units.filter(capped).map((u) => `${u.ballot.pollId}/${u.ballot.ipHash}`))];
    // In the batch's order (sorted by poll and network), as castOne would take them one by one.
    if (networks.length) await c.query('SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) AS k', [networks]);
    // One row: each unit's own state in the batch's order, and each poll of the batch once (as JSON: a batch of
    // one poll's votes has its poll parsed once, not once per vote).
    const [state] = (
      await c.query<{ units: [boolean, number | null][]; polls: (PollRow & { option_ids: string[] | null })[] | null }>({
        // Prepared once per connection (the hottest statements skip parsing and planning); its columns are
        // named, so a column a later migration adds cannot change what the prepared statement answers.
        name: 'ballots-state',
        text: `WITH u AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) WITH ORDINALITY AS u(poll_id, voter_hash, ip_hash, since, i))
         SELECT
           (SELECT json_agg(json_build_array(
              -- A lookup in the (poll, voter) index per ballot: as an EXISTS the planner may hash the whole table instead.
              (SELECT true FROM ballots WHERE poll_id = u.poll_id AND voter_hash = u.voter_hash LIMIT 1) IS NOT NULL,
              CASE WHEN u.since IS NULL THEN NULL
                   ELSE (SELECT COUNT(*) FROM ballots WHERE poll_id = u.poll_id AND ip_hash = u.ip_hash AND created_at > u.since)::int END)
            ORDER BY u.i) FROM u) AS units,
           (SELECT json_agg(x) FROM (
              SELECT ${POLL_COLUMNS}, (SELECT json_agg(o.id) FROM poll_options o WHERE o.poll_id = p.id) AS option_ids
              FROM polls p WHERE p.id IN (SELECT poll_id FROM u)) x) AS polls`,
        values: [units.map((u) => u.ballot.pollId), units.map((u) => u.ballot.voterHash), units.map((u) => u.ballot.ipHash), units.map((u) => (capped(u) ? u.ipSince : null))],
      })
    ).rows;
    const polls = new Map((state?.polls ?? []).map((r) => [r.id, { poll: toPoll(r), options: new Set(r.option_ids ?? []) }]));
    const settles: ((done: Map<string, Counters>) => void)[] = [];
    const admitted: { unit: Unit; poll: PollRecord; at: number }[] = [];
    const votersHere = new Set<string>();
    const fromNetworkHere = new Map<string, number>();
    for (const [i, u] of units.entries()) {
      const b = u.ballot;
      const [voted, fromIp] = state!.units[i]!;
      const found = polls.get(b.pollId);
      const poll = found?.poll;
      const voter = `${b.pollId}\0${b.voterHash}`;
      const network = `${b.pollId}\0${b.ipHash}`;
      try {
        u.admit({ poll, alreadyVoted: poll ? voted || votersHere.has(voter) : false, votesFromIp: poll && fromIp !== null ? fromIp + (fromNetworkHere.get(network) ?? 0) : null });
      } catch (err) {
        settles.push(() => u.reject(err));
        continue;
      }
      const unknown = b.optionIds.find((o) => !found?.options.has(o));
      if (unknown) {
        settles.push(() => u.reject(new AppError(422, 'unknown_option', `Option "${unknown}" is not in this poll.`)));
        continue;
      }
      // The same voter again in this batch (rules that let it through): refused by the constraint, as castOne's insert is.
      if (votersHere.has(voter)) {
        settles.push(() => u.resolve({ outcome: 'duplicate' }));
        continue;
      }
      votersHere.add(voter);
      fromNetworkHere.set(network, (fromNetworkHere.get(network) ?? 0) + 1);
      settles.push(() => undefined); // replaced below once the insert says whether it was stored
      admitted.push({ unit: u, poll: poll!, at: settles.length - 1 });
    }
    if (!admitted.length) return settles;
    // Inserted in one order by every batch, so two batches with the same voters wait for each other instead of deadlocking.
    const ballots = admitted.map((a) => a.unit.ballot).sort((x, y) => (x.pollId === y.pollId ? (x.voterHash < y.voterHash ? -1 : 1) : x.pollId < y.pollId ? -1 : 1));
    const choices = ballots.flatMap((b) => b.optionIds.map((o) => [b.pollId, b.voterHash, o] as const));
    // The ballots, their choices, the counters they add and the counters as the batch leaves them, in one
    // statement. Its parts see one snapshot, so each part reads what the others wrote through RETURNING: the
    // options a batch did not touch are read as they were (no ballot of this batch moved them).
    const [row] = (
      await c.query<{ stored: [string, string][] | null; counters: [string, number, number, [string, number][] | null][] | null }>({
        name: 'ballots-write',
        text: `WITH b AS (
           INSERT INTO ballots (poll_id, voter_hash, ip_hash, user_agent, created_at)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[])
           ON CONFLICT (poll_id, voter_hash) DO NOTHING RETURNING id, poll_id, voter_hash),
         c AS (
           INSERT INTO ballot_choices (ballot_id, option_id)
           SELECT b.id, x.option_id FROM b JOIN unnest($6::text[], $7::text[], $8::text[]) AS x(poll_id, voter_hash, option_id)
             ON x.poll_id = b.poll_id AND x.voter_hash = b.voter_hash
           RETURNING ballot_id, option_id),
         up AS (
           UPDATE polls AS p SET total_voters = p.total_voters + d.v, total_choices = p.total_choices + d.n
           FROM (SELECT b.poll_id, count(DISTINCT b.id) AS v, count(c.option_id) AS n FROM b LEFT JOIN c ON c.ballot_id = b.id GROUP BY b.poll_id) AS d
           WHERE p.id = d.poll_id RETURNING p.id, p.total_choices, p.total_voters),
         uo AS (
           UPDATE poll_options AS o SET votes = o.votes + d.n
           FROM (SELECT option_id, count(*) AS n FROM c GROUP BY option_id) AS d
           WHERE o.id = d.option_id RETURNING o.id, o.votes)
         SELECT (SELECT json_agg(json_build_array(poll_id, voter_hash)) FROM b) AS stored,
                (SELECT json_agg(json_build_array(up.id, up.total_choices, up.total_voters,
                   (SELECT json_agg(json_build_array(o.id, coalesce(uo.votes, o.votes)))
                    FROM poll_options o LEFT JOIN uo ON uo.id = o.id WHERE o.poll_id = up.id)))
                 FROM up) AS counters`,
        values: [
          ballots.map((b) => b.pollId),
          ballots.map((b) => b.voterHash),
          ballots.map((b) => b.ipHash),
          ballots.map((b) => b.userAgent),
          ballots.map((b) => b.at),
          choices.map((x) => x[0]),
          choices.map((x) => x[1]),
          choices.map((x) => x[2]),
        ],
      })
    ).rows;
    const counted = new Map<string, Counters>();
    for (const [id, total, voters, votes] of row?.counters ?? []) counted.set(id, { total, voters, votes: new Map(votes ?? []) });
    deltas.counted = counted;
    const inserted = new Set((row?.stored ?? []).map(([poll, voter]) => `${poll}\0${voter}`));
    for (const { unit: u, poll, at } of admitted) {
      const b = u.ballot;
      // Not stored: another instance's ballot of the same voter committed since the state was read.
      if (!inserted.has(`${b.pollId}\0${b.voterHash}`)) {
        settles[at] = () => u.resolve({ outcome: 'duplicate' });
        continue;
      }
      settles[at] = (done) => u.resolve({ outcome: 'ok', poll, counters: done.get(b.pollId) ?? noCounters });
    }
    return settles;
  }

  const queue = pgGroupCommit<Unit, Deltas, Map<string, Counters>>(db, {
    begin: () => ({ polls: new Map(), options: new Map() }),
    run: castOne,
    runAll: castAll,
    // Without a network cap nothing needs holding from the state's read to the write (read committed takes
    // no lock on a read either way): the write is one statement, so the batch needs no BEGIN and COMMIT.
    transactional: (units) => units.some(capped),
    async end(c, deltas) {
      if (deltas.counted) return deltas.counted;
      const pollIds = [...deltas.polls.keys()].sort();
      if (pollIds.length) {
        await c.query(
          `UPDATE polls AS p SET total_voters = p.total_voters + d.v, total_choices = p.total_choices + d.c
           FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS d(id, v, c) WHERE p.id = d.id`,
          [pollIds, pollIds.map((id) => deltas.polls.get(id)![0]), pollIds.map((id) => deltas.polls.get(id)![1])],
        );
        const optionIds = [...deltas.options.keys()].sort();
        await c.query(
          'UPDATE poll_options AS o SET votes = o.votes + d.n FROM unnest($1::text[], $2::bigint[]) AS d(id, n) WHERE o.id = d.id',
          [optionIds, optionIds.map((id) => deltas.options.get(id)!)],
        );
      }
      // Read in the same transaction: the counters as this batch leaves them.
      return counters(on(c), pollIds);
    },
    // Ballots of one poll and network together: advisory locks are taken in the same order by every batch.
    order: (a, b) => (a.ballot.pollId + (a.ballot.ipHash ?? '')).localeCompare(b.ballot.pollId + (b.ballot.ipHash ?? '')),
  });

  return (ballot: NewBallot, ipSince: number | null, admit: (state: BallotState) => void) =>
    new Promise<CastResult>((resolve, reject) => queue({ ballot, ipSince, admit, resolve, reject }, reject));
}

async function definitionOn(c: Client, id: string, lock: boolean): Promise<PollDefinition | undefined> {
  const p = (await c.query<PollRow>(`SELECT * FROM polls WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id])).rows[0];
  if (!p) return undefined;
  const options = (await c.query<OptionRow>('SELECT id, label, starting_votes FROM poll_options WHERE poll_id = $1 ORDER BY position', [id])).rows.map(toOption);
  return { poll: toPoll(p), options };
}

async function apply(c: Client, current: PollDefinition, ch: PollChange, at: number): Promise<void> {
  const id = current.poll.id;
  if (ch.remove) {
    await c.query('DELETE FROM polls WHERE id = $1', [id]);
    return;
  }
  if (ch.options) {
    const kept = ch.options.filter((o) => !o.isNew).map((o) => o.id);
    await c.query('DELETE FROM poll_options WHERE poll_id = $1 AND NOT (id = ANY($2))', [id, kept]);
    // (poll_id, position) is checked at COMMIT, so options may trade places here.
    for (const [i, o] of ch.options.entries()) {
      if (o.isNew) await c.query('INSERT INTO poll_options (id, poll_id, position, label) VALUES ($1, $2, $3, $4)', [o.id, id, i, o.label]);
      else await c.query('UPDATE poll_options SET label = $1, position = $2 WHERE id = $3 AND poll_id = $4', [o.label, i, o.id, id]);
    }
  }
  if (ch.startingVotes) {
    const ids = (ch.options ?? current.options).map((o) => o.id);
    await c.query(
      'UPDATE poll_options AS o SET starting_votes = d.n FROM unnest($2::text[], $3::bigint[]) AS d(id, n) WHERE o.id = d.id AND o.poll_id = $1',
      [id, ids, ids.map((o) => ch.startingVotes!.get(o) ?? 0)],
    );
  }
  if (ch.fields || ch.options || ch.startingVotes) {
    const p = { ...current.poll, ...ch.fields };
    await c.query(
      `UPDATE polls SET question = $2, max_choices = $3, opens_at = $4, closes_at = $5, closed_at = $6, results_visibility = $7, updated_at = $8
       WHERE id = $1`,
      [id, p.question, p.maxChoices, p.opensAt, p.closesAt, p.closedAt, p.resultsVisibility, at],
    );
  }
}

export function pgPollsStore(db: PgDb): PollsStore {
  const cast = ballotWriter(db);
  return {
    definition: (id) => db.read((c) => definitionOn(c, id, false)),
    async list(sites) {
      const polls = (await db.rows<PollRow>('SELECT * FROM polls WHERE ($1::text[] IS NULL OR site_id = ANY($1)) ORDER BY created_at DESC, id', [sites])).map(toPoll);
      const options = await db.rows<OptionRow & { poll_id: string; votes: number }>(
        `SELECT o.poll_id, o.id, o.label, o.votes, o.starting_votes FROM poll_options o JOIN polls p ON p.id = o.poll_id
         WHERE ($1::text[] IS NULL OR p.site_id = ANY($1)) ORDER BY o.poll_id, o.position`,
        [sites],
      );
      const byPoll = new Map<string, { options: OptionRecord[]; votes: Map<string, number> }>();
      for (const o of options) {
        let e = byPoll.get(o.poll_id);
        if (!e) byPoll.set(o.poll_id, (e = { options: [], votes: new Map() }));
        e.options.push(toOption(o));
        e.votes.set(o.id, o.votes);
      }
      return polls.map((p) => {
        const e = byPoll.get(p.id) ?? { options: [], votes: new Map() };
        return { poll: p, options: e.options, counters: { total: p.totalChoices, voters: p.totalVoters, votes: e.votes } };
      });
    },
    async state(id, voterHash) {
      const [c, voted] = await Promise.all([
        counters(db.rows, [id]),
        voterHash ? db.rows('SELECT 1 FROM ballots WHERE poll_id = $1 AND voter_hash = $2', [id, voterHash]).then((r) => r.length > 0) : false,
      ]);
      return { counters: c.get(id) ?? noCounters, voted };
    },
    hasVoted: async (id, voterHash) => (await db.rows('SELECT 1 FROM ballots WHERE poll_id = $1 AND voter_hash = $2', [id, voterHash])).length > 0,
    anyBallots: async () => (await db.rows('SELECT 1 FROM ballots LIMIT 1')).length > 0,
    create: (p, options, at, audit) =>
      db.write(async (c) => {
        const r = await c.query(
          `INSERT INTO polls (id, site_id, question, max_choices, opens_at, closes_at, results_visibility, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (id) DO NOTHING`,
          [p.id, p.siteId, p.question, p.maxChoices, p.opensAt, p.closesAt, p.resultsVisibility, at],
        );
        if (r.rowCount !== 1) return false;
        for (const [i, o] of options.entries()) await c.query('INSERT INTO poll_options (id, poll_id, position, label) VALUES ($1, $2, $3, $4)', [o.id, p.id, i, o.label]);
        await writeAudit(c, audit);
        return true;
      }),
    change: (id, at, plan) =>
      db.write(async (c) => {
        const current = await definitionOn(c, id, true);
        const { change: ch, result } = plan(current);
        if (current) await apply(c, current, ch, at);
        await writeAudit(c, ch.audit);
        return result;
      }),
    castBallot: cast,
  };
}
