import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { openPostgresStorage, type PostgresStorage } from '../../src/storage/postgres/index.js';
import { BALLOTS, BALLOT_UA as UA, expectFlat, heap, MB, meter, slowStdout } from '../helpers/heap.js';
import { freshPostgresUrl, seedSite } from '../storage/backends.js';

const START = Date.parse('2026-06-01T00:00:00Z');
/** Far shorter than a 200,000-ballot export lasts: the export's snapshot must outlive the pool's timeouts. */
const STATEMENT_TIMEOUT_MS = 400;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

/** 200,000 ballots written straight into PostgreSQL in two statements (the API would take minutes). */
async function bigPoll(): Promise<{ s: PostgresStorage; url: string; pollId: string }> {
  const db = await freshPostgresUrl();
  const s = await openPostgresStorage(db.url, { size: 4, statementTimeoutMs: 60_000, ssl: 'off' });
  cleanup.push(async () => {
    await s.close();
    await db.drop();
  });
  await seedSite(s);
  const options = [
    { id: 'big-a', label: 'Bình thường' },
    { id: 'big-b', label: 'Đẹp, tiện lợi tra cứu' },
  ];
  await s.polls.create({ id: 'big', siteId: 'xa-a', question: 'Xin bạn cho ý kiến?', maxChoices: 2, opensAt: null, closesAt: null, resultsVisibility: 'always' }, options, START, null);
  await s.pool.query(
    `INSERT INTO ballots (poll_id, voter_hash, ip_hash, user_agent, created_at)
     SELECT 'big', 'voter-hash-' || lpad(i::text, 12, '0'), 'ip-hash-' || lpad((i % 5000)::text, 14, '0'), $1, $2::bigint + i * 1000
     FROM generate_series(0, $3::int - 1) AS i`,
    [UA, START, BALLOTS],
  );
  // Every 7th ballot chose both options, given in the reverse of option order for every 3rd ballot.
  await s.pool.query(
    `INSERT INTO ballot_choices (ballot_id, option_id)
     SELECT id, CASE WHEN id % 3 = 0 THEN 'big-b' ELSE 'big-a' END FROM ballots WHERE poll_id = 'big'
     UNION ALL SELECT id, CASE WHEN id % 3 = 0 THEN 'big-a' ELSE 'big-b' END FROM ballots WHERE poll_id = 'big' AND id % 7 = 0`,
  );
  await s.pool.query(`UPDATE polls SET total_voters = $1 WHERE id = 'big'`, [BALLOTS]);
  return { s, url: db.url, pollId: 'big' };
}

describe('streaming exports from PostgreSQL keep memory flat', () => {
  it(`the exports store streams ${BALLOTS} ballots through a cursor with bounded heap growth, to a consumer that stalls past the pool's timeouts`, { timeout: 180_000 }, async () => {
    const { url, pollId } = await bigPoll();
    // A storage whose pool cuts statements and idle transactions off after STATEMENT_TIMEOUT_MS.
    const s = await openPostgresStorage(url, { size: 2, statementTimeoutMs: STATEMENT_TIMEOUT_MS, ssl: 'off' });
    cleanup.push(() => s.close());
    const base = heap();
    let peak = 0;
    let n = 0;
    let bytes = 0;
    let lastId = 0;
    let bothInOrder = 0;
    for await (const b of s.exports.ballots(pollId)) {
      expect(b.id).toBeGreaterThan(lastId);
      lastId = b.id;
      if (b.optionIds.length === 2) {
        expect(b.optionIds).toEqual(['big-a', 'big-b']);
        bothInOrder++;
      }
      bytes += JSON.stringify(b).length;
      if (++n % 20_000 === 0) peak = Math.max(peak, heap() - base);
      // Slow clients: twice, the consumer waits longer than the pool's idle-in-transaction timeout.
      if (n === 1 || n === BALLOTS / 2) await new Promise((r) => setTimeout(r, STATEMENT_TIMEOUT_MS * 4));
    }
    peak = Math.max(peak, heap() - base);
    expect(n).toBe(BALLOTS);
    // Ids start at 1: every 7th of 1…200,000.
    expect(bothInOrder).toBe(Math.floor(BALLOTS / 7));
    expectFlat(bytes, peak);
    console.info(`postgres ballots stream: ${n} ballots, ${(bytes / MB).toFixed(1)} MB as JSON, peak heap growth ${(peak / MB).toFixed(2)} MB`);
    // The connection went back to the pool and the snapshot ended: writes and new streams go on.
    expect((await s.polls.castBallot({ pollId, optionIds: ['big-a'], voterHash: 'after', ipHash: null, userAgent: null, at: START + BALLOTS * 1000 }, null, () => {})).outcome).toBe('ok');
    let count = 0;
    for await (const b of s.exports.ballots(pollId)) if (++count === 1) expect(b.voterHash).toBe('voter-hash-000000000000');
    expect(count).toBe(BALLOTS + 1);

    // Consumers that stop early, more of them than the pool has connections: each gave its connection back.
    for (let i = 0; i < 5; i++) for await (const b of s.exports.ballots(pollId)) if (b) break;
    expect((await s.polls.state(pollId, null)).counters.voters).toBe(BALLOTS + 1);

    // The database drops the export's connection half-way: the consumer gets the 503 problem, the pool recovers.
    const broken = (async () => {
      let seen = 0;
      for await (const b of s.exports.ballots(pollId)) {
        if (++seen === 1) {
          expect(b.voterHash).toBe('voter-hash-000000000000');
          await s.pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%ballot_choices c JOIN%' AND pid <> pg_backend_pid()`);
        }
      }
      return seen;
    })();
    await expect(broken).rejects.toMatchObject({ status: 503, code: 'storage_unavailable' });
    for (let i = 0; i < 3; i++) expect((await s.exports.ballotSlots(pollId, START, START + 15 * 60_000)).at(0)).toEqual({ start: START, ballots: 900 });
  });

  it(`JSON export of ${BALLOTS} ballots through the CLI on DATABASE_URL writes to a slow stdout with bounded heap growth`, { timeout: 180_000 }, async () => {
    const { url, pollId } = await bigPoll();
    const m = meter(heap());
    const stdout = slowStdout(m);
    const err: string[] = [];
    const env = { DATABASE_URL: url, PG_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS), LOG_LEVEL: 'silent', SEED_DEMO: 'false' };
    const code = await runCli(['export', 'poll', pollId, '--format', 'json', '--detail', 'votes'], env, () => {}, (l) => err.push(l), stdout);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    m.sample();
    const { bytes, lines, peak } = m.result();
    expect(lines).toBe(BALLOTS + 2); // the opening line, one per ballot, the closing "]}"
    expectFlat(bytes, peak);
    console.info(`postgres CLI export: ${lines} lines, ${(bytes / MB).toFixed(1)} MB, peak heap growth ${(peak / MB).toFixed(2)} MB`);
  });
});
