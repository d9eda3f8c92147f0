#!/usr/bin/env node
// Prints the widget's sizes, minified and gzipped, and fails above a budget: 12 KB gzip for
// widget.js (every page), 10 KB for survey.js (the chunk only pages with a survey load).
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildWidget } from './build-widget.mjs';

export const BUDGETS = { 'widget.js': 12 * 1024, 'survey.js': 10 * 1024 };
const out = await buildWidget();
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
let over = false;
for (const [file, budget] of Object.entries(BUDGETS)) {
  const code = fs.readFileSync(path.join(out.outdir, file));
  const gz = gzipSync(code, { level: 9 }).length;
  console.log(`${file}: ${code.length} bytes minified, ${gz} bytes gzipped (${kb(gz)} of the ${kb(budget)} budget)`);
  if (gz > budget) {
    console.error(`${file} is over budget by ${gz - budget} bytes gzipped`);
    over = true;
  }
}
if (over) process.exit(1);
