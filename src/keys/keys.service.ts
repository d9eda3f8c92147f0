import { randomBytes } from 'node:crypto';
import type { Db } from '../db/open.js';
import { AppError, notFound } from '../errors.js';
import { sha256 } from '../util/hash.js';
import { newId } from '../util/ids.js';
import { keysRepo, type ApiKeyRow, type Role } from './keys.repo.js';

export interface Principal {
  keyId: string;
  name: string;
  role: Role;
  /** A moderator key scoped to one site; null = every site. */
  siteId: string | null;
}

export function keysService(db: Db, now: () => number = Date.now) {
  const repo = keysRepo(db);
  const siteExists = db.prepare('SELECT 1 FROM sites WHERE id = ?').pluck();
  // last_used_at is written at most once a minute per key: it is for humans, not auditing.
  const lastTouched = new Map<string, number>();

  return {
    /** Returns the new key once; only its SHA-256 is stored (keys are 256-bit random, so a slow hash adds nothing). */
    create(input: { name: string; role: Role; siteId?: string | null }): { key: string; row: ApiKeyRow } {
      if (input.siteId && !siteExists.get(input.siteId)) throw notFound(`Site "${input.siteId}"`);
      if (input.role === 'admin' && input.siteId)
        throw new AppError(400, 'validation_failed', 'Admin keys cover every site; --site is for moderator keys.');
      const key = `yk_${randomBytes(32).toString('base64url')}`;
      const row: ApiKeyRow = {
        id: newId(8),
        name: input.name,
        role: input.role,
        site_id: input.siteId ?? null,
        key_prefix: key.slice(0, 7),
        created_at: now(),
        revoked_at: null,
        last_used_at: null,
      };
      repo.insert({ ...row, key_hash: sha256(key) });
      return { key, row };
    },
    list: () => repo.list(),
    revoke(id: string): void {
      if (!repo.revoke(id, now())) throw notFound(`Active key "${id}"`);
    },
    /** The principal for a presented key, or undefined when unknown or revoked. */
    authenticate(key: string): Principal | undefined {
      if (!/^yk_[A-Za-z0-9_-]{43}$/.test(key)) return undefined;
      const row = repo.findByHash(sha256(key));
      if (!row || row.revoked_at !== null) return undefined;
      const t = now();
      if ((lastTouched.get(row.id) ?? 0) < t - 60_000) {
        lastTouched.set(row.id, t);
        repo.touch(row.id, t);
      }
      return { keyId: row.id, name: row.name, role: row.role, siteId: row.site_id };
    },
  };
}

export type KeysService = ReturnType<typeof keysService>;
