// Many ballots written straight into a service's database, for the benchmark's "1,000,000 ballots" scenarios: casting
// them through the API would take longer than the whole run. The poll's kept counters are set to match, as the vote
// transaction keeps them, and the change version moves, so the service sees the new figures at once.
import Database from 'better-sqlite3';
import pg from 'pg';

export interface BallotsTarget {
  databasePath: string;
  databaseUrl?: string;
}

const UA = 'Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.122 Mobile Safari/537.36';
/** Distinct "IP hashes": a few hundred ballots per network, as a real province's traffic has. */
const NETWORKS = 5_000;
const BATCH = 50_000;

/** Adds `count` ballots to the poll, one choice each, spread over its options in turn; returns the seconds taken. */
export async function fillBallots(target: BallotsTarget, pollId: string, optionIds: string[], count: number): Promise<number> {
  const started = Date.now();
  const start = Date.now() - count * 1000;
  if (target.databaseUrl) await fillPostgres(target.databaseUrl, pollId, optionIds, count, start);
  else fillSqlite(target.databasePath, pollId, optionIds, count, start);
  return (Date.now() - started) / 1000;
}

function fillSqlite(file: string, pollId: string, optionIds: string[], count: number, start: number) {
  const db = new Database(file);
  db.pragma('busy_timeout = 60000');
  const ballot = db.prepare('INSERT INTO ballots (poll_id, voter_hash, ip_hash, user_agent, created_at) VALUES (?, ?, ?, ?, ?)');
  const choice = db.prepare('INSERT INTO ballot_choices (ballot_id, option_id) VALUES (?, ?)');
  const bump = db.prepare('UPDATE poll_options SET votes = votes + ? WHERE id = ?');
  const totals = db.prepare('UPDATE polls SET total_choices = total_choices + ?, total_voters = total_voters + ? WHERE id = ?');
  // Batches of their own: one transaction of a million rows would hold the service's writers out for its whole length.
  for (let from = 0; from < count; from += BATCH) {
    const to = Math.min(count, from + BATCH);
    db.transaction(() => {
      const per = new Map<string, number>();
      for (let i = from; i < to; i++) {
        const option = optionIds[i % optionIds.length]!;
        const id = ballot.run(pollId, `bench-fill-${i.toString(36)}`, `bench-net-${i % NETWORKS}`, UA, start + i * 1000).lastInsertRowid;
        choice.run(id, option);
        per.set(option, (per.get(option) ?? 0) + 1);
      }
      for (const [option, n] of per) bump.run(n, option);
      totals.run(to - from, to - from, pollId);
    })();
  }
  // As the PostgreSQL fill vacuums and checkpoints: a province's history was folded into the database file long
  // ago. Left in the WAL, the service's checkpointer (a worker thread in the service process, so on its CPU
  // clock) would copy a million fresh rows back while the first "… ballots" scenario is measured.
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

async function fillPostgres(url: string, pollId: string, optionIds: string[], count: number, start: number) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (let from = 0; from < count; from += BATCH) {
      const to = Math.min(count, from + BATCH);
      await client.query('BEGIN');
      await client.query(
        `WITH b AS (
           INSERT INTO ballots (poll_id, voter_hash, ip_hash, user_agent, created_at)
           SELECT $1, 'bench-fill-' || i, 'bench-net-' || (i % $5), $6, $4::bigint + i * 1000 FROM generate_series($2::int, $3::int - 1) AS i
           RETURNING id, created_at
         )
         INSERT INTO ballot_choices (ballot_id, option_id)
         SELECT b.id, ($7::text[])[1 + ((b.created_at - $4::bigint) / 1000) % cardinality($7::text[])] FROM b`,
        [pollId, from, to, start, NETWORKS, UA, optionIds],
      );
      await client.query('COMMIT');
    }
    // The kept counters, recounted once from the rows (the fill is the only writer of its poll's ballots meanwhile).
    await client.query('BEGIN');
    await client.query(
      `UPDATE poll_options o SET votes = (SELECT count(*) FROM ballot_choices c WHERE c.option_id = o.id) WHERE o.poll_id = $1`,
      [pollId],
    );
    await client.query(
      `UPDATE polls p SET total_voters = (SELECT count(*) FROM ballots b WHERE b.poll_id = p.id),
         total_choices = (SELECT count(*) FROM ballot_choices c JOIN ballots b ON b.id = c.ballot_id WHERE b.poll_id = p.id) WHERE p.id = $1`,
      [pollId],
    );
    await client.query('COMMIT');
    // After the commit, as the service's own writes do: a reader that sees the new version sees the rows.
    await client.query("SELECT nextval('ykien_changes')");
    // A province's history was vacuumed and checkpointed long ago: measure that, not autovacuum and a checkpoint
    // working through a million fresh rows (and the earlier scenarios' page views) on the same two cores while
    // the scenarios run. The whole database: the page views' tables too.
    await client.query('VACUUM (ANALYZE)');
    await client.query('CHECKPOINT');
  } finally {
    await client.end();
  }
}
