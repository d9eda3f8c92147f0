/**
 * Debian's nginx in front of the service, with the site block of docs/deploy.md as it stands
 * (only ports, certificate paths and the upstream's port substituted) and the guide's settings
 * (HOST=127.0.0.1, TRUST_PROXY=127.0.0.1, PUBLIC_URL=https://…). A self-signed certificate for the
 * guide's server_name; readers connect to nginx's TLS port from their own loopback addresses
 * (127.0.0.2, 127.0.0.3, …), which is what nginx then reports as their address.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildWidget } from '../../scripts/build-widget.mjs';
import { loadConfig } from '../../src/config.js';
import { openSqliteStorage } from '../../src/storage/sqlite/index.js';
import { auditService } from '../../src/audit/audit.service.js';
import { keysService } from '../../src/keys/keys.service.js';
import { silentLogger } from '../../src/logger.js';
import { start, type Running } from '../../src/server.js';
import { guideBlock, guideEnv } from './guide.js';
import { request, startNginx, type Nginx } from './nginx.js';

const PORTAL = 'https://tienngoc.quangnam.gov.vn';
const WRITES_PER_MIN = 3;

interface Stack extends Nginx {
  dbDir: string;
  publicOrigin: string;
  key: string;
  running: Running;
}

let stackPromise: Promise<Stack> | undefined;
/** Built once, on first use by a test (a failure fails each test that needs it, with the reason). */
const stack = () => (stackPromise ??= setUp());

async function setUp(): Promise<Stack> {
  const env = guideEnv();
  const publicOrigin = new URL(env.PUBLIC_URL!).origin;

  await buildWidget();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ykien-nginx-db-'));
  const file = path.join(dir, 'ykien.db');
  const storage = openSqliteStorage(file);
  const key = (await keysService(storage.keys, { audit: auditService(storage.audit, Date.now), now: Date.now }).create({ name: 'Trung tâm CNTT', role: 'admin', siteId: null })).key;
  await storage.close();
  const config = loadConfig({ ...env, PORT: '0', DATABASE_PATH: file, LOG_LEVEL: 'silent', RATE_LIMIT_WRITE_PER_MIN: String(WRITES_PER_MIN) });
  expect(config).toMatchObject({ HOST: '127.0.0.1', NODE_ENV: 'production' });
  const running = await start(config, silentLogger());
  const servicePort = Number(new URL(running.url).port);
  const nginx = await startNginx(guideBlock('nginx-site'), [['server 127.0.0.1:8080;', `server 127.0.0.1:${servicePort};`]]);
  expect(publicOrigin).toBe(`https://${nginx.host}`);
  return { ...nginx, dbDir: dir, publicOrigin, key, running };
}

afterAll(async () => {
  if (!stackPromise) return;
  const s = await stackPromise.catch(() => undefined);
  if (!s) return;
  await s.stop();
  await s.running.stop();
  fs.rmSync(s.dbDir, { recursive: true, force: true });
});

