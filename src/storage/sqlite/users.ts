import { publicUser, type SessionRecord, type UserPatch, type UsersStore } from '../../users/users.store.js';
import { auditWriter } from './audit.js';
import type { Db } from './open.js';
import { isUniqueViolation } from './util.js';
import { sqliteFormat } from '../rows/format.js';
import { secretsOf as userSecretsOf, sessionOf as sessionOfRow, type SessionRow as StoredSessionRow, type UserRow as StoredUserRow } from '../rows/users.js';

type UserRow = StoredUserRow<string, number>;
type SessionRow = StoredSessionRow<number>;

const USER = `SELECT u.*, COALESCE((SELECT json_group_array(site_id) FROM (SELECT site_id FROM user_sites WHERE user_id = u.id ORDER BY site_id)), '[]') AS sites FROM users u`;

const secretsOf = userSecretsOf(sqliteFormat);
const sessionOf = sessionOfRow(sqliteFormat);

class NoSite extends Error {}
class LastAdmin extends Error {}

export function sqliteUsersStore(db: Db): UsersStore {
  const audit = auditWriter(db);
  const s = {
    insert: db.prepare('INSERT INTO users (id, username, display_name, password_hash, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    addSite: db.prepare('INSERT INTO user_sites (user_id, site_id) SELECT ?, id FROM sites WHERE id = ?'),
    clearSites: db.prepare('DELETE FROM user_sites WHERE user_id = ?'),
    byUsername: db.prepare(`${USER} WHERE u.username = ?`),
    byId: db.prepare(`${USER} WHERE u.id = ?`),
    list: db.prepare(`${USER} ORDER BY u.username`),
    exists: db.prepare('SELECT role, disabled FROM users WHERE id = ?'),
    activeAdmins: db.prepare("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0").pluck(),
    touchUser: db.prepare('UPDATE users SET updated_at = ? WHERE id = ?'),
    login: db.prepare('UPDATE users SET last_login_at = ? WHERE id = ?'),
    step: db.prepare('UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?'),
    clearCodes: db.prepare('DELETE FROM user_recovery_codes WHERE user_id = ?'),
    addCode: db.prepare('INSERT INTO user_recovery_codes (user_id, code_hash) VALUES (?, ?)'),
    takeCode: db.prepare('DELETE FROM user_recovery_codes WHERE user_id = ? AND code_hash = ?'),
    codesLeft: db.prepare('SELECT COUNT(*) FROM user_recovery_codes WHERE user_id = ?').pluck(),
    newSession: db.prepare('INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, limited) VALUES (?, ?, ?, ?, ?, ?)'),
    session: db.prepare('SELECT * FROM sessions WHERE token_hash = ?'),
    touchSession: db.prepare('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ? AND last_seen_at < ?'),
    unlimit: db.prepare('UPDATE sessions SET limited = 0 WHERE token_hash = ?'),
    endSession: db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
    endSessions: db.prepare('DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ?'),
    prune: db.prepare('DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at < ?'),
    attempt: db.prepare('INSERT INTO login_attempts (key, at) VALUES (?, ?)'),
    count: db.prepare('SELECT COUNT(*) AS count, MIN(at) AS oldest FROM login_attempts WHERE key = ? AND at > ?'),
    removeAttempt: db.prepare('DELETE FROM login_attempts WHERE id = ?'),
    clearAttempts: db.prepare('DELETE FROM login_attempts WHERE key = ?'),
    pruneAttempts: db.prepare('DELETE FROM login_attempts WHERE at < ?'),
  };

  const setSites = (id: string, sites: string[]) => {
    s.clearSites.run(id);
    for (const site of sites) if (s.addSite.run(id, site).changes !== 1) throw new NoSite();
  };

  const insert = db.transaction((u: Parameters<UsersStore['insert']>[0], entry: Parameters<UsersStore['insert']>[1]) => {
    s.insert.run(u.id, u.username, u.displayName, u.passwordHash, u.role, u.at, u.at);
    setSites(u.id, u.sites);
    audit(entry);
  });

  const update = db.transaction((id: string, p: UserPatch, at: number, entry: Parameters<UsersStore['update']>[3]): boolean => {
    const before = s.exists.get(id) as { role: string; disabled: number } | undefined;
    if (!before) return false;
    const set: Record<string, unknown> = {};
    if (p.displayName !== undefined) set.display_name = p.displayName;
    if (p.role !== undefined) set.role = p.role;
    if (p.disabled !== undefined) set.disabled = p.disabled ? 1 : 0;
    if (p.passwordHash !== undefined) set.password_hash = p.passwordHash;
    if (p.totpSecret !== undefined) set.totp_secret = p.totpSecret;
    if (p.totpPendingSecret !== undefined) set.totp_pending_secret = p.totpPendingSecret;
    const columns = Object.keys(set);
    // Column names come from the fixed list above, never from the caller.
    if (columns.length) db.prepare(`UPDATE users SET ${columns.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`).run({ ...set, id });
    s.touchUser.run(at, id);
    if (p.sites !== undefined) setSites(id, p.sites);
    if (p.recoveryCodeHashes !== undefined) {
      s.clearCodes.run(id);
      for (const h of p.recoveryCodeHashes) s.addCode.run(id, h);
    }
    if (p.endSessions) s.endSessions.run(id, p.endSessions.except);
    // Thrown, so the transaction rolls back whole: the last admin stays an admin.
    if (before.role === 'admin' && !before.disabled && s.activeAdmins.get() === 0) throw new LastAdmin();
    audit(entry);
    return true;
  });

  const addAttempt = db.transaction((keys: string[], at: number, since: number) => {
    const ids = keys.map((key) => Number(s.attempt.run(key, at).lastInsertRowid));
    const counts = keys.map((key) => {
      const r = s.count.get(key, since) as { count: number; oldest: number };
      return { key, count: r.count, oldest: r.oldest };
    });
    return { ids, counts };
  });

  const createSession = db.transaction((x: SessionRecord, replaces: string | null) => {
    if (replaces) s.endSession.run(replaces);
    s.newSession.run(x.tokenHash, x.userId, x.createdAt, x.lastSeenAt, x.expiresAt, x.limited ? 1 : 0);
  });

  const one = (r: unknown) => (r ? secretsOf(r as UserRow) : undefined);

  return {
    async insert(u, entry) {
      try {
        insert(u, entry);
        return 'ok';
      } catch (err) {
        if (err instanceof NoSite) return 'no_site';
        if (isUniqueViolation(err)) return 'taken';
        throw err;
      }
    },
    byUsername: async (username) => one(s.byUsername.get(username)),
    byId: async (id) => one(s.byId.get(id)),
    list: async () => (s.list.all() as UserRow[]).map((r) => publicUser(secretsOf(r))),
    async update(id, patch, at, entry) {
      try {
        return update(id, patch, at, entry);
      } catch (err) {
        if (err instanceof NoSite) return 'no_site';
        if (err instanceof LastAdmin) return 'last_admin';
        throw err;
      }
    },
    recordLogin: async (id, at, entry) =>
      db.transaction(() => {
        s.login.run(at, id);
        audit(entry);
      })(),
    takeTotpStep: async (id, step) => s.step.run(step, id, step).changes === 1,
    takeRecoveryCode: async (id, hash) => s.takeCode.run(id, hash).changes === 1,
    recoveryCodesLeft: async (id) => s.codesLeft.get(id) as number,
    createSession: async (x, replaces) => createSession(x, replaces),
    async session(hash) {
      const r = s.session.get(hash) as SessionRow | undefined;
      if (!r) return undefined;
      const user = one(s.byId.get(r.user_id));
      return user && { session: sessionOf(r), user };
    },
    // At most once a minute per session: idle expiry is counted in minutes.
    touchSession: async (hash, at) => void s.touchSession.run(at, hash, at - 60_000),
    unlimitSession: async (hash) => void s.unlimit.run(hash),
    endSession: async (hash) => void s.endSession.run(hash),
    pruneSessions: async (now, idleSince) => s.prune.run(now, idleSince).changes,
    addAttempt: async (keys, at, since) => addAttempt(keys, at, since),
    removeAttempts: async (ids) => ids.forEach((id) => s.removeAttempt.run(id)),
    clearAttempts: async (key) => void s.clearAttempts.run(key),
    pruneAttempts: async (before) => s.pruneAttempts.run(before).changes,
  };
}
