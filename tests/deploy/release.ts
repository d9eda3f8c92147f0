/**
 * The runtime layout the Dockerfile's last stage makes (production node_modules, dist/,
 * migrations/, package.json …), reproduced in a temp folder from the Dockerfile's own COPY
 * lines, so a COPY added there that this helper cannot make fails the tests instead of being
 * silently left out.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from '../../scripts/build.mjs';
import { ROOT } from '../../src/paths.js';

/** `COPY [--from=build] [--chown=…] SRC DEST` lines of the Dockerfile's final stage, with DEST relative to WORKDIR. */
export function runtimeCopies(dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')): { fromBuild: boolean; src: string; dest: string }[] {
  const stages = dockerfile.split(/^FROM\s/m);
  const last = stages.at(-1)!;
  return last
    .split('\n')
    .filter((l) => /^COPY\s/.test(l))
    .map((l) => {
      const words = l.trim().split(/\s+/).slice(1);
      const fromBuild = words.some((w) => w === '--from=build');
      const [src, dest] = words.filter((w) => !w.startsWith('--'));
      if (!src || !dest) throw new Error(`cannot read Dockerfile line: ${l}`);
      return { fromBuild, src: src.replace(/^\/app\//, ''), dest: dest.replace(/^\.\//, '').replace(/\/$/, '') };
    });
}

/** The final stage's CMD and HEALTHCHECK, as exec-form arrays. */
export function runtimeCommands(dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')): { cmd: string[]; healthcheck: string[]; env: Record<string, string> } {
  const joined = dockerfile.replace(/\\\n\s*/g, ' ');
  const last = joined.split(/^FROM\s/m).at(-1)!;
  const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(last)?.[1];
  const health = /^HEALTHCHECK\s.*?CMD\s+(\[.*\])\s*$/m.exec(last)?.[1];
  if (!cmd || !health) throw new Error('the Dockerfile has no exec-form CMD or HEALTHCHECK in its final stage');
  const env: Record<string, string> = {};
  for (const m of last.matchAll(/^ENV\s+(.*)$/gm)) for (const pair of m[1]!.matchAll(/(\w+)=(\S+)/g)) env[pair[1]!] = pair[2]!;
  return { cmd: JSON.parse(cmd) as string[], healthcheck: JSON.parse(health) as string[], env };
}

/** Production dependencies only, as `npm ci --omit=dev` installs them, plus this Node's better-sqlite3 addon. */
function installProductionModules(dir: string): void {
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  fs.copyFileSync(path.join(ROOT, 'package-lock.json'), path.join(dir, 'package-lock.json'));
  // Scripts off: better-sqlite3's install step would compile SQLite for minutes. The Dockerfile's
  // build stage compiles it once and copies node_modules over; here the addon this very Node
  // runs (built by the checkout's npm install or .ci/run) takes that place.
  execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: dir, stdio: 'pipe' });
  const addon = path.join('node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  fs.mkdirSync(path.dirname(path.join(dir, addon)), { recursive: true });
  fs.copyFileSync(path.join(ROOT, addon), path.join(dir, addon));
}

/**
 * Builds the release into `dir` (created): what the image holds under /app. The build stage's
 * products (node_modules, dist) are made fresh; the other COPY sources come from the checkout.
 */
export async function makeRuntimeLayout(dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'ykien-build-'));
  try {
    for (const c of runtimeCopies()) {
      const target = path.join(dir, c.dest === '' ? path.basename(c.src) : c.dest);
      if (c.fromBuild && c.src === 'node_modules') {
        installProductionModules(staging);
        fs.renameSync(path.join(staging, 'node_modules'), target);
      } else if (c.fromBuild && c.src === 'dist') {
        await build({ outdir: target });
      } else if (c.fromBuild) {
        throw new Error(`tests/deploy/release.ts cannot make the build stage's ${c.src}: teach it how`);
      } else {
        fs.cpSync(path.join(ROOT, c.src), target, { recursive: true });
      }
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Every file under dir with its size and mtime: compared before and after, it shows any write into the tree. */
export function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const st = fs.lstatSync(p);
      out.push(`${path.relative(dir, p)} ${st.size} ${st.mtimeMs}`);
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.sort();
}
