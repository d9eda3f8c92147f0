import type { Role } from '../access/principal.js';
import type { AuditRecord } from '../audit/audit.store.js';

/** A person who signs in to the console, as listings show them: no hash, no secret. */
export interface User {
  id: string;
  /** Lower case, slug-like; unique whatever the case it was typed in. */
  username: string;
  displayName: string;
  role: Role;
  /** A moderator's sites (one or more); empty for an admin (every site). */
  sites: string[];
  disabled: boolean;
  totpEnabled: boolean;
  createdAt: number;
  updatedAt: number;
  lastLoginAt: number | null;
}

/** The listing's view of a user with secrets. */
export const publicUser = (u: UserSecrets): User => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  sites: u.sites,
  disabled: u.disabled,
  totpEnabled: u.totpEnabled,
  createdAt: u.createdAt,
  updatedAt: u.updatedAt,
  lastLoginAt: u.lastLoginAt,
});

/** A user with what only the login and two-factor code may read. */
export interface UserSecrets extends User {
  passwordHash: string;
  totpSecret: string | null;
  totpPendingSecret: string | null;
  totpLastStep: number;
}

export interface NewUser {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  role: Role;
  sites: string[];
  at: number;
}

/** What one change to a user sets; absent fields stay as they are. */
export interface UserPatch {
  displayName?: string;
  role?: Role;
  sites?: string[];
  disabled?: boolean;
  passwordHash?: string;
  totpSecret?: string | null;
  totpPendingSecret?: string | null;
  /** Replaces every recovery code with these hashes (none: empty). */
  recoveryCodeHashes?: string[];
  /** Ends the user's sessions in the same transaction, except the one whose token hash is given. */
  endSessions?: { except: string | null };
}

export interface SessionRecord {
  tokenHash: string;
  userId: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  /** May only set up two-factor login (REQUIRE_TOTP_FOR_ADMINS). */
  limited: boolean;
}

/** What accounts, sessions and login throttling need from storage. */
export interface UsersStore {
  /** 'taken' when the username exists; 'no_site' when a site named does not. */
  insert(u: NewUser, audit: AuditRecord): Promise<'ok' | 'taken' | 'no_site'>;
  byUsername(username: string): Promise<UserSecrets | undefined>;
  byId(id: string): Promise<UserSecrets | undefined>;
  list(): Promise<User[]>;
  /**
   * False when there is no such user; 'no_site' when a site named does not exist; 'last_admin' (nothing changed)
   * when the user was an active admin and the change would leave no active admin at all — decided inside the
   * write, so two admins disabling each other at once cannot both succeed. Audited in the same transaction.
   */
  update(id: string, patch: UserPatch, at: number, audit: AuditRecord | null): Promise<boolean | 'no_site' | 'last_admin'>;
  recordLogin(id: string, at: number, audit: AuditRecord): Promise<void>;
  /** Takes a TOTP time step; false when that step (or a later one) was already used: a code is good once. */
  takeTotpStep(id: string, step: number): Promise<boolean>;
  /** Uses up one recovery code; false when it is not (or no longer) one of the user's. */
  takeRecoveryCode(id: string, codeHash: string): Promise<boolean>;
  recoveryCodesLeft(id: string): Promise<number>;

  /** Stores a new session; ends the one whose token hash is `replaces` (the session a login replaces). */
  createSession(s: SessionRecord, replaces: string | null): Promise<void>;
  /** The session and its user, whatever their state: the service decides what has expired. */
  session(tokenHash: string): Promise<{ session: SessionRecord; user: UserSecrets } | undefined>;
  touchSession(tokenHash: string, at: number): Promise<void>;
  unlimitSession(tokenHash: string): Promise<void>;
  endSession(tokenHash: string): Promise<void>;
  /** Ends every session past its absolute end or idle since before `idleSince`; how many. */
  pruneSessions(now: number, idleSince: number): Promise<number>;

  /** Counts an attempt against each key, then returns, per key, the attempts since `since` (this one included) and the oldest's time. */
  addAttempt(keys: string[], at: number, since: number): Promise<{ ids: number[]; counts: { key: string; count: number; oldest: number }[] }>;
  /** Takes back an attempt that was refused unheard (it should not lengthen the wait). */
  removeAttempts(ids: number[]): Promise<void>;
  clearAttempts(key: string): Promise<void>;
  pruneAttempts(before: number): Promise<number>;
}
