#!/usr/bin/env tsx
// Measures what one captcha costs the server: drawing the SVG, rendering it to PNG with resvg,
// and the PNG's size as sent (base64 in JSON). Not a test: figures only.
// Usage: npx tsx scripts/captcha-render-time.ts [count]
import { captchaSvg, captchaText, renderPng } from '../src/comments/captcha.render.js';

const n = Number(process.argv[2] ?? 500);
for (let i = 0; i < 20; i++) renderPng(captchaSvg(captchaText())); // warm-up
const times: number[] = [];
let bytes = 0;
for (let i = 0; i < n; i++) {
  const t = performance.now();
  const png = renderPng(captchaSvg(captchaText()));
  times.push(performance.now() - t);
  bytes += Math.ceil(png.length / 3) * 4;
}
times.sort((a, b) => a - b);
const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(2);
console.log(`${n} captchas: median ${q(0.5)} ms, p90 ${q(0.9)} ms, p99 ${q(0.99)} ms per captcha (one core); image ${(bytes / n / 1024).toFixed(1)} KB base64 on average`);
