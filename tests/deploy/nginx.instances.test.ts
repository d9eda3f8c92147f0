/**
 * Two service processes on one PostgreSQL behind Debian's nginx with TLS, as docs/deploy.md §15 sets them up:
 * section 6's site block with §15's upstream and "location /" in place of its own (only ports and certificate
 * paths substituted), the guide's settings (HOST, TRUST_PROXY, PUBLIC_URL, METRICS_TOKEN) on both instances.
 * Readers connect from their own loopback addresses (127.0.0.2, 127.0.1.7, …): what nginx reports as theirs.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../helpers/cli.js';
import { startInstance, type Instance } from '../helpers/instances.js';
import { freshPostgresUrl } from '../storage/backends.js';
import { guideBlock, guideEnv, substitute } from './guide.js';
import { request, startNginx, type Answer, type Nginx } from './nginx.js';
import { freePort } from './process.js';

const PORTAL = 'https://tienngoc.quangnam.gov.vn';
const WRITES_PER_MIN = 3;

/** Section 6's site block with §15's upstream and 443 "location /" in place of its own. */
function twoInstanceSite(): string {
  const two = guideBlock('nginx-two-instances');
  const upstream = /^upstream ykien \{\n[\s\S]*?^\}/m;
  const location = /^ {4}location \/ \{\n[\s\S]*?^ {4}\}/m;
  const part = (re: RegExp) => {
    const m = re.exec(two);
    if (!m) throw new Error(`docs/deploy.md: the nginx-two-instances block has no ${String(re)}`);
    return m[0];
  };
  return substitute(guideBlock('nginx-site'), [
    [upstream, part(upstream)],
    [location, part(location)],
  ]);
}

let nginx: Nginx;
let ports: [number, number];
let db: Awaited<ReturnType<typeof freshPostgresUrl>>;
let key: string;
const guide = guideEnv();

beforeAll(async () => {
  ports = [await freePort(), await freePort()];
  db = await freshPostgresUrl();
  key = (await runCommand(['keys', 'create', '--role', 'admin', '--name', 'Trung tâm CNTT'], { env: { DATABASE_URL: db.url } })).out.at(-1)!;
  nginx = await startNginx(twoInstanceSite(), [
    ['127.0.0.1:3001', `127.0.0.1:${ports[0]}`],
    ['127.0.0.1:3002', `127.0.0.1:${ports[1]}`],
  ]);
  expect(new URL(guide.PUBLIC_URL!).origin).toBe(`https://${nginx.host}`);
});

afterAll(async () => {
  await nginx?.stop();
  await db?.drop();
});

/** Both instances, on the ports the upstream names, with the guide's settings and PostgreSQL. */
const pair = () =>
  Promise.all(
    ports.map((port) =>
      startInstance(
        {
          NODE_ENV: guide.NODE_ENV!,
          HOST: guide.HOST!,
          TRUST_PROXY: guide.TRUST_PROXY!,
          PUBLIC_URL: guide.PUBLIC_URL!,
          METRICS_TOKEN: guide.METRICS_TOKEN!,
          DATABASE_URL: db.url,
          PG_POOL_SIZE: '4',
          RATE_LIMIT_WRITE_PER_MIN: String(WRITES_PER_MIN),
        },
        { port },
      ),
    ),
  ) as Promise<[Instance, Instance]>;

async function sitePoll(site: string): Promise<{ id: string; options: { id: string }[] }> {
  const auth = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' };
  const created = await request(nginx, '127.0.0.1', 'POST', '/v1/admin/sites', { headers: auth, body: JSON.stringify({ id: site, name: `Xã ${site}`, origins: [PORTAL] }) });
  expect(created.status, created.text).toBe(201);
  const poll = await request(nginx, '127.0.0.1', 'POST', '/v1/admin/polls', {
    headers: auth,
    body: JSON.stringify({ site, question: 'Xin bạn cho ý kiến về cổng thông tin của chúng tôi?', options: ['Bình thường', 'Đẹp, tiện lợi tra cứu', 'Cần chỉnh sửa thêm'] }),
  });
  expect(poll.status, poll.text).toBe(201);
  return poll.json();
}

