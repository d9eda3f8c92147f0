/**
 * Debian's nginx for the deployment tests: a self-signed certificate for the guide's server_name, the guide's
 * site block with only ports, paths and upstream addresses substituted, nginx in the foreground, and requests
 * over TLS from a reader's own loopback address (127.0.0.2, 127.0.0.3, …: what nginx reports as theirs).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { guideBlock, substitute } from './guide.js';
import { freePort } from './process.js';

export interface Nginx {
  dir: string;
  /** The guide's server_name. */
  host: string;
  httpsPort: number;
  httpPort: number;
  ca: Buffer;
  proc: ChildProcess;
  stop(): Promise<void>;
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json: () => any;
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

/** The guide's server_name (docs/deploy.md, nginx-site). */
export const guideHost = (): string => /^\s*server_name\s+(\S+);/m.exec(guideBlock('nginx-site'))![1]!;

/**
 * nginx with `site` (a site block of the guide: its listen and certificate lines are replaced here, and
 * `upstreams` — [as written in the guide, as run here] — with the ports the services listen on).
 */
export async function startNginx(site: string, upstreams: [from: string, to: string][]): Promise<Nginx> {
  const nginxBin = findNginx();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ykien-nginx-'));
  const host = guideHost();
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', `/CN=${host}`,
    '-addext', `subjectAltName=DNS:${host}`, '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'pipe' });

  const [httpsPort, httpPort] = [await freePort(), await freePort()];
  const siteConf = substitute(site, [
    ['listen 80;', `listen 127.0.0.1:${httpPort};`],
    ['listen [::]:80;', ''],
    ['listen 443 ssl http2;', `listen 127.0.0.1:${httpsPort} ssl http2;`],
    ['listen [::]:443 ssl http2;', ''],
    [/ssl_certificate\s+\S+;/, `ssl_certificate ${dir}/cert.pem;`],
    [/ssl_certificate_key\s+\S+;/, `ssl_certificate_key ${dir}/key.pem;`],
    ...upstreams,
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
      'events { worker_connections 256; }',
      'http {',
      `  access_log ${dir}/access.log;`,
      ...['client_body_temp_path', 'proxy_temp_path', 'fastcgi_temp_path', 'uwsgi_temp_path', 'scgi_temp_path'].map((t) => `  ${tmp(t)}`),
      `  include ${dir}/site.conf;`,
      '}',
    ].join('\n'),
  );
  const args = ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')];
  const check = spawnSync(nginxBin, [...args, '-t'], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx -t refused the guide's site block:\n${check.stderr}\n${siteConf}`);
  const proc = spawn(nginxBin, [...args, '-g', 'daemon off;'], { stdio: 'ignore' });
  await untilListening(httpsPort, proc, path.join(dir, 'error.log'));
  return {
    dir,
    host,
    httpsPort,
    httpPort,
    ca: fs.readFileSync(path.join(dir, 'cert.pem')),
    proc,
    async stop() {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGQUIT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One request through nginx over TLS, from the reader's own loopback address. */
export function request(s: Nginx, from: string, method: string, urlPath: string, opts: { headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
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
