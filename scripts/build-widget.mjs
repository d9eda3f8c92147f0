#!/usr/bin/env node
// Bundles widget/ into dist/widget/: widget.js (minified, no dependencies) plus a content-hashed
// copy widget.<hash>.js for the versioned, immutable URL, and the same for survey.js, the second
// chunk widget.js loads only on pages with a survey (it names survey.<hash>.js, so a widget and
// its chunk always match); manifest.json names both. Usage: node scripts/build-widget.mjs [outdir]
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

async function bundle(entry, define) {
  const result = await build({
    entryPoints: [path.join(ROOT, 'widget', entry)],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2019', 'chrome80', 'firefox78'], // Safari 13+ runs es2019; naming it makes esbuild refuse destructuring
    legalComments: 'none',
    charset: 'utf8',
    define,
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { code, hash: createHash('sha256').update(code).digest('hex').slice(0, 10) };
}

/** name.js and name.<hash>.js, removing older hashed copies. */
function writeBundle(outdir, name, { code, hash }) {
  const file = `${name}.${hash}.js`;
  const old = new RegExp(`^${name}\\.[0-9a-f]{10}\\.js$`);
  for (const f of fs.readdirSync(outdir)) if (old.test(f) && f !== file) fs.rmSync(path.join(outdir, f), { force: true });
  writeAtomic(path.join(outdir, file), code);
  writeAtomic(path.join(outdir, `${name}.js`), code);
  return { file, hash, bytes: code.length };
}

export async function buildWidget(outdir = path.join(ROOT, 'dist', 'widget')) {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const version = JSON.stringify(pkg.version);
  const survey = await bundle('survey.entry.ts', { __VERSION__: version });
  const main = await bundle('index.ts', { __VERSION__: version, __SURVEY_FILE__: JSON.stringify(`survey.${survey.hash}.js`) });
  fs.mkdirSync(outdir, { recursive: true });
  const s = writeBundle(outdir, 'survey', survey);
  const w = writeBundle(outdir, 'widget', main);
  writeAtomic(path.join(outdir, 'manifest.json'), JSON.stringify({ ...w, version: pkg.version, survey: s }, null, 2) + '\n');
  return { outdir, ...w, survey: s };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildWidget(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(`widget: ${path.relative(process.cwd(), path.join(out.outdir, 'widget.js'))} and ${out.file} (${out.bytes} bytes minified); survey chunk ${out.survey.file} (${out.survey.bytes} bytes)`);
}
