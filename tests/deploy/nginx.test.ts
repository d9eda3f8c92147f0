/**
 * Debian's nginx in front of the service, with the site block of docs/deploy.md as it stands
 * (only ports, certificate paths and the upstream's port substituted) and the guide's settings
 * (HOST=127.0.0.1, TRUST_PROXY=127.0.0.1, PUBLIC_URL=https://…). A self-signed certificate for the
 * guide's server_name; readers connect to nginx's TLS port from their own loopback addresses
 * (127.0.0.2, 127.0.0.3, …), which is what nginx then reports as their address.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildWidget } from '../../scripts/build-widget.mjs';
import { loadConfig } from '../../src/config.js';
import { openSqliteStorage } from '../../src/storage/sqlite/index.js';
import { keysService } from '../../src/keys/keys.service.js';
import { silentLogger } from '../../src/logger.js';
import { start, type Running } from '../../src/server.js';
import { guideBlock, guideEnv, substitute } from './guide.js';
import { freePort } from './process.js';

const PORTAL = 'https://tienngoc.quangnam.gov.vn';
const WRITES_PER_MIN = 3;

interface Stack {
  dir: string;
  host: string; // the guide's server_name
  publicOrigin: string;
  httpsPort: number;
  httpPort: number;
  ca: Buffer;
  key: string;
  running: Running;
  nginx: ChildProcess;
}

function findNginx(): string {
  for (const p of ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx']) if (fs.existsSync(p)) return p;
  const which = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  throw new Error('nginx is not installed: apt-get install -y nginx (.ci/run does it)');
}

const untilListening = async (port: number, proc: ChildProcess, log: string) => {
  for (const until = Date.now() + 10_000; ; await new Promise((r) => setTimeout(r, 50))) {
    if (proc.exitCode !== null) throw new Error(`nginx exited (${proc.exitCode}):\n${fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : ''}`);
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (up) return;
    if (Date.now() > until) throw new Error(`nginx is not listening on ${port} after 10 s`);
  }
};

let stackPromise: Promise<Stack> | undefined;
/** Built once, on first use by a test (a failure fails each test that needs it, with the reason). */
const stack = () => (stackPromise ??= setUp());

async function setUp(): Promise<Stack> {
  const nginxBin = findNginx();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ykien-nginx-'));
  const site = guideBlock('nginx-site');
  const host = /^\s*server_name\s+(\S+);/m.exec(site)![1]!;
  const env = guideEnv();
  const publicOrigin = new URL(env.PUBLIC_URL!).origin;
  expect(publicOrigin).toBe(`https://${host}`);

  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', `/CN=${host}`,
    '-addext', `subjectAltName=DNS:${host}`, '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'pipe' });

  await buildWidget();
  const file = path.join(dir, 'ykien.db');
  const storage = openSqliteStorage(file);
  const key = (await keysService(storage.keys, Date.now).create({ name: 'Trung tâm CNTT', role: 'admin', siteId: null })).key;
  await storage.close();
  const config = loadConfig({ ...env, PORT: '0', DATABASE_PATH: file, LOG_LEVEL: 'silent', RATE_LIMIT_WRITE_PER_MIN: String(WRITES_PER_MIN) });
  expect(config).toMatchObject({ HOST: '127.0.0.1', NODE_ENV: 'production' });
  const running = await start(config, silentLogger());
  const servicePort = Number(new URL(running.url).port);

  const [httpsPort, httpPort] = [await freePort(), await freePort()];
  const siteConf = substitute(site, [
    ['listen 80;', `listen 127.0.0.1:${httpPort};`],
    ['listen [::]:80;', ''],
    ['listen 443 ssl http2;', `listen 127.0.0.1:${httpsPort} ssl http2;`],
    ['listen [::]:443 ssl http2;', ''],
    [/ssl_certificate\s+\S+;/, `ssl_certificate ${dir}/cert.pem;`],
    [/ssl_certificate_key\s+\S+;/, `ssl_certificate_key ${dir}/key.pem;`],
    ['server 127.0.0.1:8080;', `server 127.0.0.1:${servicePort};`],
    ['root /var/www/html;', `root ${dir}/www;`],
  ]);
  fs.writeFileSync(path.join(dir, 'site.conf'), siteConf);
  const tmp = (name: string) => `${name} ${dir}/${name.replace(/_temp_path$/, '')};`;
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    [
      process.getuid?.() === 0 ? 'user root;' : '',
      'worker_processes 1;',
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/error.log warn;`,
      'events { worker_connections 64; }',
      'http {',
      `  access_log ${dir}/access.log;`,
      ...['client_body_temp_path', 'proxy_temp_path', 'fastcgi_temp_path', 'uwsgi_temp_path', 'scgi_temp_path'].map((t) => `  ${tmp(t)}`),
      `  include ${dir}/site.conf;`,
      '}',
    ].join('\n'),
  );
  const args = ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')];
  const check = spawnSync(nginxBin, [...args, '-t'], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx -t refused the guide's site block:\n${check.stderr}`);
  const nginx = spawn(nginxBin, [...args, '-g', 'daemon off;'], { stdio: 'ignore' });
  await untilListening(httpsPort, nginx, path.join(dir, 'error.log'));
  return { dir, host, publicOrigin, httpsPort, httpPort, ca: fs.readFileSync(path.join(dir, 'cert.pem')), key, running, nginx };
}

afterAll(async () => {
  if (!stackPromise) return;
  const s = await stackPromise.catch(() => undefined);
  if (!s) return;
  const exited = new Promise((r) => s.nginx.once('exit', r));
  s.nginx.kill('SIGQUIT');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
  if (s.nginx.exitCode === null) s.nginx.kill('SIGKILL');
  await s.running.stop();
  fs.rmSync(s.dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json: () => any;
}

/** One request through nginx over TLS, from the reader's own loopback address. */
function request(s: Stack, from: string, method: string, urlPath: string, opts: { headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: '127.0.0.1', port: s.httpsPort, servername: s.host, ca: s.ca, localAddress: from, agent: false, method, path: urlPath, headers: { Host: s.host, ...opts.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode!, headers: res.headers, body, text: body.toString('utf8'), json: () => JSON.parse(body.toString('utf8')) });
        });
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

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
