import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { keepAliveAgent, request } from '../../scripts/lib/http.js';
import { runCommand } from '../helpers/cli.js';
import { startInstance, type Instance } from '../helpers/instances.js';
import { freshPostgresUrl } from '../storage/backends.js';
import pg from 'pg';

/**
 * Several instances on one PostgreSQL database, as a provincial IT centre runs them behind a load
 * balancer: two real service processes, one database, every answer exactly right whichever instance gives it.
 */
const VOTES = 20_000;
const CLIENTS = 200;
const REPEAT_EVERY = 100;

let agent: http.Agent | undefined;
afterEach(() => {
  agent?.destroy();
  agent = undefined;
});

async function pair(env: Record<string, string> = {}) {
  const db = await freshPostgresUrl();
  const key = (await runCommand(['keys', 'create', '--role', 'admin', '--name', 'Trung tâm CNTT'], { env: { DATABASE_URL: db.url } })).out.at(-1)!;
  const common = { DATABASE_URL: db.url, TRUST_PROXY: 'loopback', RATE_LIMIT_WRITE_PER_MIN: '0', RATE_LIMIT_READ_PER_MIN: '0', RATE_LIMIT_VIEWS_PER_MIN: '0', VOTE_LIMIT_PER_IP: '0', PG_POOL_SIZE: '8', ...env };
  const [a, b] = await Promise.all([startInstance(common), startInstance(common)]);
  agent = keepAliveAgent(CLIENTS);
  const admin = (i: Instance, method: string, path: string, body?: unknown) =>
    request(agent!, `${i.url}${path}`, method, body === undefined ? undefined : JSON.stringify(body), { authorization: `Bearer ${key}` });
  const pgClient = async <R>(sql: string, params: unknown[] = []) => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      return (await c.query(sql, params)).rows as R[];
    } finally {
      await c.end();
    }
  };
  return { db, key, a, b, admin, sql: pgClient };
}

