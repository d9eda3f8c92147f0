import { randomBytes } from 'node:crypto';
import type { Principal, Role } from '../access/principal.js';
import { CLI, type ActorRef } from '../audit/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import { fieldError, notFound } from '../errors.js';
import { sha256 } from '../util/hash.js';
import { newId } from '../util/ids.js';
import type { ApiKey, KeysStore } from './keys.store.js';

const KEY_SHAPE = /^yk_[A-Za-z0-9_-]{43}$/;
/** last_used_at is written at most this often per key: it is for humans, not auditing. */
const TOUCH_EVERY_MS = 60_000;

export const MAX_KEY_NAME = 100;

/** A key as listings show it: times in ISO 8601, never the key nor its hash (neither is in ApiKey). */
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
export const keyView = (k: ApiKey) => ({ ...k, createdAt: iso(k.createdAt)!, revokedAt: iso(k.revokedAt), lastUsedAt: iso(k.lastUsedAt) });

/**
 * API keys, for the CLI and the admin API alike (one set of rules). `actor` is who the audit log names;
 * callers on the server itself (the CLI, tests, scripts) are `cli`.
 */
export function keysService(store: KeysStore, deps: { audit: AuditService; now: () => number }) {
  const { audit, now } = deps;
  const lastTouched = new Map<string, number>();
  return {
    /** Returns the new key once; only its SHA-256 is stored (keys are 256-bit random, so a slow hash adds nothing). */
    async create(input: { name: string; role: Role; siteId?: string | null }, actor: ActorRef = CLI): Promise<{ key: string; row: ApiKey }> {
      const name = input.name.normalize('NFC').trim();
      if (!name || [...name].length > MAX_KEY_NAME) throw fieldError('name', `must be 1–${MAX_KEY_NAME} characters`, `A key needs a name of 1–${MAX_KEY_NAME} characters.`);
      if (input.role === 'admin' && input.siteId)
        throw fieldError('siteId', 'is for moderator keys (admin keys cover every site)', 'Admin keys cover every site; --site is for moderator keys.');
      const key = `yk_${randomBytes(32).toString('base64url')}`;
      const row: ApiKey = {
        id: newId(8),
        name,
        role: input.role,
        siteId: input.siteId ?? null,
        keyPrefix: key.slice(0, 7),
        createdAt: now(),
        revokedAt: null,
        lastUsedAt: null,
      };
      const entry = audit.entry({ actor, action: 'key.create', targetType: 'key', targetId: row.id, siteId: row.siteId, detail: { name, role: row.role, siteId: row.siteId, keyPrefix: row.keyPrefix } });
      if (!(await store.insert(row, sha256(key), entry))) throw notFound(`Site "${input.siteId}"`);
      return { key, row };
    },
    list: () => store.list(),
    /** Stops the key at once: authenticate() reads storage on every call, nothing caches a key. */
    async revoke(id: string, actor: ActorRef = CLI): Promise<void> {
      const row = (await store.list()).find((k) => k.id === id);
      const entry = audit.entry({ actor, action: 'key.revoke', targetType: 'key', targetId: id, siteId: row?.siteId ?? null, detail: { name: row?.name ?? null } });
      if (!(await store.revoke(id, now(), entry))) throw notFound(`Active key "${id}"`);
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
