import type { Db } from '../db/open.js';

export type Role = 'admin' | 'moderator';

export interface ApiKeyRow {
  id: string;
  name: string;
  role: Role;
  site_id: string | null;
  key_prefix: string;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

export function keysRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO api_keys (id, name, role, site_id, key_hash, key_prefix, created_at)
     VALUES (@id, @name, @role, @site_id, @key_hash, @key_prefix, @created_at)`,
  );
  const byHash = db.prepare(
    'SELECT id, name, role, site_id, key_prefix, created_at, revoked_at, last_used_at FROM api_keys WHERE key_hash = ?',
  );
  const list = db.prepare(
    'SELECT id, name, role, site_id, key_prefix, created_at, revoked_at, last_used_at FROM api_keys ORDER BY created_at, id',
  );
  const revoke = db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  const touch = db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?');
  return {
    insert: (row: ApiKeyRow & { key_hash: string }) => insert.run(row),
    findByHash: (hash: string) => byHash.get(hash) as ApiKeyRow | undefined,
    list: () => list.all() as ApiKeyRow[],
    revoke: (id: string, at: number) => revoke.run(at, id).changes > 0,
    touch: (id: string, at: number) => touch.run(at, id),
  };
}
