import type { Role } from '../access/principal.js';
import type { AuditRecord } from '../audit/audit.store.js';

/** An API key as stored: never the key itself, only its SHA-256 (kept in storage, not returned here). */
export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  /** A moderator key limited to one site; null = every site. */
  siteId: string | null;
  /** The first characters, to recognise a key in listings. */
  keyPrefix: string;
  createdAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

/** What API keys need from storage. */
export interface KeysStore {
  /** False when the key names a site that does not exist (nothing written). The audit entry goes in the same transaction. */
  insert(key: ApiKey, keyHash: string, audit?: AuditRecord | null): Promise<boolean>;
  findByHash(keyHash: string): Promise<ApiKey | undefined>;
  list(): Promise<ApiKey[]>;
  /** False when there is no such active key (nothing written). The audit entry goes in the same transaction. */
  revoke(id: string, at: number, audit?: AuditRecord | null): Promise<boolean>;
  touch(id: string, at: number): Promise<void>;
}
