import http from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { auditService } from '../src/audit/audit.service.js';
import { webhookService } from '../src/comments/webhook.service.js';
import { isSpecialAddress } from '../src/comments/webhook.targets.js';
import { sitesService } from '../src/sites/sites.service.js';
import { expectProblem } from './helpers/app.js';
import { commentsApp } from './comments.fixtures.js';

const SECRET = 'bi-mat-cua-xa-a-0123456789';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A real HTTP server on loopback: what an attacker wants the service to reach (an admin panel, a metadata service). */
async function internalService() {
  const got: string[] = [];
  const server = http.createServer((req, res) => {
    got.push(`${req.method} ${req.url}`);
    req.resume();
    res.statusCode = 204;
    res.end();
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, got };
}

/** DNS as the attacker runs it: the name answers with whatever address they like. */
const dnsAnswering = (address: string, family: 4 | 6 = 4): LookupFunction & { calls: number } => {
  const fn = ((_host: string, options: { all?: boolean }, cb: (...args: unknown[]) => void) => {
    fn.calls++;
    if (options?.all) cb(null, [{ address, family }]);
    else cb(null, address, family);
  }) as LookupFunction & { calls: number };
  fn.calls = 0;
  return fn;
};

/** The webhook service on a fresh database with site xa-a; `store(url)` stores a webhook unchecked, as an older version did. */
async function service(allowPrivate: boolean, lookup: LookupFunction) {
  const { storage } = await commentsApp();
  const warnings: unknown[] = [];
  const logger = { warn: (o: unknown) => warnings.push(o), error: (o: unknown) => warnings.push(o) } as never;
  const audit = auditService(storage.audit, Date.now);
  const sites = sitesService(storage.sites, { audit, defaultTimezone: 'Asia/Ho_Chi_Minh', now: Date.now, version: storage.version });
  const hooks = webhookService(storage.webhooks, { timeoutMs: 2_000, maxAttempts: 2, retryBaseMs: 1, now: Date.now, logger, allowPrivate, lookup, audit, sites });
  const store = (url: string) => storage.webhooks.set('xa-a', { url, secret: SECRET }, Date.now(), audit.entry({ actor: 'test', action: 'webhook.set', targetType: 'site', siteId: 'xa-a' }));
  return { hooks, warnings, store };
}

describe('webhook targets (issue 10 §6)', () => {
  it('classifies loopback, private, link-local, CGNAT, metadata and other special-purpose addresses', () => {
    for (const ip of ['127.0.0.1', '127.1.2.3', '10.0.0.1', '172.16.5.4', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1',
      '100.127.255.254', '0.0.0.0', '0.1.2.3', '255.255.255.255', '224.0.0.1', '240.0.0.1', '192.0.0.8', '198.18.0.1', '::', '::1',
      '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', 'fe80::1', 'fd00::1', 'fc00::1', 'ff02::1', '64:ff9b::7f00:1', '2002:7f00:1::1', '2001:db8::1', '100::1'])
      expect(isSpecialAddress(ip), ip).toBe(true);
    for (const ip of ['93.184.215.14', '1.1.1.1', '14.160.32.1', '172.32.0.1', '100.128.0.1', '2405:4800:10a:2b3c::1', '2606:4700::1111', '::ffff:93.184.215.14'])
      expect(isSpecialAddress(ip), ip).toBe(false);
  });

  it('PUT …/webhook refuses a literal private or special address with 400 webhook_target_not_allowed', async () => {
    // Attack: an admin key (or a phished admin) points the webhook at the cloud metadata service or an
    // intranet admin panel; every pending comment then makes the server POST there.
    const t = await commentsApp();
    for (const url of ['http://127.0.0.1:8080/hook', 'http://[::1]/hook', 'http://10.1.2.3/', 'http://169.254.169.254/latest/meta-data/',
      'http://100.64.0.1/', 'http://0.0.0.0:9000/', 'http://[::]/', 'http://[::ffff:127.0.0.1]/', 'http://[::ffff:7f00:1]/', 'http://[fe80::1]/',
      'http://[fd00::1]/', 'http://192.168.1.1/', 'https://172.16.0.1/', 'http://localhost:8080/', 'http://quan-tri.localhost/',
      'http://2130706433/', 'http://0x7f.1/', 'http://127.1/']) {
      const res = await t.admin.put('/v1/admin/sites/xa-a/webhook', { url, secret: SECRET });
      expectProblem(res, 400, 'webhook_target_not_allowed');
      expect(res.body.errors).toEqual([{ field: 'url', message: expect.stringContaining('private') }]);
    }
    expect(await t.sql.value('SELECT COUNT(*) FROM site_webhooks')).toBe(0);
    expect((await t.admin.put('/v1/admin/sites/xa-a/webhook', { url: 'https://hooks.example.vn/ykien', secret: SECRET })).status).toBe(200);
    // An installation that delivers to its own intranet says so.
    const allowed = await commentsApp({ WEBHOOK_ALLOW_PRIVATE: true });
    expect((await allowed.admin.put('/v1/admin/sites/xa-a/webhook', { url: 'http://10.1.2.3/hook', secret: SECRET })).status).toBe(200);
  });

  it('checks the address a name resolves to at delivery time, and connects only to that address', async () => {
    // Attack (DNS rebinding): the name looked public when the webhook was set; now it answers 127.0.0.1.
    const target = await internalService();
    const rebinding = dnsAnswering('127.0.0.1');
    const refused = await service(false, rebinding);
    await refused.hooks.set('xa-a', { url: `http://hooks.example.vn:${target.port}/hook`, secret: SECRET }, 'test');
    refused.hooks.notify('xa-a', 'comment.pending', { comment: { id: 'c1' } });
    await refused.hooks.idle();
    expect(rebinding.calls).toBeGreaterThan(0);
    expect(target.got).toEqual([]);
    expect(JSON.stringify(refused.warnings)).toContain('target_not_allowed');

    for (const [address, family] of [['::1', 6], ['::ffff:127.0.0.1', 6], ['169.254.169.254', 4]] as const) {
      const s = await service(false, dnsAnswering(address, family));
      await s.hooks.set('xa-a', { url: `http://hooks.example.vn:${target.port}/hook`, secret: SECRET }, 'test');
      s.hooks.notify('xa-a', 'comment.pending', { comment: { id: 'c1' } });
      await s.hooks.idle();
    }
    expect(target.got).toEqual([]);

    // Allowed, the same name reaches the address that lookup returned (and no other: the name does not exist).
    const allowed = await service(true, dnsAnswering('127.0.0.1'));
    await allowed.hooks.set('xa-a', { url: `http://hooks.example.vn:${target.port}/hook`, secret: SECRET }, 'test');
    allowed.hooks.notify('xa-a', 'comment.pending', { comment: { id: 'c1' } });
    await allowed.hooks.idle();
    expect(target.got).toEqual(['POST /hook']);
  });

  it('a literal private address stored before this version is not delivered to either', async () => {
    const target = await internalService();
    const s = await service(false, dnsAnswering('93.184.215.14'));
    await s.store(`http://127.0.0.1:${target.port}/hook`);
    s.hooks.notify('xa-a', 'comment.pending', { comment: { id: 'c1' } });
    await s.hooks.idle();
    expect(target.got).toEqual([]);
  });
});
