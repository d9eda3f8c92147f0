import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Db } from '../db/open.js';

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Salted one-way hashes for IPs and voter ids. The salt is random per installation
 * (kept in the settings table) unless HASH_SALT sets it, so hashes from different
 * installations cannot be compared and a leaked export does not reveal an IP.
 */
export interface Hasher {
  ip(ip: string | undefined): string | null;
  voter(voterId: string): string;
}

export function loadSalt(db: Db, override?: string): string {
  if (override) return override;
  const row = db.prepare("SELECT value FROM settings WHERE key = 'hash_salt'").get() as { value: string } | undefined;
  if (row) return row.value;
  const salt = randomBytes(32).toString('base64url');
  db.prepare("INSERT OR IGNORE INTO settings (key, value) VALUES ('hash_salt', ?)").run(salt);
  return (db.prepare("SELECT value FROM settings WHERE key = 'hash_salt'").get() as { value: string }).value;
}

export function createHasher(salt: string): Hasher {
  const mac = (kind: string, v: string) => createHmac('sha256', salt).update(`${kind}:${v}`).digest('base64url').slice(0, 22);
  return {
    ip: (ip) => (ip ? mac('ip', ip) : null),
    voter: (voterId) => mac('voter', voterId),
  };
}
