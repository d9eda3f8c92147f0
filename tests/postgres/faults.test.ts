import { afterEach, describe, expect, it } from 'vitest';
import { keepAliveAgent, request } from '../../scripts/lib/http.js';
import { runCommand } from '../helpers/cli.js';
import { startInstance, waitReady } from '../helpers/instances.js';
import { tcpProxy } from '../helpers/tcpProxy.js';
import { freshPostgresUrl } from '../storage/backends.js';

/**
 * PostgreSQL going away under a running service (a failover, a restart, a cut cable), through a TCP proxy
 * the test cuts: readiness says so, writes are refused with a clear 503 well before the request timeout,
 * what is cached is still served, and the service recovers by itself when the database is back.
 */
const REQUEST_TIMEOUT_MS = 8_000;
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('PostgreSQL down and back', () => {
  it('readyz 503, votes 503 storage_unavailable fast, cached results served, then recovery without a restart', { timeout: 120_000 }, async () => {
    const db = await freshPostgresUrl();
    const direct = new URL(db.url);
    const proxy = await tcpProxy({ host: direct.hostname, port: Number(direct.port) });
    cleanup.push(() => proxy.close());
    const viaProxy = new URL(db.url);
    viaProxy.port = String(proxy.port);
    const key = (await runCommand(['keys', 'create', '--role', 'admin', '--name', 'Trung tâm CNTT'], { env: { DATABASE_URL: db.url } })).out.at(-1)!;
    const app = await startInstance({
      DATABASE_URL: viaProxy.toString(),
      PG_STATEMENT_TIMEOUT_MS: '1500',
      REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      TRUST_PROXY: 'loopback',
    });
    const agent = keepAliveAgent();
    cleanup.push(async () => agent.destroy());
    const call = (method: string, path: string, body?: unknown, admin = false) =>
      request(agent, `${app.url}${path}`, method, body === undefined ? undefined : JSON.stringify(body), admin ? { authorization: `Bearer ${key}` } : {});

    expect((await call('POST', '/v1/admin/sites', { id: 'xa-a', name: 'Xã A' }, true)).status).toBe(201);
    const poll = JSON.parse((await call('POST', '/v1/admin/polls', { site: 'xa-a', question: 'Xin bạn cho ý kiến?', options: ['Có', 'Không'] }, true)).body);
    expect((await call('POST', `/v1/polls/${poll.id}/votes`, { optionIds: [poll.options[0].id], voterId: 'fault-voter-000001' })).status).toBe(201);
    const cached = await call('GET', `/v1/polls/${poll.id}/results`);
    expect(cached.status).toBe(200);

    proxy.down();

    // Readiness tells the load balancer to send readers elsewhere.
    let ready = 0;
    for (let i = 0; i < 50 && ready !== 503; i++) {
      ready = (await call('GET', '/readyz')).status;
      if (ready !== 503) await new Promise((r) => setTimeout(r, 200));
    }
    expect(ready).toBe(503);

    // A write is refused with a clear problem, well before the request timeout: never a hang.
    const started = Date.now();
    const vote = await call('POST', `/v1/polls/${poll.id}/votes`, { optionIds: [poll.options[1].id], voterId: 'fault-voter-000002' });
    expect(Date.now() - started).toBeLessThan(REQUEST_TIMEOUT_MS);
    expect(vote.status).toBe(503);
    expect(vote.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(JSON.parse(vote.body).code).toBe('storage_unavailable');
    expect(vote.body).not.toMatch(/postgres:|password|ykien-test|127\.0\.0\.1/);

    // What was cached before the outage is still served.
    const during = await call('GET', `/v1/polls/${poll.id}/results`);
    expect(during.status).toBe(200);
    expect(JSON.parse(during.body).total).toBe(1);

    proxy.up();
    await waitReady(app.port);
    const after = await call('POST', `/v1/polls/${poll.id}/votes`, { optionIds: [poll.options[1].id], voterId: 'fault-voter-000002' });
    expect(after.status).toBe(201);
    expect(JSON.parse((await call('GET', `/v1/polls/${poll.id}/results`)).body).total).toBe(2);
    expect(app.child.exitCode).toBeNull();
  });
});
