import type { Role } from '../access/principal.js';
import type { ActorRef } from '../audit/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import { conflict, fieldError, notFound } from '../errors.js';
import { newId } from '../util/ids.js';
import { assertPasswordAcceptable, hashPassword } from './passwords.js';
import { publicUser, type User, type UserPatch, type UsersStore } from './users.store.js';

/** Slug-like, 2–40 characters, compared in lower case: what a person types on a phone without surprises. */
export const USERNAME = /^[a-z0-9](?:[a-z0-9._-]{0,38}[a-z0-9])$/;
export const normalizeUsername = (s: string) => s.normalize('NFC').trim().toLowerCase();

export interface NewUserInput {
  username: string;
  displayName?: string | undefined;
  role: Role;
  sites?: string[] | undefined;
  password: string;
}

export interface UserChange {
  displayName?: string | undefined;
  role?: Role | undefined;
  sites?: string[] | undefined;
  disabled?: boolean | undefined;
  /** A new password set by an admin: every session of the user ends. */
  password?: string | undefined;
  /** false: turn two-factor login off (a lost phone); the user sets it up again. */
  totp?: false | undefined;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A user as the API and the CLI show it: times in ISO 8601, like every other answer. */
export const userView = (u: User) => ({ ...u, createdAt: iso(u.createdAt)!, updatedAt: iso(u.updatedAt)!, lastLoginAt: iso(u.lastLoginAt) });
export type UserView = ReturnType<typeof userView>;

/** The one rule for a person's sites: an admin has none (every site), a moderator one or more. */
function checkSites(role: Role, sites: string[]): void {
  if (role === 'admin' && sites.length) throw fieldError('sites', 'is for moderators (admins act on every site)', 'Admins act on every site; sites are for moderators.');
  if (role === 'moderator' && !sites.length) throw fieldError('sites', 'must name at least one site for a moderator', 'A moderator needs at least one site (--site).');
}

export function usersService(store: UsersStore, deps: { audit: AuditService; now: () => number; passwordLog2N: number }) {
  const { audit, now } = deps;

  async function existing(username: string) {
    const u = await store.byUsername(normalizeUsername(username));
    if (!u) throw notFound(`User "${username}"`);
    return u;
  }

  return {
    async create(input: NewUserInput, actor: ActorRef): Promise<UserView> {
      const username = normalizeUsername(input.username);
      if (!USERNAME.test(username)) throw fieldError('username', 'must be 2–40 letters, digits, ".", "_" or "-", starting and ending with a letter or digit');
      const sites = [...new Set(input.sites ?? [])].sort();
      checkSites(input.role, sites);
      assertPasswordAcceptable(input.password, username);
      const id = newId(10);
      const at = now();
      const displayName = input.displayName?.trim() || username;
      const result = await store.insert(
        { id, username, displayName, passwordHash: await hashPassword(input.password, deps.passwordLog2N), role: input.role, sites, at },
        audit.entry({ actor, action: 'user.create', targetType: 'user', targetId: username, detail: { role: input.role, sites } }),
      );
      if (result === 'taken') throw conflict('username_taken', `The username "${username}" is taken.`);
      if (result === 'no_site') throw fieldError('sites', 'names a site that does not exist', `A site in ${sites.join(', ')} was not found.`);
      return userView(publicUser((await store.byId(id))!));
    },
    list: async () => (await store.list()).map(userView),
    get: async (username: string) => userView(publicUser(await existing(username))),

    async update(username: string, change: UserChange, actor: ActorRef): Promise<UserView> {
      const u = await existing(username);
      const role = change.role ?? u.role;
      // Made an admin without saying which sites: the moderator's sites no longer apply.
      const sites = change.sites !== undefined ? [...new Set(change.sites)].sort() : change.role === 'admin' ? [] : u.sites;
      checkSites(role, sites);
      const patch: UserPatch = {};
      if (change.displayName !== undefined) patch.displayName = change.displayName;
      if (change.role !== undefined) patch.role = change.role;
      if (change.sites !== undefined || change.role !== undefined) patch.sites = sites;
      if (change.disabled !== undefined) patch.disabled = change.disabled;
      if (change.password !== undefined) {
        assertPasswordAcceptable(change.password, u.username);
        patch.passwordHash = await hashPassword(change.password, deps.passwordLog2N);
      }
      if (change.totp === false) Object.assign(patch, { totpSecret: null, totpPendingSecret: null, recoveryCodeHashes: [] });
      // A new password or a disabled account: whoever holds a session of it is out at once.
      if (change.password !== undefined || change.disabled === true) patch.endSessions = { except: null };
      const detail: Record<string, unknown> = {};
      if (change.displayName !== undefined) detail.displayName = change.displayName;
      if (change.role !== undefined) detail.role = change.role;
      if (patch.sites !== undefined) detail.sites = sites;
      if (change.disabled !== undefined) detail.disabled = change.disabled;
      if (change.password !== undefined) detail.passwordReset = true;
      if (change.totp === false) detail.totp = false;
      const action = change.password !== undefined ? 'user.password_reset' : change.disabled === true ? 'user.disable' : 'user.update';
      const r = await store.update(u.id, patch, now(), audit.entry({ actor, action, targetType: 'user', targetId: u.username, detail }));
      if (r === 'no_site') throw fieldError('sites', 'names a site that does not exist', `A site in ${sites.join(', ')} was not found.`);
      if (r === 'last_admin')
        throw conflict('last_admin', `"${u.username}" is the last active admin: make another person an admin first, so someone can still manage the console.`);
      if (!r) throw notFound(`User "${username}"`);
      return userView(publicUser((await store.byId(u.id))!));
    },
  };
}

export type UsersService = ReturnType<typeof usersService>;
