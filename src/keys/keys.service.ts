import { randomBytes } from 'node:crypto';
import type { Principal, Role } from '../access/principal.js';
import { fieldError, notFound } from '../errors.js';
import { sha256 } from '../util/hash.js';
import { newId } from '../util/ids.js';
import type { ApiKey, KeysStore } from './keys.store.js';

const KEY_SHAPE = /^yk_[A-Za-z0-9_-]{43}$/;
/** last_used_at is written at most this often per key: it is for humans, not auditing. */
const TOUCH_EVERY_MS = 60_000;

export function keysService(store: KeysStore, now: () => number) {
  const lastTouched = new Map<string, number>();
  return {
    /** Returns the new key once; only its SHA-256 is stored (keys are 256-bit random, so a slow hash adds nothing). */
    async create(input: { name: string; role: Role; siteId?: string | null }): Promise<{ key: string; row: ApiKey }> {
      if (input.role === 'admin' && input.siteId)
        throw fieldError('siteId', 'is for moderator keys (admin keys cover every site)', 'Admin keys cover every site; --site is for moderator keys.');
      const key = `yk_${randomBytes(32).toString('base64url')}`;
      const row: ApiKey = {
        id: newId(8),
        name: input.name,
        role: input.role,
        siteId: input.siteId ?? null,
        keyPrefix: key.slice(0, 7),
        createdAt: now(),
        revokedAt: null,
        lastUsedAt: null,
      };
      if (!(await store.insert(row, sha256(key)))) throw notFound(`Site "${input.siteId}"`);
      return { key, row };
    },
    list: () => store.list(),
    async revoke(id: string): Promise<void> {
      if (!(await store.revoke(id, now()))) throw notFound(`Active key "${id}"`);
    },
    /** The principal for a presented key, or undefined when unknown or revoked. */
    async authenticate(key: string): Promise<Principal | undefined> {
      if (!KEY_SHAPE.test(key)) return undefined;
      const row = await store.findByHash(sha256(key));
      if (!row || row.revokedAt !== null) return undefined;
      const t = now();
      if ((lastTouched.get(row.id) ?? 0) < t - TOUCH_EVERY_MS) {
        lastTouched.set(row.id, t);
        await store.touch(row.id, t);
      }
      return { kind: 'key', id: row.id, name: row.name, role: row.role, sites: row.siteId === null ? null : [row.siteId] };
    },
  };
}

export type KeysService = ReturnType<typeof keysService>;
