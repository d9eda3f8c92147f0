import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const real = (file: string): string | undefined => {
  try {
    return fs.realpathSync(file);
  } catch {
    return undefined;
  }
};

/**
 * True when the module at `moduleUrl` is the script node was started with. Both sides are
 * resolved through symlinks: a release started as `node /srv/ykien/current/dist/server.js`
 * (current → releases/…) has an argv[1] that differs from the module's real path, and
 * comparing the raw strings made the service exit 0 having done nothing.
 */
export function isEntryPoint(moduleUrl: string, argv1: string | undefined = process.argv[1]): boolean {
  if (!argv1) return false;
  const entry = real(argv1);
  return entry !== undefined && entry === real(fileURLToPath(moduleUrl));
}
