#!/usr/bin/env node
// `npm start`: runs the built service (dist/server.js) in this process, so SIGTERM reaches it
// directly. In a development checkout it first builds dist/ when dist/ is missing or was built
// from other sources; in a production layout it never builds nor writes into the tree:
//   - no src/ (the Docker image, a release made of dist/ + migrations/ + node_modules/), or
//   - NODE_ENV=production (a release folder on a server, often read-only).
// Copied into the Docker image on its own: it imports nothing from the build tools unless it builds.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export class StartError extends Error {}

/** What `npm start` does in `root` with environment `env`: { build, why }, or a StartError saying what to do. */
export async function plan(root = ROOT, env = process.env) {
  const built = fs.existsSync(path.join(root, 'dist', 'server.js'));
  const hasSources = fs.existsSync(path.join(root, 'src', 'server.ts'));
  if (!hasSources || env.NODE_ENV === 'production') {
    const why = hasSources ? 'NODE_ENV=production' : 'a production layout (no src/)';
    if (!built)
      throw new StartError(`dist/server.js is missing and ${why} never builds: build the release where the dev packages are (npm ci && npm run build), then deploy dist/ with it (docs/deploy.md).`);
    return { build: false, why: `${why}: running dist/ as it is` };
  }
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(path.join(root, 'dist', 'build-info.json'), 'utf8')).sourceHash;
  } catch {
    stamp = undefined;
  }
  const { sourceHash } = await import('./build.mjs');
  if (built && stamp === sourceHash(root)) return { build: false, why: 'dist/ is up to date' };
  const why = built ? 'src/ changed since dist/ was built' : 'dist/ is missing';
  if (!fs.existsSync(path.join(root, 'node_modules', 'typescript')) || !fs.existsSync(path.join(root, 'node_modules', 'esbuild')))
    throw new StartError(`${why}, and the build tools are not installed (npm ci --omit=dev?): run \`npm install\` first, or set NODE_ENV=production to run dist/ as it is.`);
  return { build: true, why };
}

async function main() {
  let decision;
  try {
    decision = await plan();
  } catch (err) {
    if (!(err instanceof StartError)) throw err;
    console.error(`ykien: ${err.message}`);
    process.exit(2);
  }
  if (decision.build) {
    console.error(`ykien: building (${decision.why})…`);
    const { build } = await import('./build.mjs');
    await build({ root: ROOT });
  }
  const server = await import(pathToFileURL(path.join(ROOT, 'dist', 'server.js')).href);
  await server.main();
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
