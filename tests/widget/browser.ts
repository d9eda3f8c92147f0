import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildWidget } from '../../scripts/build-widget.mjs';
import type { Config } from '../../src/config.js';
import { DEMO_POLL_ID, DEMO_SITE_ID, DEMO_THREAD, seedDemo } from '../../src/demo/seed.js';
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

/** A desktop window, or (`phone`) a 360 px wide touch screen that honours the page's meta viewport. */
export async function newPage(browser: Browser, opts: { phone?: boolean } = {}): Promise<Watched> {
  const screen = opts.phone
    ? { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
    : { viewport: { width: 1180, height: 900 } };
  const context = await browser.newContext({ userAgent: UA, ...screen, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
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
  const t = await makeTestApp({ CAPTCHA: 'off', ...overrides });
  // Through the fast lane, as server.ts listens.
  const server = http.createServer(t.app.locals.lane).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await seedDemo(t.services, [origin]);
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

/**
 * axe-core's WCAG 2.2 A/AA rules on the page as it is now (open shadow roots included): each
 * violation as "rule: selector" lines, so a failure names what to fix.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axe.source });
  const violations = await page.evaluate(async () => {
    const run = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe.run;
    const r = await run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
  return violations.flatMap((v) => v.targets.map((t) => `${v.id} (${v.help}): ${t}`));
}

/** A commune portal's article as a phone shows it: meta viewport, the poll, then the comments. */
export const articlePage = (api: string, comments = DEMO_THREAD) => `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kế hoạch số 206/KH-HU – Cổng thông tin điện tử xã Tiên Ngọc</title><link rel="icon" href="data:,">
<style>body{font-family:Arial,sans-serif;margin:0;padding:12px;color:#222}</style></head>
<body><main><h1>Kế hoạch số 206/KH-HU về chuyển đổi số</h1>
<p>UBND xã Tiên Ngọc triển khai kế hoạch chuyển đổi số năm 2026 đến từng thôn.</p>
<div id="poll" data-ykien-poll="${DEMO_POLL_ID}"></div>
<p>Lượt xem: <span id="views" data-ykien-views data-ykien-site="${DEMO_SITE_ID}"></span></p>
<div id="comments" data-ykien-comments="${comments}" data-ykien-site="${DEMO_SITE_ID}"></div></main>
<script src="${api}/widget.js" async></script></body></html>`;

/**
 * Screenshots of the widget's parts (or the screen), saved when YKIEN_SCREENSHOTS names a folder:
 * for a person to look at; the tests assert the geometry.
 */
export async function keep(page: Page, name: string, parts: Record<string, Locator> = {}) {
  const dir = process.env.YKIEN_SCREENSHOTS;
  const shots: [string, Buffer][] = Object.keys(parts).length
    ? await Promise.all(Object.entries(parts).map(async ([part, l]): Promise<[string, Buffer]> => [`${name}-${part}`, await l.screenshot()]))
    : [[name, await page.screenshot()]];
  for (const [file, shot] of shots) {
    expect(shot.length).toBeGreaterThan(2_000);
    if (dir) {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${file}.png`), shot);
    }
  }
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
