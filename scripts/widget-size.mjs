#!/usr/bin/env node
// Prints the widget's size, minified and gzipped, and fails above the 12 KB gzip budget.
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildWidget } from './build-widget.mjs';

const BUDGET = 12 * 1024;
const out = await buildWidget();
const code = fs.readFileSync(path.join(out.outdir, 'widget.js'));
const gz = gzipSync(code, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`widget.js: ${code.length} bytes minified, ${gz} bytes gzipped (${kb(gz)} of the ${kb(BUDGET)} budget)`);
if (gz > BUDGET) {
  console.error(`widget.js is over budget by ${gz - BUDGET} bytes gzipped`);
  process.exit(1);
}
