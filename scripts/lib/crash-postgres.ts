/**
 * The crash test on PostgreSQL with two instances (CRASH_BACKEND=postgres, see scripts/crash-test.ts): what a
 * provincial centre runs behind its load balancer, one instance SIGKILLed mid-load each round.
 */
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import pg from 'pg';
import { keepAliveAgent, request } from './http.js';
import { startPostgres, type PostgresServer } from './postgres.js';
import { benchEnv, DIST_SERVER, freePort, SERVICE_NODE_ARGS, spawnNode, tempDir, type Child } from './service.js';

interface Options {
  rounds: number;
  concurrency: number;
  killAfter: number;
  poll: string;
}

interface Slot {
  name: 'A' | 'B';
  port: number;
  child?: Child;
  agent: http.Agent;
  url: string;
}

export async function crashPostgres(o: Options): Promise<void> {
  const dir = tempDir('ykien-crash-pg-');
  const failures: string[] = [];
  const acked = new Map<string, Slot>(); // voter → the instance that answered 201
  let lost = 0; // votes sent to the victim that got no answer (in flight at the kill, or sent just as it died)
  let refused = 0; // 4xx answers (none expected: distinct voters, open poll)
  let serverErrors = 0;
  const survivorErrors: string[] = [];
  let survivorAnswered = 0;
  let postgres: PostgresServer | undefined;
  const slots: Slot[] = [];
  let starts = 0;

  const start = async (slot: Slot, url: string) => {
    slot.child = await spawnNode(DIST_SERVER, {
      // DATABASE_URL selects PostgreSQL; DATABASE_PATH (from benchEnv) is then unused.
      env: { ...benchEnv(path.join(dir, 'unused.db'), slot.port), DATABASE_URL: url, PG_POOL_SIZE: '10' },
      port: slot.port,
      readyPath: '/readyz',
      logFile: path.join(dir, `service-${slot.name}-${++starts}.log`),
      nodeArgs: SERVICE_NODE_ARGS,
    });
  };

  try {
    postgres = await startPostgres(dir);
    for (const name of ['A', 'B'] as const) {
      const port = await freePort();
      slots.push({ name, port, agent: keepAliveAgent(o.concurrency), url: `http://127.0.0.1:${port}` });
    }
    const [a, b] = slots as [Slot, Slot];
    // One after the other: the first migrates and seeds the demo poll, the second finds it done.
    await start(a, postgres.url);
    await start(b, postgres.url);
    const poll = JSON.parse(await (await fetch(`${a.url}/v1/polls/${o.poll}`)).text()) as { options: { id: string }[] };
    const options = poll.options.map((x) => x.id);

    for (let round = 1; round <= o.rounds; round++) {
      const victim = round % 2 ? a : b;
      const survivor = victim === a ? b : a;
      let ackedThisRound = 0;
      let seq = 0;
      let killed = false;
      let restarted = false;
      const t0 = Date.now();
      let killedAt = 0;
      let ackedAtKill = 0;
      let downMs = 0;
      const worker = async () => {
        while (!restarted) {
          const n = ++seq;
          // Spread over both; while the victim is down, a load balancer sends everything to the survivor.
          const to = killed ? survivor : n % 2 ? a : b;
          const voter = `crash-pg-r${round}-${n}-${Math.random().toString(36).slice(2, 8)}`;
          const body = JSON.stringify({ optionIds: [options[n % options.length]!], voterId: voter });
          const whileDown = killed;
          try {
            const res = await request(to.agent, `${to.url}/v1/polls/${o.poll}/votes`, 'POST', body);
            if (to === survivor && whileDown) survivorAnswered++;
            if (res.status === 201) {
              acked.set(voter, to);
              ackedThisRound++;
              if (ackedThisRound >= o.killAfter && !killed) {
                killed = true;
                killedAt = Date.now();
                ackedAtKill = ackedThisRound;
                // SIGKILL with votes in flight on it: no shutdown handler runs, its pool's connections just drop.
                victim.child!.proc.kill('SIGKILL');
              }
            } else {
              if (res.status >= 500) serverErrors++;
              else refused++;
              if (to === survivor) survivorErrors.push(`${res.status} ${res.body.slice(0, 160)}`);
            }
          } catch (err) {
            if (to === survivor) survivorErrors.push(`no answer: ${(err as Error).message}`);
            else {
              lost++;
              if (!killed) await new Promise((r) => setTimeout(r, 5));
            }
          }
        }
      };
      const load = Promise.all(Array.from({ length: o.concurrency }, worker));
      // Restart the victim as soon as it is dead; the load on the survivor runs on until it is ready again.
      const restart = (async () => {
        while (!killed) await new Promise((r) => setTimeout(r, 10));
        await victim.child!.exited;
        victim.agent.destroy();
        victim.agent = keepAliveAgent(o.concurrency);
        await start(victim, postgres!.url);
        downMs = Date.now() - killedAt;
        restarted = true;
      })();
      await Promise.all([load, restart]);
      console.error(
        `round ${round}: ${victim.name} killed after ${ackedAtKill} acknowledged votes (${killedAt - t0} ms of load), ` +
          `back after ${downMs} ms; ${survivor.name} alone meanwhile acknowledged ${ackedThisRound - ackedAtKill}`,
      );
    }

    // Every acknowledged voter, read through the instance that did NOT acknowledge it.
    let notVoted = 0;
    const voters = [...acked.entries()];
    let i = 0;
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (i < voters.length) {
          const [voter, by] = voters[i++]!;
          const other = by === a ? b : a;
          const res = await request(other.agent, `${other.url}/v1/polls/${o.poll}?voterId=${voter}`, 'GET');
          const body = JSON.parse(res.body) as { voted?: boolean };
          if (res.status !== 200 || body.voted !== true) {
            notVoted++;
            if (notVoted <= 5) failures.push(`voter ${voter} acknowledged by ${by.name} is not counted through ${other.name} (${res.status} ${res.body.slice(0, 120)})`);
          }
        }
      }),
    );
    if (notVoted > 5) failures.push(`… ${notVoted} acknowledged voters in all are not counted`);
    const totals: number[] = [];
    for (const s of slots) {
      const results = JSON.parse(await (await fetch(`${s.url}/v1/polls/${o.poll}/results`)).text()) as { total: number };
      totals.push(results.total);
      if (results.total < acked.size) failures.push(`${s.name}: results total ${results.total} < ${acked.size} acknowledged votes`);
      if (results.total > acked.size + lost) failures.push(`${s.name}: results total ${results.total} > acknowledged ${acked.size} + lost in flight ${lost}`);
    }
    if (totals[0] !== totals[1]) failures.push(`the instances disagree on the total: A ${totals[0]}, B ${totals[1]}`);
    if (serverErrors) failures.push(`${serverErrors} answers were 5xx`);
    if (refused) failures.push(`${refused} votes were refused with a 4xx`);
    if (survivorErrors.length) failures.push(`the survivor failed ${survivorErrors.length} requests, e.g. ${survivorErrors.slice(0, 3).join(' | ')}`);

    const sql = new pg.Client({ connectionString: postgres.url });
    await sql.connect();
    const mismatches = (
      await sql.query<{ what: string; counter: number; rows: number }>(
        `SELECT 'poll ' || p.id || ' total_voters' AS what, p.total_voters::int AS counter, (SELECT COUNT(*) FROM ballots b WHERE b.poll_id = p.id)::int AS rows FROM polls p
         UNION ALL
         SELECT 'poll ' || p.id || ' total_choices', p.total_choices::int,
                (SELECT COUNT(*) FROM ballot_choices c JOIN ballots b ON b.id = c.ballot_id WHERE b.poll_id = p.id)::int FROM polls p
         UNION ALL
         SELECT 'option ' || o.id || ' votes', o.votes::int, (SELECT COUNT(*) FROM ballot_choices c WHERE c.option_id = o.id)::int FROM poll_options o`,
      )
    ).rows.filter((r) => r.counter !== r.rows);
    for (const m of mismatches) failures.push(`${m.what} ${m.counter} ≠ ${m.rows} rows`);
    const [row] = (
      await sql.query<{ stored: number; bare: number }>(
        `SELECT (SELECT total_voters FROM polls WHERE id = $1)::int AS stored,
                (SELECT COUNT(*) FROM ballots b WHERE NOT EXISTS (SELECT FROM ballot_choices c WHERE c.ballot_id = b.id))::int AS bare`,
        [o.poll],
      )
    ).rows;
    await sql.end();
    if (row!.bare) failures.push(`${row!.bare} ballots have no choice`);

    const lines = [
      `Crash test on PostgreSQL: ${o.rounds} × (${o.concurrency} votes in flight over two instances → SIGKILL one (alternating) → restart it)`,
      `  acknowledged (201):           ${acked.size} (A ${[...acked.values()].filter((s) => s === a).length}, B ${[...acked.values()].filter((s) => s === b).length})`,
      `  lost in flight (no answer):   ${lost}`,
      `  counted (A / B):              ${totals.join(' / ')} (stored ballots: ${row!.stored})`,
      `  acknowledged but not counted: ${notVoted} (each read through the other instance)`,
      `  committed but unacknowledged: ${(totals[0] ?? 0) - acked.size} (a kill between COMMIT and the answer; allowed, ≤ lost)`,
      `  survivor while the other was down: ${survivorAnswered} answered, ${survivorErrors.length} errors`,
      `  counters = rows: ${mismatches.length ? 'NO' : 'yes'}; ballots without a choice: ${row!.bare}`,
    ];
    console.log(lines.join('\n'));
    if (failures.length) {
      console.log(`FAIL\n${failures.map((f) => `  - ${f}`).join('\n')}`);
      process.exitCode = 1;
    } else {
      console.log('PASS: every acknowledged vote survived the kills, the survivor never failed, the counters equal the rows.');
    }
  } finally {
    for (const s of slots) {
      s.agent.destroy();
      await s.child?.stop();
    }
    await postgres?.stop();
    if (process.exitCode) console.error(`logs kept in ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}