describe('two instances on one PostgreSQL', () => {
  it(`count ${VOTES.toLocaleString('en')} votes from ${CLIENTS} clients spread over both exactly once, repeats refused, counters = rows`, { timeout: 300_000 }, async () => {
    const { a, b, admin, sql } = await pair();
    expect((await admin(a, 'POST', '/v1/admin/sites', { id: 'xa-a', name: 'Xã A' })).status).toBe(201);
    const created = JSON.parse((await admin(b, 'POST', '/v1/admin/polls', { site: 'xa-a', question: 'Xin bạn cho ý kiến?', options: ['Bình thường', 'Đẹp, tiện lợi tra cứu', 'Cần chỉnh sửa thêm'] })).body);
    const optionIds = (created.options as { id: string }[]).map((o) => o.id);

    type Job = { voter: string; option: string; repeat: boolean };
    const jobs: Job[] = [];
    const run = Date.now().toString(36);
    for (let i = 0; i < VOTES; i++) {
      jobs.push({ voter: `pg-${run}-${i}`, option: optionIds[i % 3]!, repeat: false });
      // A second ballot of a voter still in flight, sent to the OTHER instance.
      if (i % REPEAT_EVERY === REPEAT_EVERY - 1) jobs.push({ voter: `pg-${run}-${i - 3}`, option: optionIds[(i + 1) % 3]!, repeat: true });
    }
    const repeats = jobs.filter((j) => j.repeat).length;
    const statuses = new Map<number, number>();
    const acknowledged = new Map(optionIds.map((id) => [id, 0]));
    const errors: string[] = [];
    let next = 0;
    const client = async () => {
      while (next < jobs.length) {
        const n = next++;
        const job = jobs[n]!;
        const to = n % 2 ? b : a;
        const res = await request(agent!, `${to.url}/v1/polls/${created.id}/votes`, 'POST', JSON.stringify({ optionIds: [job.option], voterId: job.voter }));
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) errors.push(`${res.status} ${res.body.slice(0, 200)}`);
        if (res.status === 201) acknowledged.set(job.option, acknowledged.get(job.option)! + 1);
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    expect(errors).toEqual([]);
    expect(Object.fromEntries(statuses)).toEqual({ 201: VOTES, 409: repeats });

    // Both instances answer the same totals, equal to the rows and to what the clients were told.
    for (const i of [a, b]) {
      const results = JSON.parse((await request(agent!, `${i.url}/v1/polls/${created.id}/results`, 'GET')).body);
      expect(results.voters).toBe(VOTES);
      expect(results.total).toBe(VOTES);
      for (const o of results.options as { id: string; votes: number }[]) expect(o.votes).toBe(acknowledged.get(o.id));
    }
    const [rows] = await sql<{ ballots: number; choices: number; voters: number; total: number }>(
      `SELECT (SELECT COUNT(*) FROM ballots)::int AS ballots, (SELECT COUNT(*) FROM ballot_choices)::int AS choices,
              total_voters::int AS voters, total_choices::int AS total FROM polls WHERE id = $1`,
      [created.id],
    );
    expect(rows).toEqual({ ballots: VOTES, choices: VOTES, voters: VOTES, total: VOTES });
    const perOption = await sql<{ id: string; votes: number; rows: number }>(
      `SELECT o.id, o.votes::int AS votes, (SELECT COUNT(*) FROM ballot_choices c WHERE c.option_id = o.id)::int AS rows FROM poll_options o WHERE o.poll_id = $1`,
      [created.id],
    );
    for (const o of perOption) expect(o.votes, o.id).toBe(o.rows);
  });

  it('a vote through one instance is in the other one\'s very next read, cached or not', async () => {
    const { a, b, admin } = await pair();
    await admin(a, 'POST', '/v1/admin/sites', { id: 'xa-a', name: 'Xã A' });
    const poll = JSON.parse((await admin(a, 'POST', '/v1/admin/polls', { site: 'xa-a', question: 'Câu hỏi?', options: ['Có', 'Không'] })).body);
    const read = async (i: Instance) => JSON.parse((await request(agent!, `${i.url}/v1/polls/${poll.id}/results`, 'GET')).body) as { total: number };
    for (let n = 1; n <= 25; n++) {
      // B has just answered (and cached) the results; a vote lands on A; B's next read must include it.
      expect((await read(b)).total).toBe(n - 1);
      const vote = await request(agent!, `${a.url}/v1/polls/${poll.id}/votes`, 'POST', JSON.stringify({ optionIds: [poll.options[n % 2].id], voterId: `coherent-${n}-xxxxxx` }));
      expect(vote.status).toBe(201);
      expect((await read(b)).total).toBe(n);
      expect((await read(a)).total).toBe(n);
    }
    // An admin's change through B is seen through A within a second (definitions are rechecked once a second).
    const before = JSON.parse((await request(agent!, `${a.url}/v1/polls/${poll.id}`, 'GET')).body);
    expect(before.status).toBe('open');
    await admin(b, 'POST', `/v1/admin/polls/${poll.id}/close`);
    await new Promise((r) => setTimeout(r, 1_100));
    expect(JSON.parse((await request(agent!, `${a.url}/v1/polls/${poll.id}`, 'GET')).body).status).toBe('closed');
    const late = await request(agent!, `${a.url}/v1/polls/${poll.id}/votes`, 'POST', JSON.stringify({ optionIds: [poll.options[0].id], voterId: 'coherent-late-xxxxxx' }));
    expect(late.status).toBe(409);
  });

  it('share one rate-limit quota: a reader over the limit on one instance is refused on the other', async () => {
    const { a, b, admin } = await pair({ RATE_LIMIT_READ_PER_MIN: '30' });
    await admin(a, 'POST', '/v1/admin/sites', { id: 'xa-a', name: 'Xã A' });
    const poll = JSON.parse((await admin(a, 'POST', '/v1/admin/polls', { site: 'xa-a', question: 'Câu hỏi?', options: ['Có', 'Không'] })).body);
    const read = (i: Instance, ip: string) => request(agent!, `${i.url}/v1/polls/${poll.id}`, 'GET', undefined, { 'x-forwarded-for': ip });
    const seen: number[] = [];
    for (let n = 0; n < 30; n++) seen.push((await read(n % 3 ? a : b, '198.51.100.7')).status);
    expect(seen.every((s) => s === 200)).toBe(true);
    expect((await read(b, '198.51.100.7')).status).toBe(429);
    expect((await read(a, '198.51.100.7')).status).toBe(429);
    // Another reader has a quota of their own, on either instance.
    expect((await read(b, '198.51.100.8')).status).toBe(200);
  });

  it('SIGKILL one of two instances mid-load: every acknowledged vote is in the database, the other keeps serving', { timeout: 180_000 }, async () => {
    const { a, b, admin, sql } = await pair();
    await admin(a, 'POST', '/v1/admin/sites', { id: 'xa-a', name: 'Xã A' });
    const poll = JSON.parse((await admin(a, 'POST', '/v1/admin/polls', { site: 'xa-a', question: 'Câu hỏi?', options: ['Có', 'Không'] })).body);
    const acknowledged: string[] = [];
    const failedOnB: string[] = [];
    let n = 0;
    let stop = false;
    const client = async () => {
      while (!stop) {
        const i = n++;
        const to = i % 2 ? b : a;
        const voter = `kill-${i}-xxxxxxxxxx`;
        const res = await request(agent!, `${to.url}/v1/polls/${poll.id}/votes`, 'POST', JSON.stringify({ optionIds: [poll.options[i % 2].id], voterId: voter })).catch((e: Error) => e);
        if (!(res instanceof Error) && res.status === 201) acknowledged.push(voter);
        else if (to === b) failedOnB.push(res instanceof Error ? `${res.message} ${(res as { code?: string }).code}` : `${res.status} ${res.body.slice(0, 200)}`);
      }
    };
    const clients = Array.from({ length: 40 }, client);
    await new Promise((r) => setTimeout(r, 1_500));
    a.child.kill('SIGKILL');
    await a.exited;
    await new Promise((r) => setTimeout(r, 1_500));
    stop = true;
    await Promise.all(clients);
    expect(failedOnB).toEqual([]);
    expect(acknowledged.length).toBeGreaterThan(100);
    const stored = new Set((await sql<{ voter: string }>('SELECT voter_hash AS voter FROM ballots WHERE poll_id = $1', [poll.id])).map((r) => r.voter));
    const results = JSON.parse((await request(agent!, `${b.url}/v1/polls/${poll.id}/results`, 'GET')).body);
    // Voter ids are stored only as hashes: every acknowledged ballot is a row, and the counters equal the rows.
    expect(stored.size).toBeGreaterThanOrEqual(acknowledged.length);
    expect(results.voters).toBe(stored.size);
    const [row] = await sql<{ voters: number }>('SELECT total_voters::int AS voters FROM polls WHERE id = $1', [poll.id]);
    expect(row!.voters).toBe(stored.size);
    // Each acknowledged voter is recorded: voting again through the survivor is refused as a repeat.
    for (const voter of acknowledged.filter((_, i) => i % 25 === 0)) {
      const again = await request(agent!, `${b.url}/v1/polls/${poll.id}/votes`, 'POST', JSON.stringify({ optionIds: [poll.options[0].id], voterId: voter }));
      expect(again.status, voter).toBe(409);
    }
  });

  it('count views from many clients spread over both exactly once: figures = rows, online = visitors, on either instance', { timeout: 120_000 }, async () => {
    const { a, b, admin, sql } = await pair();
    expect((await admin(a, 'POST', '/v1/admin/sites', { id: 'xa-a', name: 'Xã A' })).status).toBe(201);
    const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    const VISITORS = 1_500;
    const pages = ['trang-chu', 'tin-tuc', 'lien-he'];
    // Every visitor views one page through A and B at once (a reload that the balancer sends elsewhere), then another page.
    const jobs: { visitor: string; page: string; to: Instance }[] = [];
    for (let i = 0; i < VISITORS; i++) {
      const visitor = `xem-${i.toString().padStart(6, '0')}`;
      jobs.push({ visitor, page: pages[i % 3]!, to: a }, { visitor, page: pages[i % 3]!, to: b }, { visitor, page: pages[(i + 1) % 3]!, to: i % 2 ? a : b });
    }
    const errors: string[] = [];
    let next = 0;
    const client = async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        const res = await request(agent!, `${job.to.url}/v1/sites/xa-a/pages/${job.page}/views`, 'POST', JSON.stringify({ visitorId: job.visitor }), { 'user-agent': CHROME });
        if (res.status !== 200) errors.push(`${res.status} ${res.body.slice(0, 200)}`);
      }
    };
    await Promise.all(Array.from({ length: 60 }, client));
    expect(errors).toEqual([]);
    // Each page: one view per visitor who saw it (the reloads add nothing), whichever instance answers.
    for (const i of [a, b])
      for (const page of pages) {
        const figures = JSON.parse((await request(agent!, `${i.url}/v1/sites/xa-a/pages/${page}/views`, 'GET')).body);
        expect(figures, page).toEqual({ views: (2 * VISITORS) / 3, siteVisits: VISITORS, online: VISITORS });
      }
    const [rows] = await sql<{ seen: number; views: number; visitors: number; visits: number; present: number }>(
      `SELECT (SELECT COUNT(*) FROM counter_page_seen)::int AS seen, (SELECT SUM(views) FROM counter_pages)::int AS views,
              (SELECT COUNT(*) FROM counter_visitors)::int AS visitors, (SELECT visits FROM counter_sites)::int AS visits,
              (SELECT SUM(visitors) FROM counter_presence)::int AS present`,
    );
    expect(rows).toEqual({ seen: 2 * VISITORS, views: 2 * VISITORS, visitors: VISITORS, visits: VISITORS, present: VISITORS });
  });
});
