#!/usr/bin/env node
// Prints the admin console's size (script + stylesheet), minified and gzipped, and fails above the 60 KB gzip budget.
import { gzipSync } from 'node:zlib';
import { buildConsole } from './build-console.mjs';

const BUDGET = 60 * 1024;
const out = await buildConsole();
const gz = (b) => gzipSync(b, { level: 9 }).length;
const total = gz(out.js) + gz(out.css);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`console: ${out.js.length + out.css.length} bytes minified, ${total} bytes gzipped (${kb(total)} of the ${kb(BUDGET)} budget)`);
if (total > BUDGET) {
  console.error(`the console is over budget by ${total - BUDGET} bytes gzipped`);
  process.exit(1);
}
