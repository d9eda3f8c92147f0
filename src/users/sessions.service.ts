import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Principal } from '../access/principal.js';
import { userActor } from '../audit/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import { AppError, conflict, forbidden } from '../errors.js';
import type { RunJob } from '../jobs.js';
import type { Logger } from '../logger.js';
import { sha256 } from '../util/hash.js';
import { assertPasswordAcceptable, hashPassword, verifyPassword } from './passwords.js';
import { newTotpSecret, totpStep } from './totp.js';
import { normalizeUsername } from './users.service.js';
import { publicUser, type SessionRecord, type User, type UserSecrets, type UsersStore } from './users.store.js';

export interface SessionSettings {
  idleMs: number;
  maxMs: number;
  requireTotpForAdmins: boolean;
  maxFailuresPerUser: number;
  maxFailuresPerIp: number;
  throttleMs: number;
  passwordLog2N: number;
}

/** A live session, as the HTTP layer sees it. */
export interface ActiveSession {
  tokenHash: string;
  user: UserSecrets;
  principal: Principal;
  session: SessionRecord;
  /** The CSRF token of this session: derived from its token, so nothing more is stored and no other session's fits. */
  csrfToken: string;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const RECOVERY_CODES = 10;
const PRUNE_EVERY_MS = 10 * 60_000;

/** One answer for an unknown user, a wrong password and a disabled account: nobody learns which names exist. */
const loginFailed = () => new AppError(401, 'login_failed', 'Tên đăng nhập hoặc mật khẩu không đúng.');

export const csrfTokenOf = (token: string) => createHmac('sha256', token).update('ykien csrf').digest('base64url');

/** Recovery codes people can type: 10 characters of an alphabet without look-alikes, shown as xxxxx-xxxxx. */
function newRecoveryCode(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(10);
  const s = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}
const recoveryHash = (code: string) => sha256(`ykien recovery ${code.toLowerCase().replace(/[^a-z0-9]/g, '')}`);

export const principalOfUser = (u: User): Principal => ({ kind: 'user', ...userActor(u), role: u.role, sites: u.role === 'admin' ? null : u.sites });

export function sessionsService(store: UsersStore, deps: { audit: AuditService; now: () => number; settings: SessionSettings; runJob: RunJob; logger?: Logger | undefined }) {
  const { audit, now, settings: o } = deps;
  // Compared against when the user does not exist, so that answer takes as long as a wrong password.
  let dummy: Promise<string> | undefined;
  const dummyHash = () => (dummy ??= hashPassword(randomBytes(16).toString('hex'), o.passwordLog2N));

  /** Counts an attempt against the username and the network; 429 (the attempt taken back) when either is over its limit. */
  async function throttle(username: string, network: string | undefined) {
    const t = now();
    const userKey = `user:${username.slice(0, 64)}`;
    const keys = network === undefined ? [userKey] : [userKey, `ip:${network}`];
    const { ids, counts } = await store.addAttempt(keys, t, t - o.throttleMs);
    const limits = [o.maxFailuresPerUser, o.maxFailuresPerIp];
    const over = counts.filter((c, i) => c.count > limits[i]!);
    if (over.length) {
      await store.removeAttempts(ids);
      const waitMs = Math.max(...over.map((c) => c.oldest + o.throttleMs - t));
      const minutes = Math.max(1, Math.ceil(waitMs / 60_000));
      throw new AppError(429, 'login_throttled', `Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ${minutes} phút.`, { retryAfterSeconds: Math.ceil(waitMs / 1000) });
    }
    return {
      /** The attempt was not a wrong guess: it stops counting, and the username starts afresh. */
      forget: async () => {
        await store.removeAttempts(ids);
        await store.clearAttempts(userKey);
      },
      /** Not a guess (a code was still to come): only this attempt stops counting. */
      takeBack: () => store.removeAttempts(ids),
    };
  }

  // Never the password, nor the address (the log is read by people who need neither).
  const failedEntry = (username: string, reason: string) =>
    audit.record({ actor: { id: 'anonymous', name: 'anonymous' }, action: 'session.login_failed', targetType: 'user', targetId: username.slice(0, 64), detail: { reason } });

  /** A six-digit code (each 30-second step once) or one recovery code (once). */
  async function checkSecondFactor(u: UserSecrets, code: string): Promise<'totp' | 'recovery' | undefined> {
    const step = totpStep(u.totpSecret!, code.trim(), now());
    if (step !== undefined) return (await store.takeTotpStep(u.id, step)) ? 'totp' : undefined;
    if (code.length <= 20 && (await store.takeRecoveryCode(u.id, recoveryHash(code)))) return 'recovery';
    return undefined;
  }

  async function newSession(u: UserSecrets, limited: boolean, replaces: string | null) {
    const token = randomBytes(32).toString('base64url');
    const t = now();
    const session: SessionRecord = { tokenHash: sha256(token), userId: u.id, createdAt: t, lastSeenAt: t, expiresAt: t + o.maxMs, limited };
    await store.createSession(session, replaces);
    return { token, session };
  }

  const view = (a: { user: User; session: SessionRecord; csrfToken: string }) => ({
    user: { username: a.user.username, displayName: a.user.displayName, role: a.user.role, sites: a.user.role === 'admin' ? null : a.user.sites, totpEnabled: a.user.totpEnabled },
    csrfToken: a.csrfToken,
    totpSetupRequired: a.session.limited,
    expiresAt: new Date(a.session.expiresAt).toISOString(),
    idleExpiresAt: new Date(Math.min(a.session.expiresAt, a.session.lastSeenAt + o.idleMs)).toISOString(),
  });

  async function requireCurrentPassword(a: ActiveSession, password: string): Promise<void> {
    const attempt = await throttle(a.user.username, undefined);
    if (!(await verifyPassword(password, a.user.passwordHash))) throw new AppError(403, 'wrong_password', 'Mật khẩu hiện tại không đúng.');
    await attempt.takeBack();
  }

  /** Removes expired sessions and login attempts that no longer count. */
  async function prune(): Promise<{ sessions: number; attempts: number }> {
    const t = now();
    return { sessions: await store.pruneSessions(t, t - o.idleMs), attempts: await store.pruneAttempts(t - o.throttleMs) };
  }

  return {
    view,
    /**
     * Signs a person in: throttled per username and network, the same answer and the same work for every
     * failure, a second factor when set up. `replaces` is the token the browser already had: never kept
     * (no session fixation), and ended if it was a session.
     */
    async login(input: { username: string; password: string; totp?: string | undefined }, ctx: { network: string; replaces?: string | undefined }) {
      const username = normalizeUsername(input.username);
      const attempt = await throttle(username, ctx.network);
      const u = await store.byUsername(username);
      const passwordOk = await verifyPassword(input.password, u?.passwordHash ?? (await dummyHash()));
      if (!u || !passwordOk || u.disabled) {
        await failedEntry(username, !u ? 'unknown_user' : u.disabled ? 'disabled' : 'wrong_password');
        throw loginFailed();
      }
      let second: 'totp' | 'recovery' | undefined;
      if (u.totpSecret) {
        if (!input.totp) {
          await attempt.takeBack();
          throw new AppError(401, 'totp_required', 'Nhập mã xác thực 6 số từ ứng dụng trên điện thoại (hoặc một mã khôi phục).');
        }
        second = await checkSecondFactor(u, input.totp);
        if (!second) {
          await failedEntry(username, 'wrong_totp');
          throw new AppError(401, 'totp_invalid', 'Mã xác thực không đúng hoặc đã được dùng.');
        }
      }
      await attempt.forget();
      const limited = u.role === 'admin' && o.requireTotpForAdmins && !u.totpSecret;
      const replaces = ctx.replaces && TOKEN.test(ctx.replaces) ? sha256(ctx.replaces) : null;
      const { token, session } = await newSession(u, limited, replaces);
      await store.recordLogin(u.id, now(), audit.entry({ actor: userActor(u), action: 'session.login', targetType: 'user', targetId: u.username, detail: { secondFactor: second ?? null, totpSetupRequired: limited } }));
      return { token, ...view({ user: u, session, csrfToken: csrfTokenOf(token) }) };
    },

    /** The live session of a cookie's token; undefined when unknown, expired (idle or absolute) or its user is disabled. */
    async authenticate(token: string): Promise<ActiveSession | undefined> {
      if (!TOKEN.test(token)) return undefined;
      const tokenHash = sha256(token);
      const found = await store.session(tokenHash);
      if (!found) return undefined;
      const { session, user } = found;
      const t = now();
      if (user.disabled || t >= session.expiresAt || t - session.lastSeenAt >= o.idleMs) {
        await store.endSession(tokenHash);
        return undefined;
      }
      await store.touchSession(tokenHash, t);
      return { tokenHash, user, session, principal: principalOfUser(user), csrfToken: csrfTokenOf(token) };
    },

    logout: async (a: ActiveSession) => {
      await store.endSession(a.tokenHash);
    },
    async logoutEverywhere(a: ActiveSession): Promise<void> {
      await store.update(a.user.id, { endSessions: { except: null } }, now(), audit.entry({ actor: userActor(a.user), action: 'session.logout_all', targetType: 'user', targetId: a.user.username }));
    },

    /** Changes one's own password; every other session of the person ends, this one stays. */
    async changePassword(a: ActiveSession, current: string, next: string): Promise<void> {
      await requireCurrentPassword(a, current);
      assertPasswordAcceptable(next, a.user.username);
      await store.update(
        a.user.id,
        { passwordHash: await hashPassword(next, o.passwordLog2N), endSessions: { except: a.tokenHash } },
        now(),
        audit.entry({ actor: userActor(a.user), action: 'user.password_change', targetType: 'user', targetId: a.user.username }),
      );
    },

    /** A new secret to scan; two-factor login is on only once a code from it is confirmed (enableTotp). */
    async setupTotp(a: ActiveSession) {
      if (a.user.totpSecret) throw conflict('totp_already_enabled', 'Two-factor login is already on; turn it off first to set up another phone.');
      const { secret, uri } = newTotpSecret(a.user.username);
      await store.update(a.user.id, { totpPendingSecret: secret }, now(), null);
      return { secret, uri };
    },
    /** Confirms the secret with a code; returns the recovery codes, shown this once (only their hashes are kept). */
    async enableTotp(a: ActiveSession, code: string): Promise<{ recoveryCodes: string[] }> {
      const pending = a.user.totpPendingSecret;
      if (a.user.totpSecret) throw conflict('totp_already_enabled', 'Two-factor login is already on.');
      if (!pending) throw conflict('totp_not_set_up', 'Start with POST /v1/session/totp/setup.');
      const step = totpStep(pending, code.trim(), now());
      if (step === undefined || !(await store.takeTotpStep(a.user.id, step))) throw new AppError(400, 'totp_invalid', 'Mã xác thực không đúng hoặc đã được dùng.');
      const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
      await store.update(
        a.user.id,
        { totpSecret: pending, totpPendingSecret: null, recoveryCodeHashes: codes.map(recoveryHash), endSessions: { except: a.tokenHash } },
        now(),
        audit.entry({ actor: userActor(a.user), action: 'user.totp_enable', targetType: 'user', targetId: a.user.username }),
      );
      if (a.session.limited) await store.unlimitSession(a.tokenHash);
      return { recoveryCodes: codes };
    },
    async disableTotp(a: ActiveSession, password: string): Promise<void> {
      if (!a.user.totpSecret) throw conflict('totp_not_enabled', 'Two-factor login is not on.');
      if (a.user.role === 'admin' && o.requireTotpForAdmins) throw forbidden('REQUIRE_TOTP_FOR_ADMINS is on: an admin keeps two-factor login.');
      await requireCurrentPassword(a, password);
      await store.update(
        a.user.id,
        { totpSecret: null, totpPendingSecret: null, recoveryCodeHashes: [] },
        now(),
        audit.entry({ actor: userActor(a.user), action: 'user.totp_disable', targetType: 'user', targetId: a.user.username }),
      );
    },
    recoveryCodesLeft: (a: ActiveSession) => store.recoveryCodesLeft(a.user.id),

    prune,
    /** Prunes every PRUNE_EVERY_MS (one instance works per period); returns the stop. */
    start(): () => void {
      const tick = () => {
        deps.runJob('sessions.prune', PRUNE_EVERY_MS, prune).catch((err: unknown) => deps.logger?.error({ err }, 'pruning sessions failed'));
      };
      const timer = setInterval(tick, PRUNE_EVERY_MS);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

export type SessionsService = ReturnType<typeof sessionsService>;
