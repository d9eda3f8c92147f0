import { once } from 'node:events';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildWidget } from '../../scripts/build-widget.mjs';
import type { Config } from '../../src/config.js';
import { seedDemo } from '../../src/demo/seed.js';
import { makeTestApp } from '../helpers/app.js';

/** The browser the tests drive: Debian's Chromium, or CHROMIUM_PATH. */
export const chromiumPath = () => process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** The one line a machine without the browser gets, instead of a stack from deep inside playwright. */
export class BrowserMissing extends Error {
  constructor(where: string) {
    super(`Chromium not found at ${where}: install it with apt-get install -y chromium (or set CHROMIUM_PATH)`);
    this.name = 'BrowserMissing';
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** Debian's Chromium, driven by playwright-core (a test tool's own browser download is not possible here). */
export async function launch(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!fs.existsSync(executablePath)) throw new BrowserMissing(executablePath);
  await buildWidget();
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A real browser's User-Agent: the counters (rightly) do not count "HeadlessChrome". */
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

export interface Watched {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  errors: string[];
}

export async function newPage(browser: Browser): Promise<Watched> {
  const context = await browser.newContext({ userAgent: UA, viewport: { width: 1180, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
  });
  return { context, page, errors };
}

/** The real app on an ephemeral port, with a temp database and the demo site seeded for that origin. */
export async function startApp(overrides: Partial<Config> = {}) {
  const t = makeTestApp({ CAPTCHA: 'off', ...overrides });
  const server = t.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  seedDemo(t.services, [origin]);
  return {
    t,
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A second origin serving host pages (someone else's portal) from a map of path → [headers, body]. */
export async function startFixture(pages: Record<string, { type?: string; headers?: Record<string, string>; body: string }>) {
  const server = http.createServer((req, res) => {
    const p = pages[(req.url ?? '/').split('?')[0]!];
    if (!p) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': `${p.type ?? 'text/html'}; charset=utf-8`, ...p.headers });
    res.end(p.body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
