#!/usr/bin/env node
// Bundles widget/ into dist/widget/widget.js (minified, no dependencies) plus a
// content-hashed copy widget.<hash>.js for the versioned, immutable URL, and
// manifest.json naming it. Usage: node scripts/build-widget.mjs [outdir]
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Writes via a temp file and rename, so a concurrent reader never sees half a file. */
function writeAtomic(file, data) {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

export async function buildWidget(outdir = path.join(ROOT, 'dist', 'widget')) {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const result = await build({
    entryPoints: [path.join(ROOT, 'widget', 'index.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2019', 'chrome80', 'firefox78'], // Safari 13+ runs es2019; naming it makes esbuild refuse destructuring
    legalComments: 'none',
    charset: 'utf8',
    define: { __VERSION__: JSON.stringify(pkg.version) },
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 10);
  const file = `widget.${hash}.js`;
  fs.mkdirSync(outdir, { recursive: true });
  for (const old of fs.readdirSync(outdir)) if (/^widget\.[0-9a-f]{10}\.js$/.test(old) && old !== file) fs.rmSync(path.join(outdir, old), { force: true });
  writeAtomic(path.join(outdir, file), code);
  writeAtomic(path.join(outdir, 'widget.js'), code);
  writeAtomic(path.join(outdir, 'manifest.json'), JSON.stringify({ file, hash, bytes: code.length, version: pkg.version }, null, 2) + '\n');
  return { outdir, file, hash, bytes: code.length };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildWidget(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(`widget: ${path.relative(process.cwd(), path.join(out.outdir, 'widget.js'))} and ${out.file} (${out.bytes} bytes minified)`);
}