const json = (body: unknown) => ({ headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

async function sitePoll(s: Stack, site: string, name: string): Promise<{ id: string; options: { id: string }[] }> {
  const auth = { Authorization: `Bearer ${s.key}`, 'Content-Type': 'application/json' };
  const created = await request(s, '127.0.0.1', 'POST', '/v1/admin/sites', { headers: auth, body: JSON.stringify({ id: site, name, origins: [PORTAL] }) });
  expect(created.status, created.text).toBe(201);
  const poll = await request(s, '127.0.0.1', 'POST', '/v1/admin/polls', {
    headers: auth,
    body: JSON.stringify({ site, question: 'Xin bạn cho ý kiến về cổng thông tin của chúng tôi?', options: ['Bình thường', 'Đẹp, tiện lợi tra cứu', 'Cần chỉnh sửa thêm'] }),
  });
  expect(poll.status, poll.text).toBe(201);
  return poll.json();
}

let voter = 0;
const vote = (s: Stack, from: string, poll: { id: string; options: { id: string }[] }, headers: Record<string, string> = {}) => {
  const b = json({ optionIds: [poll.options[0]!.id], voterId: `nginx-reader-${process.pid}-${++voter}-abcdef` });
  return request(s, from, 'POST', `/v1/polls/${poll.id}/votes`, { headers: { ...b.headers, Origin: PORTAL, ...headers }, body: b.body });
};

/** The attributes of every <input> in an HTML page, entities decoded. */
function inputs(html: string): Record<string, string>[] {
  const decode = (v: string) => v.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return [...html.matchAll(/<input\b([^>]*)>/g)].map((m) => Object.fromEntries([...m[1]!.matchAll(/([\w-]+)(?:="([^"]*)")?/g)].map((a) => [a[1]!, decode(a[2] ?? '')])));
}

const cookieHeader = (setCookie: string[] | undefined) => (setCookie ?? []).map((c) => c.split(';')[0]).join('; ');

describe('behind nginx with TLS, as docs/deploy.md sets it up', () => {
  it('two readers get separate write quotas, and a forged X-Forwarded-For buys a reader nothing', async () => {
    const s = await stack();
    const poll = await sitePoll(s, 'tienngoc', 'Cổng thông tin điện tử xã Tiên Ngọc');
    for (let i = 0; i < WRITES_PER_MIN; i++) {
      const ok = await vote(s, '127.0.0.2', poll);
      expect(ok.status, ok.text).toBe(201);
      expect(ok.headers['access-control-allow-origin']).toBe(PORTAL);
    }
    const refused = await vote(s, '127.0.0.2', poll);
    expect(refused.status).toBe(429);
    expect(refused.json().code).toBe('rate_limited');
    expect((await vote(s, '127.0.0.2', poll, { 'X-Forwarded-For': '203.0.113.9' })).status).toBe(429);
    // Another reader, behind the same nginx, has a quota of their own.
    const other = await vote(s, '127.0.0.3', poll);
    expect(other.status, other.text).toBe(201);
    const results = await request(s, '127.0.0.3', 'GET', `/v1/polls/${poll.id}/results`, { headers: { Origin: PORTAL } });
    expect(results.json().total).toBe(WRITES_PER_MIN + 1);
  });

  it('a vote without JavaScript works over the proxy: the form, its cookies, a Secure cookie, the results', async () => {
    const s = await stack();
    const poll = await sitePoll(s, 'tamthanh', 'Cổng thông tin điện tử xã Tam Thanh');
    const form = await request(s, '127.0.0.4', 'GET', `/p/${poll.id}`);
    expect(form.status).toBe(200);
    const action = /<form\b[^>]*\baction="([^"]+)"/.exec(form.text)?.[1];
    expect(action).toBe(`/p/${poll.id}`);
    const fields = new URLSearchParams();
    for (const input of inputs(form.text)) if (input.type === 'hidden' && input.name) fields.append(input.name, input.value ?? '');
    const option = inputs(form.text).find((i) => i.name === 'option');
    fields.append('option', option!.value!);
    const posted = await request(s, '127.0.0.4', 'POST', action!, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: s.publicOrigin, Referer: `${s.publicOrigin}/p/${poll.id}`, Cookie: cookieHeader(form.headers['set-cookie']) },
      body: fields.toString(),
    });
    expect(posted.status, posted.text).toBe(303);
    const location = new URL(posted.headers.location!, s.publicOrigin);
    expect(location.origin).toBe(s.publicOrigin);
    expect(`${location.pathname}${location.search}`).toBe(`/p/${poll.id}?voted=1`);
    // The service knows the reader is on HTTPS (X-Forwarded-Proto from nginx, believed from nginx only).
    const voterCookie = posted.headers['set-cookie']!.find((c) => c.startsWith('ykien_voter='));
    expect(voterCookie).toMatch(/; Secure/);
    expect(voterCookie).toMatch(/; HttpOnly/);
    const cookies = [cookieHeader(form.headers['set-cookie']), cookieHeader(posted.headers['set-cookie'])].filter(Boolean).join('; ');
    const thanks = await request(s, '127.0.0.4', 'GET', `${location.pathname}${location.search}`, { headers: { Cookie: cookies } });
    expect(thanks.status).toBe(200);
    expect(thanks.text).toContain('Cảm ơn bạn đã bình chọn.');
    expect((await request(s, '127.0.0.4', 'GET', `/v1/polls/${poll.id}/results`)).json().total).toBe(1);
  });

  it('passes live results through at once: nginx neither buffers nor compresses the event stream', async () => {
    const s = await stack();
    const poll = await sitePoll(s, 'tamky', 'Cổng thông tin điện tử phường Tam Kỳ');
    const patched = await request(s, '127.0.0.1', 'PATCH', `/v1/admin/polls/${poll.id}`, {
      headers: { Authorization: `Bearer ${s.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ resultsVisibility: 'always' }),
    });
    expect(patched.status, patched.text).toBe(200);
    const totals: number[] = [];
    let headers: http.IncomingHttpHeaders = {};
    const req = https.request({
      host: '127.0.0.1', port: s.httpsPort, servername: s.host, ca: s.ca, localAddress: '127.0.0.8', agent: false, method: 'GET',
      path: `/v1/sites/tamky/live?poll=${poll.id}`, headers: { Host: s.host, Origin: PORTAL, Accept: 'text/event-stream', 'Accept-Encoding': 'gzip' },
    });
    req.on('response', (res) => {
      headers = res.headers;
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        for (const m of buf.matchAll(/^data: (.*)$/gm)) totals.push(JSON.parse(m[1]!).results.total);
        buf = buf.slice(buf.lastIndexOf('\n\n') + 2);
      });
    });
    req.on('error', () => undefined); // destroyed at the end
    req.end();
    try {
      await expect.poll(() => totals.at(-1), { timeout: 5_000 }).toBe(0);
      expect(headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(headers['content-encoding']).toBeUndefined();
      expect(headers['access-control-allow-origin']).toBe(PORTAL);
      expect((await vote(s, '127.0.0.9', poll)).status).toBe(201);
      await expect.poll(() => totals.at(-1), { timeout: 5_000 }).toBe(1);
    } finally {
      req.destroy();
    }
  });

  it('serves the widget (compressed, revalidated) and the API over HTTPS, and sends plain HTTP to HTTPS', async () => {
    const s = await stack();
    const widget = await request(s, '127.0.0.5', 'GET', '/widget.js', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(widget.status).toBe(200);
    expect(widget.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(widget.headers['content-encoding']).toBe('gzip');
    expect(widget.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(gunzipSync(widget.body).toString('utf8')).toContain('data-ykien');
    const again = await request(s, '127.0.0.5', 'GET', '/widget.js', { headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': widget.headers.etag! } });
    expect(again.status).toBe(304);

    const ready = await request(s, '127.0.0.5', 'GET', '/readyz');
    expect(ready.json()).toEqual({ status: 'ready' });
    const sites = await request(s, '127.0.0.5', 'GET', '/v1/admin/sites', { headers: { Authorization: `Bearer ${s.key}` } });
    expect(sites.status).toBe(200);

    const plain = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http.get({ host: '127.0.0.1', port: s.httpPort, path: '/p/abc?x=1', headers: { Host: s.host }, localAddress: '127.0.0.5', agent: false }, resolve).on('error', reject),
    );
    plain.resume();
    expect(plain.statusCode).toBe(301);
    expect(plain.headers.location).toBe(`https://${s.host}/p/abc?x=1`);
  });
});
