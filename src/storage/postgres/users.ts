import { publicUser, type UserPatch, type UsersStore } from '../../users/users.store.js';
import { writeAudit } from './audit.js';
import type { PgDb } from './db.js';
import { isForeignKeyViolation, isUniqueViolation, type Client } from './pool.js';
import { postgresFormat } from '../rows/format.js';
import { secretsOf as userSecretsOf, sessionOf as sessionOfRow, type SessionRow as StoredSessionRow, type UserRow as StoredUserRow } from '../rows/users.js';

type UserRow = StoredUserRow<unknown, boolean>;
type SessionRow = StoredSessionRow<boolean>;

const USER = `SELECT u.*, COALESCE((SELECT array_agg(site_id ORDER BY site_id) FROM user_sites WHERE user_id = u.id), '{}') AS sites FROM users u`;

const secretsOf = userSecretsOf(postgresFormat);
const sessionOf = sessionOfRow(postgresFormat);

/** Sites named that do not exist fail the foreign key: the whole change rolls back. */
async function setSites(c: Client, id: string, sites: string[]): Promise<void> {
  await c.query('DELETE FROM user_sites WHERE user_id = $1', [id]);
  if (sites.length) await c.query('INSERT INTO user_sites (user_id, site_id) SELECT $1, unnest($2::text[])', [id, sites]);
}

const COLUMNS: Record<string, (p: UserPatch) => unknown> = {
  display_name: (p) => p.displayName,
  role: (p) => p.role,
  disabled: (p) => p.disabled,
  password_hash: (p) => p.passwordHash,
  totp_secret: (p) => p.totpSecret,
  totp_pending_secret: (p) => p.totpPendingSecret,
};

class LastAdmin extends Error {}

