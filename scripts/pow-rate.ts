#!/usr/bin/env tsx
// Measures how fast the widget's proof-of-work solver (widget/pow.ts) hashes in headless Chromium,
// with the CPU slowed down by CDP's Emulation.setCPUThrottlingRate (4×–6× approximates a mid-range
// phone), and what the average solve time is for a POW_MAX_NUMBER. Not a test: figures only.
// Usage: npx tsx scripts/pow-rate.ts [--no-subtle] [maxNumber] [throttle…]   e.g. npx tsx scripts/pow-rate.ts 50000 1 4 6
// --no-subtle removes crypto.subtle first, as on a portal served over plain http (the plain-JS fallback).
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createChallenge } from 'altcha-lib/v1';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const noSubtle = args[0] === '--no-subtle';
if (noSubtle) args.shift();
const maxNumber = Number(args[0] ?? 50_000);
const rates = args.slice(1).map(Number);
if (!rates.length) rates.push(1, 4, 6);

const bundle = await build({
  stdin: { contents: "import { solvePow } from './widget/pow.ts'; (window as any).solvePow = solvePow;", resolveDir: ROOT, loader: 'ts' },
  bundle: true, minify: true, format: 'iife', write: false, target: ['es2019'],
});
const js = bundle.outputFiles[0]!.text;
// A page on 127.0.0.1: a secure context, so crypto.subtle exists as it does on an https portal.
const server = http.createServer((req, res) => {
  if (req.url === '/pow.js') res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(js);
  else res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><script src="/pow.js"></script>');
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  if (noSubtle) await page.addInitScript(() => Object.defineProperty(Crypto.prototype, 'subtle', { get: () => undefined }));
  await page.goto(origin);
  console.log(noSubtle ? 'plain-JS SHA-256 (no crypto.subtle)' : 'crypto.subtle');
  const cdp = await page.context().newCDPSession(page);
  for (const rate of rates) {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    // The worst case (the number is the largest allowed), so every hash in the range is tried.
    // The fastest of five runs: on a shared machine the slower ones measure the neighbours.
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const c = await createChallenge({ hmacKey: 'measure', maxNumber, number: maxNumber });
      runs.push(await page.evaluate(async (ch) => {
        const t = performance.now();
        const n = await (window as unknown as { solvePow: (c: unknown, tick: () => boolean) => Promise<number | null> }).solvePow(ch, () => true);
        if (n === null) throw new Error('not solved');
        return performance.now() - t;
      }, c));
    }
    const ms = Math.min(...runs);
    const perSecond = (maxNumber + 1) / (ms / 1000);
    console.log(`CPU ÷${rate}: ${Math.round(perSecond).toLocaleString('en')} hashes/s; POW_MAX_NUMBER=${maxNumber} takes ${(maxNumber / 2 / perSecond).toFixed(2)} s on average, ${(maxNumber / perSecond).toFixed(2)} s at worst`);
  }
} finally {
  await browser.close();
  server.close();
}
