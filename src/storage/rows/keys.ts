import type { ApiKey } from '../../keys/keys.store.js';

/** An api_keys row as both backends read it (no key hash: it never leaves the table). */
export interface KeyRow {
  id: string;
  name: string;
  role: ApiKey['role'];
  site_id: string | null;
  key_prefix: string;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

export const KEY_COLUMNS = 'id, name, role, site_id, key_prefix, created_at, revoked_at, last_used_at';

export const toKey = (r: KeyRow): ApiKey => ({
  id: r.id,
  name: r.name,
  role: r.role,
  siteId: r.site_id,
  keyPrefix: r.key_prefix,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  lastUsedAt: r.last_used_at,
});