export function pgUsersStore(db: PgDb): UsersStore {
  const one = (rows: UserRow[]) => (rows[0] ? secretsOf(rows[0]) : undefined);
  return {
    async insert(u, entry) {
      try {
        await db.write(async (c) => {
          await c.query('INSERT INTO users (id, username, display_name, password_hash, role, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)', [u.id, u.username, u.displayName, u.passwordHash, u.role, u.at]);
          await setSites(c, u.id, u.sites);
          await writeAudit(c, entry);
        });
        return 'ok';
      } catch (err) {
        if (isForeignKeyViolation(err)) return 'no_site';
        if (isUniqueViolation(err)) return 'taken';
        throw err;
      }
    },
    byUsername: async (username) => one(await db.rows<UserRow>(`${USER} WHERE u.username = $1`, [username])),
    byId: async (id) => one(await db.rows<UserRow>(`${USER} WHERE u.id = $1`, [id])),
    list: async () => (await db.rows<UserRow>(`${USER} ORDER BY u.username`)).map((r) => publicUser(secretsOf(r))),
    async update(id, p, at, entry) {
      try {
        return await db.write(async (c) => {
          // Changes that could remove an admin take turns, so each counts the others' committed result.
          if (p.role !== undefined || p.disabled !== undefined) await c.query("SELECT pg_advisory_xact_lock(hashtextextended('ykien users: active admins', 7))");
          const before = (await c.query<{ role: string; disabled: boolean }>('SELECT role, disabled FROM users WHERE id = $1 FOR UPDATE', [id])).rows[0];
          if (!before) return false;
          const params: unknown[] = [id, at];
          const set = Object.entries(COLUMNS)
            .filter(([, get]) => get(p) !== undefined)
            .map(([column, get]) => `${column} = $${params.push(get(p))}`);
          // Column names come from the fixed list above, never from the caller; the row is locked for the rest.
          const r = await c.query(`UPDATE users SET ${[...set, 'updated_at = $2'].join(', ')} WHERE id = $1`, params);
          if (r.rowCount !== 1) return false;
          if (p.sites !== undefined) await setSites(c, id, p.sites);
          if (p.recoveryCodeHashes !== undefined) {
            await c.query('DELETE FROM user_recovery_codes WHERE user_id = $1', [id]);
            if (p.recoveryCodeHashes.length) await c.query('INSERT INTO user_recovery_codes (user_id, code_hash) SELECT $1, unnest($2::text[])', [id, p.recoveryCodeHashes]);
          }
          if (p.endSessions) await c.query('DELETE FROM sessions WHERE user_id = $1 AND token_hash IS DISTINCT FROM $2', [id, p.endSessions.except]);
          if (before.role === 'admin' && !before.disabled) {
            const left = (await c.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM users WHERE role = 'admin' AND NOT disabled")).rows[0]!.n;
            // Thrown, so the transaction rolls back whole: the last admin stays an admin.
            if (left === 0) throw new LastAdmin();
          }
          await writeAudit(c, entry);
          return true;
        });
      } catch (err) {
        if (isForeignKeyViolation(err)) return 'no_site';
        if (err instanceof LastAdmin) return 'last_admin';
        throw err;
      }
    },
    recordLogin: (id, at, entry) =>
      db.write(async (c) => {
        await c.query('UPDATE users SET last_login_at = $1 WHERE id = $2', [at, id]);
        await writeAudit(c, entry);
      }),
    takeTotpStep: async (id, step) => (await db.write((c) => c.query('UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1', [step, id]))).rowCount === 1,
    takeRecoveryCode: async (id, hash) => (await db.write((c) => c.query('DELETE FROM user_recovery_codes WHERE user_id = $1 AND code_hash = $2', [id, hash]))).rowCount === 1,
    recoveryCodesLeft: async (id) => (await db.rows<{ n: number }>('SELECT COUNT(*)::int AS n FROM user_recovery_codes WHERE user_id = $1', [id]))[0]!.n,
    createSession: (x, replaces) =>
      db.write(async (c) => {
        if (replaces) await c.query('DELETE FROM sessions WHERE token_hash = $1', [replaces]);
        await c.query('INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, limited) VALUES ($1, $2, $3, $4, $5, $6)', [x.tokenHash, x.userId, x.createdAt, x.lastSeenAt, x.expiresAt, x.limited]);
      }),
    async session(hash) {
      const r = (await db.rows<SessionRow>('SELECT * FROM sessions WHERE token_hash = $1', [hash]))[0];
      if (!r) return undefined;
      const user = one(await db.rows<UserRow>(`${USER} WHERE u.id = $1`, [r.user_id]));
      return user && { session: sessionOf(r), user };
    },
    // At most once a minute per session (idle expiry is counted in minutes). Like api_keys.last_used_at it
    // changes nothing any cache shows, so it does not move the change version: active moderators would
    // otherwise empty every instance's cache of public answers once a minute each.
    touchSession: async (hash, at) => void (await db.rows('UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2 AND last_seen_at < $3', [at, hash, at - 60_000])),
    unlimitSession: (hash) => db.write(async (c) => void (await c.query('UPDATE sessions SET limited = FALSE WHERE token_hash = $1', [hash]))),
    endSession: (hash) => db.write(async (c) => void (await c.query('DELETE FROM sessions WHERE token_hash = $1', [hash]))),
    pruneSessions: async (now, idleSince) => (await db.write((c) => c.query('DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at < $2', [now, idleSince]))).rowCount ?? 0,
    addAttempt: (keys, at, since) =>
      db.write(async (c) => {
        // Each key is locked until the commit, then counted and read: two instances racing for one user or one
        // network take turns, and the second sees the first's attempt.
        await c.query('SELECT pg_advisory_xact_lock(hashtextextended(k, 7)) FROM unnest($1::text[]) AS k ORDER BY k', [keys]);
        const ids = (await c.query<{ id: number }>('INSERT INTO login_attempts (key, at) SELECT unnest($1::text[]), $2 RETURNING id', [keys, at])).rows.map((r) => Number(r.id));
        const rows = (await c.query<{ key: string; count: number; oldest: number }>('SELECT key, COUNT(*)::int AS count, MIN(at) AS oldest FROM login_attempts WHERE key = ANY($1) AND at > $2 GROUP BY key', [keys, since])).rows;
        return { ids, counts: keys.map((key) => rows.find((r) => r.key === key) ?? { key, count: 0, oldest: at }) };
      }),
    removeAttempts: (ids) => db.write(async (c) => void (await c.query('DELETE FROM login_attempts WHERE id = ANY($1::bigint[])', [ids]))),
    clearAttempts: (key) => db.write(async (c) => void (await c.query('DELETE FROM login_attempts WHERE key = $1', [key]))),
    pruneAttempts: async (before) => (await db.write((c) => c.query('DELETE FROM login_attempts WHERE at < $1', [before]))).rowCount ?? 0,
  };
}
