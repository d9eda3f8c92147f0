// SQLite only: the load on one process and its on-disk file (WAL, integrity_check). PostgreSQL's load test
// is tests/postgres/instances.test.ts: the same 20,000 votes from 200 clients, over two instances on one
// database (run a second time here it would add minutes to CI and prove nothing more).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { keepAliveAgent, request } from '../scripts/lib/http.js';
import { createPoll, createSite, makeTestApp } from './helpers/app.js';

/**
 * Load: 20,000 votes with distinct voter ids from 200 concurrent keep-alive clients against
 * the real app on a real on-disk database (WAL), plus 400 repeats of voter ids already in
 * flight. Every acknowledged vote must be counted exactly once, every repeat refused with
 * 409, nothing may answer 5xx, and the counters must equal the rows they summarise.
 */
const VOTES = 20_000;
const CLIENTS = 200;
const REPEAT_EVERY = 50;

const post = (agent: http.Agent, port: number, path: string, body: string) => request(agent, `http://127.0.0.1:${port}${path}`, 'POST', body);

let server: http.Server | undefined;
let agent: http.Agent | undefined;
afterEach(async () => {
  agent?.destroy();
  if (server) await new Promise((r) => server!.close(r));
  server = agent = undefined;
});

describe('load', () => {
  it(`counts ${VOTES.toLocaleString('en')} concurrent votes from ${CLIENTS} clients exactly once, with no 5xx`, { timeout: 180_000 }, async () => {
    const t = await makeTestApp();
    await createSite(t);
    const poll = await createPoll(t);
    const optionIds = poll.options.map((o) => o.id);
    server = t.app.listen(0, '127.0.0.1');
    await new Promise((r) => server!.once('listening', r));
    const { port } = server.address() as AddressInfo;
    agent = keepAliveAgent(CLIENTS);

    // The work list: vote i by voter i for option i mod 3; every REPEAT_EVERY-th vote is
    // followed a little later by a second ballot from the same voter (other option).
    type Job = { voter: string; option: string; repeat: boolean };
    const jobs: Job[] = [];
    const run = Date.now().toString(36);
    for (let i = 0; i < VOTES; i++) {
      jobs.push({ voter: `load-${run}-${i}`, option: optionIds[i % optionIds.length]!, repeat: false });
      if (i % REPEAT_EVERY === REPEAT_EVERY - 1) {
        const earlier = i - 7;
        jobs.push({ voter: `load-${run}-${earlier}`, option: optionIds[(earlier + 1) % optionIds.length]!, repeat: true });
      }
    }
    const repeats = jobs.filter((j) => j.repeat).length;

    const statuses = new Map<number, number>();
    const acknowledged = new Map<string, number>(optionIds.map((id) => [id, 0]));
    const ackedVoters = new Set<string>();
    const serverErrors: string[] = [];
    const codes409 = new Map<string, number>();
    let next = 0;
    const path = `/v1/polls/${poll.id}/votes`;
    const client = async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        const res = await post(agent!, port, path, JSON.stringify({ optionIds: [job.option], voterId: job.voter }));
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) serverErrors.push(`${res.status} ${res.body.slice(0, 200)}`);
        if (res.status === 201) {
          expect(ackedVoters.has(job.voter), `voter ${job.voter} acknowledged twice`).toBe(false);
          ackedVoters.add(job.voter);
          acknowledged.set(job.option, acknowledged.get(job.option)! + 1);
        }
        if (res.status === 409) {
          const code = (JSON.parse(res.body) as { code: string }).code;
          codes409.set(code, (codes409.get(code) ?? 0) + 1);
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));

    const created = statuses.get(201) ?? 0;
    expect(serverErrors).toEqual([]);
    expect(Object.fromEntries(statuses)).toEqual({ 201: VOTES, 409: repeats });
    expect(Object.fromEntries(codes409)).toEqual({ already_voted: repeats });

    // The public results, the ballots table and the per-option counters all agree.
    const results = await t.http.get(`/v1/polls/${poll.id}/results`).expect(200);
    expect(results.body.total).toBe(created);
    expect(results.body.voters).toBe(created);
    const ballots = t.db.prepare('SELECT COUNT(*) FROM ballots WHERE poll_id = ?').pluck().get(poll.id);
    expect(ballots).toBe(created);
    const choices = t.db
      .prepare('SELECT COUNT(*) FROM ballot_choices c JOIN ballots b ON b.id = c.ballot_id WHERE b.poll_id = ?')
      .pluck()
      .get(poll.id);
    expect(choices).toBe(created);
    const row = t.db.prepare('SELECT total_choices, total_voters FROM polls WHERE id = ?').get(poll.id);
    expect(row).toEqual({ total_choices: created, total_voters: created });
    for (const o of results.body.options as { id: string; votes: number }[]) {
      const rows = t.db.prepare('SELECT COUNT(*) FROM ballot_choices WHERE option_id = ?').pluck().get(o.id);
      expect(o.votes, `option ${o.id}`).toBe(rows);
      expect(o.votes, `option ${o.id} vs acknowledged`).toBe(acknowledged.get(o.id));
    }
    expect(t.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
