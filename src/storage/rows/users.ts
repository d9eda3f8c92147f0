import type { SessionRecord, User, UserSecrets } from '../../users/users.store.js';
import type { RowFormat } from './format.js';

/** A users row as both backends read it, with its sites as a list (JSON text on SQLite, an array on PostgreSQL). */
export interface UserRow<Json, Flag> {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: User['role'];
  disabled: Flag;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_last_step: number;
  created_at: number;
  updated_at: number;
  last_login_at: number | null;
  sites: Json;
}

export interface SessionRow<Flag> {
  token_hash: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  limited: Flag;
}

export const secretsOf =
  <Json, Flag>(f: RowFormat<Json, Flag>) =>
  (r: UserRow<Json, Flag>): UserSecrets => ({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    sites: f.json<string[]>(r.sites),
    disabled: f.flag(r.disabled),
    totpEnabled: r.totp_secret !== null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastLoginAt: r.last_login_at,
    passwordHash: r.password_hash,
    totpSecret: r.totp_secret,
    totpPendingSecret: r.totp_pending_secret,
    totpLastStep: r.totp_last_step,
  });

export const sessionOf =
  <Flag>(f: RowFormat<unknown, Flag>) =>
  (r: SessionRow<Flag>): SessionRecord => ({
    tokenHash: r.token_hash,
    userId: r.user_id,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
    limited: f.flag(r.limited),
  });
