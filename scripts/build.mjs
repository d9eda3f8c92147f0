#!/usr/bin/env node
// `npm run build`: compiles src/ into dist/ (tsc), bundles the widget into dist/widget/ and the
// admin console into dist/console/, makes
// dist/cli.js executable (the `ykien` bin) and writes dist/build-info.json with a hash of the
// sources, which `npm start` (scripts/start.mjs) compares to decide whether a dev checkout
// needs a rebuild. Usage: node scripts/build.mjs [outdir]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Everything the build reads: a change to any of them makes dist/ stale. */
const INPUT_DIRS = ['src', 'widget', 'console'];
const INPUT_FILES = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.mjs', 'scripts/build-widget.mjs', 'scripts/build-console.mjs'];

function filesUnder(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
  });
}

/**
 * SHA-256 over the build's inputs (relative paths and contents, in a fixed order). Contents,
 * not mtimes: a release copied with `cp -r` or unpacked from a tarball keeps its hash.
 */
export function sourceHash(root = ROOT) {
  const files = [...INPUT_DIRS.flatMap((d) => filesUnder(path.join(root, d))), ...INPUT_FILES.map((f) => path.join(root, f)).filter((f) => fs.existsSync(f))]
    .map((f) => path.relative(root, f).split(path.sep).join('/'))
    .sort();
  const h = createHash('sha256');
  for (const f of files) h.update(`${f}\0`).update(fs.readFileSync(path.join(root, f))).update('\0');
  return h.digest('hex');
}

/** Builds into outdir (default dist/); throws if the compiler fails. */
export async function build({ root = ROOT, outdir = path.join(root, 'dist') } = {}) {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const res = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', outdir], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) throw new Error(`tsc failed (exit ${res.status ?? res.signal})`);
  const { buildWidget } = await import('./build-widget.mjs');
  const widget = await buildWidget(path.join(outdir, 'widget'));
  const { buildConsole } = await import('./build-console.mjs');
  await buildConsole(path.join(outdir, 'console'));
  fs.chmodSync(path.join(outdir, 'cli.js'), 0o755);
  const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
  const info = { version, sourceHash: sourceHash(root), builtAt: new Date().toISOString(), node: process.version };
  fs.writeFileSync(path.join(outdir, 'build-info.json'), `${JSON.stringify(info, null, 2)}\n`);
  return { outdir, widget, info };
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { outdir, widget, info } = await build({ outdir: process.argv[2] ? path.resolve(process.argv[2]) : undefined });
  console.log(`built ${path.relative(process.cwd(), outdir) || '.'}/ (ykien ${info.version}, build ${info.sourceHash.slice(0, 12)}; widget ${widget.bytes} bytes minified)`);
}
