import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './paths.js';

/** The release: package.json's version, plus the build id when running the built dist/. */
export const VERSION: string = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * The first 12 hex digits of the hash of the sources dist/ was built from (dist/build-info.json,
 * written by `npm run build`): two builds of one version are told apart after an upgrade or a
 * rollback. Undefined when running the TypeScript sources (tsx, tests).
 */
export const BUILD: string | undefined = (() => {
  const dist = path.join(ROOT, 'dist');
  if (!fileURLToPath(import.meta.url).startsWith(dist + path.sep)) return undefined;
  try {
    const info = JSON.parse(fs.readFileSync(path.join(dist, 'build-info.json'), 'utf8')) as { sourceHash?: unknown };
    return typeof info.sourceHash === 'string' ? info.sourceHash.slice(0, 12) : undefined;
  } catch {
    return undefined;
  }
})();

/** One line for `ykien --version` and the start log. */
export const versionLine = (): string => `ykien ${VERSION}${BUILD ? ` (build ${BUILD})` : ''}, Node.js ${process.version}`;
