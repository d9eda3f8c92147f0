import type { ApiKey, KeysStore } from '../../keys/keys.store.js';
import type { Db } from './open.js';

interface Row {
  id: string;
  name: string;
  role: ApiKey['role'];
  site_id: string | null;
  key_prefix: string;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

const toKey = (r: Row): ApiKey => ({
  id: r.id,
  name: r.name,
  role: r.role,
  siteId: r.site_id,
  keyPrefix: r.key_prefix,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  lastUsedAt: r.last_used_at,
});

const COLUMNS = 'id, name, role, site_id, key_prefix, created_at, revoked_at, last_used_at';

export function sqliteKeysStore(db: Db): KeysStore {
  const s = {
    insert: db.prepare(
      `INSERT INTO api_keys (id, name, role, site_id, key_hash, key_prefix, created_at)
       SELECT @id, @name, @role, @siteId, @hash, @keyPrefix, @createdAt
       WHERE @siteId IS NULL OR EXISTS (SELECT 1 FROM sites WHERE id = @siteId)`,
    ),
    byHash: db.prepare(`SELECT ${COLUMNS} FROM api_keys WHERE key_hash = ?`),
    list: db.prepare(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at, id`),
    revoke: db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
    touch: db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?'),
  };
  return {
    insert: async (k, hash) => s.insert.run({ id: k.id, name: k.name, role: k.role, siteId: k.siteId, hash, keyPrefix: k.keyPrefix, createdAt: k.createdAt }).changes === 1,
    async findByHash(hash) {
      const r = s.byHash.get(hash) as Row | undefined;
      return r && toKey(r);
    },
    list: async () => (s.list.all() as Row[]).map(toKey),
    revoke: async (id, at) => s.revoke.run(at, id).changes > 0,
    touch: async (id, at) => void s.touch.run(at, id),
  };
}
