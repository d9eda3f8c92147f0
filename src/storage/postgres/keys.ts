import type { KeysStore } from '../../keys/keys.store.js';
import { writeAudit } from './audit.js';
import { holdsNul, type PgDb } from './db.js';
import { KEY_COLUMNS, toKey, type KeyRow } from '../rows/keys.js';

export function pgKeysStore(db: PgDb): KeysStore {
  return {
    insert: (k, hash, entry) =>
      db.write(async (c) => {
        const r = await c.query(
          `INSERT INTO api_keys (id, name, role, site_id, key_hash, key_prefix, created_at)
           SELECT $1, $2, $3, $4, $5, $6, $7 WHERE $4::text IS NULL OR EXISTS (SELECT 1 FROM sites WHERE id = $4)`,
          [k.id, k.name, k.role, k.siteId, hash, k.keyPrefix, k.createdAt],
        );
        if (r.rowCount !== 1) return false;
        await writeAudit(c, entry);
        return true;
      }),
    async findByHash(hash) {
      const r = (await db.rows<KeyRow>(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE key_hash = $1`, [hash]))[0];
      return r && toKey(r);
    },
    list: async () => (await db.rows<KeyRow>(`SELECT ${KEY_COLUMNS} FROM api_keys ORDER BY created_at, id`)).map(toKey),
    revoke: async (id, at, entry) =>
      // No key has an id with U+0000, which PostgreSQL text cannot even hold (db.ts).
      !holdsNul([id]) &&
      db.write(async (c) => {
        if ((await c.query('UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [at, id])).rowCount !== 1) return false;
        await writeAudit(c, entry);
        return true;
      }),
    // last_used_at is for people reading the list; it need not tell the other instances' caches.
    touch: async (id, at) => void (await db.rows('UPDATE api_keys SET last_used_at = $1 WHERE id = $2', [at, id])),
  };
}
