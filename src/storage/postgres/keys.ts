import type { ApiKey, KeysStore } from '../../keys/keys.store.js';
import type { PgDb } from './db.js';

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

export function pgKeysStore(db: PgDb): KeysStore {
  return {
    async insert(k, hash) {
      const r = await db.write((c) =>
        c.query(
          `INSERT INTO api_keys (id, name, role, site_id, key_hash, key_prefix, created_at)
           SELECT $1, $2, $3, $4, $5, $6, $7 WHERE $4::text IS NULL OR EXISTS (SELECT 1 FROM sites WHERE id = $4)`,
          [k.id, k.name, k.role, k.siteId, hash, k.keyPrefix, k.createdAt],
        ),
      );
      return r.rowCount === 1;
    },
    async findByHash(hash) {
      const r = (await db.rows<Row>(`SELECT ${COLUMNS} FROM api_keys WHERE key_hash = $1`, [hash]))[0];
      return r && toKey(r);
    },
    list: async () => (await db.rows<Row>(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at, id`)).map(toKey),
    revoke: async (id, at) => (await db.write((c) => c.query('UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [at, id]))).rowCount === 1,
    // last_used_at is for people reading the list; it need not tell the other instances' caches.
    touch: async (id, at) => void (await db.rows('UPDATE api_keys SET last_used_at = $1 WHERE id = $2', [at, id])),
  };
}
