import type { AuditRecord } from '../../audit/audit.store.js';
import type { ApiKey, KeysStore } from '../../keys/keys.store.js';
import { auditWriter } from './audit.js';
import type { Db } from './open.js';
import { KEY_COLUMNS, toKey, type KeyRow } from '../rows/keys.js';

export function sqliteKeysStore(db: Db): KeysStore {
  const s = {
    insert: db.prepare(
      `INSERT INTO api_keys (id, name, role, site_id, key_hash, key_prefix, created_at)
       SELECT @id, @name, @role, @siteId, @hash, @keyPrefix, @createdAt
       WHERE @siteId IS NULL OR EXISTS (SELECT 1 FROM sites WHERE id = @siteId)`,
    ),
    byHash: db.prepare(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE key_hash = ?`),
    list: db.prepare(`SELECT ${KEY_COLUMNS} FROM api_keys ORDER BY created_at, id`),
    revoke: db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
    touch: db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?'),
  };
  const audit = auditWriter(db);
  const insert = db.transaction((k: ApiKey, hash: string, entry: AuditRecord | null | undefined) => {
    const done = s.insert.run({ id: k.id, name: k.name, role: k.role, siteId: k.siteId, hash, keyPrefix: k.keyPrefix, createdAt: k.createdAt }).changes === 1;
    if (done) audit(entry);
    return done;
  });
  const revoke = db.transaction((id: string, at: number, entry: AuditRecord | null | undefined) => {
    const done = s.revoke.run(at, id).changes > 0;
    if (done) audit(entry);
    return done;
  });
  return {
    insert: async (k, hash, entry) => insert(k, hash, entry),
    async findByHash(hash) {
      const r = s.byHash.get(hash) as KeyRow | undefined;
      return r && toKey(r);
    },
    list: async () => (s.list.all() as KeyRow[]).map(toKey),
    revoke: async (id, at, entry) => revoke(id, at, entry),
    touch: async (id, at) => void s.touch.run(at, id),
  };
}
