/**
 * What `npm start` does where (scripts/start.mjs): a development checkout builds dist/ when it is
 * missing or was built from other sources; a production layout never builds, and says what to do
 * when dist/ is missing. The real start of a production layout is in release.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sourceHash } from '../../scripts/build.mjs';
import { plan, StartError } from '../../scripts/start.mjs';
import { ROOT } from '../../src/paths.js';

const trees: string[] = [];
afterEach(() => {
  for (const t of trees.splice(0)) fs.rmSync(t, { recursive: true, force: true });
});

/** A checkout in miniature: the files that decide, nothing else. */
function tree(opts: { src?: boolean; dist?: 'fresh' | 'stale' | 'unstamped'; buildTools?: boolean }): string {
  const t = fs.mkdtempSync(path.join(os.tmpdir(), 'ykien-start-'));
  trees.push(t);
  const write = (f: string, text = '') => {
    fs.mkdirSync(path.dirname(path.join(t, f)), { recursive: true });
    fs.writeFileSync(path.join(t, f), text);
  };
  write('package.json', '{"name":"ykien","version":"9.9.9"}');
  if (opts.src) {
    write('src/server.ts', 'export {};\n');
    write('widget/index.ts', 'export {};\n');
  }
  if (opts.buildTools) {
    write('node_modules/typescript/package.json', '{}');
    write('node_modules/esbuild/package.json', '{}');
  }
  if (opts.dist) {
    write('dist/server.js', '');
    if (opts.dist !== 'unstamped') write('dist/build-info.json', JSON.stringify({ sourceHash: sourceHash(t) }));
    if (opts.dist === 'stale') write('src/server.ts', 'export const changed = true;\n');
  }
  return t;
}

describe('npm start', () => {
  it('in a dev checkout, builds when dist/ is missing, unstamped or built from other sources, and not when it is current', async () => {
    expect(await plan(tree({ src: true, buildTools: true }), {})).toEqual({ build: true, why: 'dist/ is missing' });
    expect(await plan(tree({ src: true, buildTools: true, dist: 'unstamped' }), {})).toMatchObject({ build: true });
    expect(await plan(tree({ src: true, buildTools: true, dist: 'stale' }), {})).toEqual({ build: true, why: 'src/ changed since dist/ was built' });
    expect(await plan(tree({ src: true, buildTools: true, dist: 'fresh' }), {})).toEqual({ build: false, why: 'dist/ is up to date' });
  });

  it('the hash follows contents, not copies: a tree copied elsewhere (new mtimes) is still current', async () => {
    const t = tree({ src: true, buildTools: true, dist: 'fresh' });
    const copy = `${t}-copy`;
    trees.push(copy);
    fs.cpSync(t, copy, { recursive: true, preserveTimestamps: false });
    expect(await plan(copy, {})).toEqual({ build: false, why: 'dist/ is up to date' });
  });

  it('in a production layout (no src/, or NODE_ENV=production) never builds, even when stale', async () => {
    expect(await plan(tree({ dist: 'unstamped' }), {})).toEqual({ build: false, why: 'a production layout (no src/): running dist/ as it is' });
    expect(await plan(tree({ src: true, dist: 'stale', buildTools: true }), { NODE_ENV: 'production' })).toEqual({ build: false, why: 'NODE_ENV=production: running dist/ as it is' });
  });

  it('says what to do instead of failing with "tsc: not found"', async () => {
    await expect(plan(tree({}), {})).rejects.toThrow(StartError);
    await expect(plan(tree({}), {})).rejects.toThrow(/dist\/server\.js is missing and a production layout \(no src\/\) never builds: build the release where the dev packages are \(npm ci && npm run build\)/);
    await expect(plan(tree({ src: true }), { NODE_ENV: 'production' })).rejects.toThrow(/dist\/server\.js is missing and NODE_ENV=production never builds/);
    // npm ci --omit=dev on a checkout whose dist/ is out of date: no compiler to build with.
    await expect(plan(tree({ src: true, dist: 'stale' }), {})).rejects.toThrow(/src\/ changed since dist\/ was built, and the build tools are not installed \(npm ci --omit=dev\?\): run `npm install` first, or set NODE_ENV=production/);
  });

  it('has no pre-start hook that builds, and the CLI is a bin with a shebang', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string> };
    expect(pkg.scripts.prestart).toBeUndefined();
    expect(pkg.scripts.start).toMatch(/^node (--[\w-]+=\S+ )*scripts\/start\.mjs$/);
    expect(pkg.bin).toEqual({ ykien: 'dist/cli.js' });
    expect(fs.readFileSync(path.join(ROOT, 'src/cli.ts'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});
