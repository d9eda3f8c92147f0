import fs from 'node:fs';
import path from 'node:path';

/**
 * `mkdir -p` that fails instead of spinning. Node's recursive mkdir loops forever at 100 % CPU
 * where mkdir answers ENOENT under a parent that exists (`/proc/x`, some FUSE and network file
 * systems): it keeps "creating the parent" that is already there. Here each missing folder is
 * created once, from the nearest existing ancestor down, so the first refusal is thrown with its
 * path and code (ENOENT, EACCES, EROFS, ENOTDIR).
 */
export function ensureDir(dir: string): void {
  const missing: string[] = [];
  let at = path.resolve(dir);
  while (!fs.existsSync(at)) {
    missing.unshift(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  if (fs.existsSync(at) && !fs.statSync(at).isDirectory()) {
    throw Object.assign(new Error(`ENOTDIR: not a directory, '${at}'`), { code: 'ENOTDIR', path: at });
  }
  for (const d of missing) fs.mkdirSync(d);
}

/** "EACCES" from a Node or SQLite error, for one-line messages. */
export const errorCode = (err: unknown): string => {
  const e = err as { code?: unknown; message?: unknown };
  return typeof e?.code === 'string' ? e.code : String(e?.message ?? err);
};