let voters = 0;
const newVoter = () => `nginx-two-${process.pid}-${++voters}-abcdef`;
const vote = (from: string, poll: { id: string; options: { id: string }[] }, voter = newVoter(), headers: Record<string, string> = {}) =>
  request(nginx, from, 'POST', `/v1/polls/${poll.id}/votes`, {
    headers: { 'Content-Type': 'application/json', Origin: PORTAL, ...headers },
    body: JSON.stringify({ optionIds: [poll.options[0]!.id], voterId: voter }),
  });
const results = (from: string, poll: { id: string }) => request(nginx, from, 'GET', `/v1/polls/${poll.id}/results`, { headers: { Origin: PORTAL } });
const voted = async (poll: { id: string }, voter: string) => (await request(nginx, '127.0.0.1', 'GET', `/v1/polls/${poll.id}?voterId=${voter}`)).json().voted as boolean;

/** What an instance itself counted: its answers by route and status (read from it directly, with the guide's token). */
async function answered(i: Instance, method: string, route: string, status: number): Promise<number> {
  const text = await (await fetch(`${i.url}/metrics`, { headers: { Authorization: `Bearer ${guide.METRICS_TOKEN}` } })).text();
  const line = text.split('\n').find((l) => l.startsWith(`ykien_http_requests_total{method="${method}",route="${route}",status="${status}"}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('two instances on PostgreSQL behind nginx with TLS, as docs/deploy.md §15 sets them up', () => {
  it('spreads votes and reads over both; each reader\'s address reaches them, so a per-reader quota holds across both', { timeout: 30_000 }, async () => {
    const [a, b] = await pair();
    const poll = await sitePoll('tienngoc');
    for (let i = 0; i < WRITES_PER_MIN; i++) {
      const ok = await vote('127.0.0.2', poll);
      expect(ok.status, ok.text).toBe(201);
      expect(ok.headers['access-control-allow-origin']).toBe(PORTAL);
    }
    // The reader's quota is one, whichever instance answers; a forged X-Forwarded-For buys nothing.
    for (let i = 0; i < 2; i++) {
      const refused = await vote('127.0.0.2', poll);
      expect(refused.status, refused.text).toBe(429);
      expect(refused.json().code).toBe('rate_limited');
    }
    expect((await vote('127.0.0.2', poll, newVoter(), { 'X-Forwarded-For': '203.0.113.9' })).status).toBe(429);
    // Another reader behind the same nginx has a quota of their own.
    expect((await vote('127.0.0.3', poll)).status).toBe(201);
    for (let i = 0; i < 6; i++) expect((await results('127.0.0.4', poll)).json().total).toBe(WRITES_PER_MIN + 1);
    // The service knows the reader is on HTTPS (X-Forwarded-Proto): the no-JS page's cookies are Secure.
    const page = await request(nginx, '127.0.0.5', 'GET', `/p/${poll.id}`);
    expect(page.status).toBe(200);
    expect(page.headers['set-cookie']?.length).toBeGreaterThan(0);
    for (const c of page.headers['set-cookie']!) expect(c).toMatch(/; Secure/);

    // Both instances took votes and reads, and between them answered exactly what was sent.
    const votes = [await answered(a, 'POST', '/v1/polls/:id/votes', 201), await answered(b, 'POST', '/v1/polls/:id/votes', 201)];
    const limited = [await answered(a, 'POST', '/v1/polls/:id/votes', 429), await answered(b, 'POST', '/v1/polls/:id/votes', 429)];
    const reads = [await answered(a, 'GET', '/v1/polls/:id/results', 200), await answered(b, 'GET', '/v1/polls/:id/results', 200)];
    expect(votes.every((n) => n > 0) && reads.every((n) => n > 0), `votes ${votes}, reads ${reads}`).toBe(true);
    expect(votes[0]! + votes[1]!).toBe(WRITES_PER_MIN + 1);
    expect(limited[0]! + limited[1]!).toBe(3);
    expect(reads[0]! + reads[1]!).toBe(6);
  });

  it('SIGKILL one: a read in flight on it is answered by the other, a vote in flight is never sent twice, every new read and vote succeeds, each vote counted once', { timeout: 30_000 }, async () => {
    const [a] = await pair();
    const poll = await sitePoll('tamthanh');
    // Every vote from an address of its own: the per-reader write quota stays out of the way.
    let address = 0;
    const reader = () => `127.0.${1 + Math.floor(address / 250)}.${1 + (address++ % 250)}`;
    const acknowledged: string[] = [];
    const cast = async () => {
      const voter = newVoter();
      const res = await vote(reader(), poll, voter);
      if (res.status === 201) acknowledged.push(voter);
      return { voter, res };
    };
    for (let i = 0; i < 4; i++) expect((await cast()).res.status).toBe(201);

    // Instance A stops answering (SIGSTOP): what nginx sends it now stays in flight until the kill.
    process.kill(a.child.pid!, 'SIGSTOP');
    const track = (answer: Promise<Answer>) => {
      const t = { done: false, answer };
      answer.then(() => (t.done = true), () => (t.done = true));
      return t;
    };
    // nginx takes turns between the two (one worker, round robin): of two requests, one goes to A and stays
    // in flight there, the other is answered by B. Votes first, then reads, so each kind has one on A.
    const inFlight = { votes: [] as { voter: string; answer: ReturnType<typeof track> }[], reads: [] as ReturnType<typeof track>[] };
    const oneAnswered = async (ts: ReturnType<typeof track>[]) => {
      while (!ts.some((t) => t.done)) await new Promise((r) => setTimeout(r, 20));
    };
    for (let i = 0; i < 2; i++) {
      const voter = newVoter();
      inFlight.votes.push({ voter, answer: track(vote(reader(), poll, voter)) });
    }
    await oneAnswered(inFlight.votes.map((v) => v.answer));
    for (let i = 0; i < 2; i++) inFlight.reads.push(track(results(reader(), poll)));
    await oneAnswered(inFlight.reads);
    expect(inFlight.votes.filter((v) => !v.answer.done).length, 'votes waiting on the stopped instance').toBe(1);
    expect(inFlight.reads.filter((r) => !r.done).length, 'reads waiting on the stopped instance').toBe(1);

    a.child.kill('SIGKILL');
    await a.exited;
    const answers = await Promise.all(inFlight.votes.map(async (v) => ({ voter: v.voter, status: (await v.answer.answer).status })));
    // A read cut off is asked again of B: no reader saw the kill.
    for (const r of inFlight.reads) expect((await r.answer).status).toBe(200);
    // A vote already sent to A is not sent to B (it may have been counted there): the reader gets a 502, and it is not counted.
    const cutOff = answers.filter((x) => x.status === 502);
    expect(cutOff.length, 'the vote in flight on the killed instance is answered 502, not sent on to the other').toBe(1);
    for (const x of answers) if (x.status === 201) acknowledged.push(x.voter);
    expect(answers.every((x) => x.status === 201 || x.status === 502)).toBe(true);
    for (const x of cutOff) expect(await voted(poll, x.voter)).toBe(false);

    // With A gone, every new vote and read succeeds: refused connections go to B.
    const failures: string[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = 0; i < 5; i++) {
          const { res } = await cast();
          if (res.status !== 201) failures.push(`vote ${res.status} ${res.text.slice(0, 120)}`);
          const read = await results(reader(), poll);
          if (read.status !== 200) failures.push(`read ${read.status} ${read.text.slice(0, 120)}`);
        }
      }),
    );
    expect(failures).toEqual([]);

    // Each acknowledged vote is counted once: the total, and the rows.
    const total = (await results('127.0.0.1', poll)).json().total;
    expect(total).toBe(acknowledged.length);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const [{ n }] = (await c.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM ballots WHERE poll_id = $1', [poll.id])).rows as [{ n: number }];
    await c.end();
    expect(n).toBe(acknowledged.length);
    for (const voter of acknowledged.filter((_, i) => i % 5 === 0)) expect(await voted(poll, voter)).toBe(true);
  });
});
