// The console's session, people, API keys and sites as the admin API answers them. The server's own types
// (users.service, keys.service, sites.store, …) are checked against these in src/openapi/schemas.people.ts.

export type Role = 'admin' | 'moderator';

/** POST and GET /v1/session: who is signed in, and the token writes send back as X-CSRF-Token. */
export interface SessionView {
  user: {
    username: string;
    displayName: string;
    role: Role;
    /** A moderator's sites; null for an admin (every site). */
    sites: string[] | null;
    totpEnabled: boolean;
  };
  csrfToken: string;
  /** REQUIRE_TOTP_FOR_ADMINS: the session may only set up two-factor login until it does. */
  totpSetupRequired: boolean;
  expiresAt: string;
  idleExpiresAt: string;
}

/** POST /v1/session/totp/setup: the new secret to scan, shown to its owner only; on once confirmed. */
export interface TotpSetup {
  secret: string;
  /** otpauth:// URI for the authenticator app's QR code. */
  uri: string;
}

/** POST /v1/session/totp/enable: shown this once (only their hashes are kept). */
export interface RecoveryCodes {
  recoveryCodes: string[];
}

/** A person who signs in to the console (/v1/admin/users): never a hash or a secret. */
export interface AdminUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  /** A moderator's sites; empty for an admin (every site). */
  sites: string[];
  disabled: boolean;
  totpEnabled: boolean;
  createdAt: string;
  updatedAt: string;
  lastLoginAt: string | null;
}

/** An API key as listings show it: never the key or its hash. */
export interface KeyView {
  id: string;
  name: string;
  role: Role;
  /** A moderator key's one site; null = every site. */
  siteId: string | null;
  /** The first characters, to recognise a key. */
  keyPrefix: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** POST /v1/admin/keys → 201: the key itself, in this answer only. */
export interface NewKey extends KeyView {
  key: string;
}

/** A site as an admin sees it. */
export interface AdminSite {
  id: string;
  name: string;
  origins: string[];
  timezone: string;
  premoderation: boolean;
  blockedWords: string[];
  blockedWordsAction: 'spam' | 'pending';
  notifyEmails: string[];
  notifyDigestMinutes: number;
  createdAt: string;
  updatedAt: string;
}

/** A site as a moderator sees it: how many addresses are notified, not who. */
export interface ModeratorSite extends Omit<AdminSite, 'notifyEmails'> {
  notifyEmailCount: number;
}

/** GET /v1/admin/sites/:site/origin-check */
export interface OriginCheck {
  origin: string;
  allowed: boolean;
  reason: 'listed' | 'wildcard' | 'not_listed';
}

/** DELETE /v1/admin/sites/:site: what went with the site. */
export interface SiteRemoved {
  site: string;
  removed: { polls: number; ballots: number; surveys: number; surveyResponses: number; comments: number; pages: number; moderatorKeys: number; webhooks: number };
}

/** PUT /v1/admin/sites/:site/counters: the starting figures now set. */
export interface StartingCounters {
  siteVisits: number;
  pages: Record<string, number>;
}
