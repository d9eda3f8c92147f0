#!/usr/bin/env node
// Bundles console/ (the admin console at /admin/: TypeScript + Preact) into dist/console/:
// console.<hash>.js and console.<hash>.css (content-hashed, served immutable) and manifest.json
// naming them, which the service's HTML shell (src/console/console.routes.ts) reads.
// Usage: node scripts/build-console.mjs [outdir]
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NAME = /^console\.[0-9a-f]{10}\.(js|css)$/;

function writeAtomic(file, data) {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

const hashOf = (data) => createHash('sha256').update(data).digest('hex').slice(0, 10);

export async function buildConsole(outdir = path.join(ROOT, 'dist', 'console')) {
  const result = await build({
    entryPoints: [path.join(ROOT, 'console', 'index.tsx')],
    bundle: true,
    minify: true,
    format: 'iife',
    // Staff use current browsers; es2020 keeps the bundle small without a polyfill.
    target: ['es2020', 'chrome90', 'firefox88'], // Safari 14+ runs es2020; naming it makes esbuild refuse destructuring
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    charset: 'utf8',
    write: false,
    logLevel: 'silent',
  });
  const js = Buffer.from(result.outputFiles[0].contents);
  const css = fs.readFileSync(path.join(ROOT, 'console', 'console.css'));
  const files = { js: `console.${hashOf(js)}.js`, css: `console.${hashOf(css)}.css` };
  fs.mkdirSync(outdir, { recursive: true });
  const keep = new Set(Object.values(files));
  for (const old of fs.readdirSync(outdir)) if (NAME.test(old) && !keep.has(old)) fs.rmSync(path.join(outdir, old), { force: true });
  writeAtomic(path.join(outdir, files.js), js);
  writeAtomic(path.join(outdir, files.css), css);
  writeAtomic(path.join(outdir, 'manifest.json'), JSON.stringify({ ...files, bytes: { js: js.length, css: css.length } }, null, 2) + '\n');
  return { outdir, files, js, css };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildConsole(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(`console: ${path.relative(process.cwd(), out.outdir)}/${out.files.js} (${out.js.length} bytes minified) and ${out.files.css}`);
}
