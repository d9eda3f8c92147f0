import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { ConfigError } from '../config.js';
import { memoized } from './memo.js';
import { networkKey } from './network.js';
import type { SettingsStore } from '../settings/settings.store.js';

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Salted one-way hashes, one HMAC key per purpose, so no two columns can be joined: a ballot's
 * IP hash never equals the same address's comment IP hash, a page-view visitor never equals a voter.
 * IP hashes are of the client's network (IPv6 /64, IPv4-mapped as IPv4, see networkKey).
 */
export interface Hasher {
  /** Voter ids of ballots: the one-vote check. Stable across upgrades and HASH_SALT changes. */
  voter(voterId: string): string;
  /** IP of a ballot: the 24 h per-poll cap. */
  ballotIp(ip: string | undefined): string | null;
  /** IP of a comment: lets a moderator see several comments came from one network. */
  commentIp(ip: string | undefined): string | null;
  /** The view counters' random visitor id: dedup and "online" (rows kept ~30 minutes). */
  viewVisitor(visitorId: string): string;
  /** The no-JS form's token: binds a browser's form cookie to one poll (never stored). */
  formToken(browser: string, pollId: string): string;
  /** A secret key of its own for another purpose (e.g. signing proof-of-work challenges), from the same secret. */
  key(purpose: string): string;
}

/**
 * How voter ids are hashed in this database, fixed at its first start with per-purpose keys
 * (settings row `voter_hash_scheme`) so that existing ballots keep refusing a second vote:
 * - `database`: a fresh database; HKDF of the database's own salt. HASH_SALT never changes it.
 * - `legacy-database`: ballots written by an older version without HASH_SALT: HMAC(database salt, "voter:" + id).
 * - `legacy-HASH_SALT`: ballots written by an older version with HASH_SALT: HMAC(HASH_SALT, "voter:" + id).
 * Voter ids are random (96 bits from the widget, 144 from the no-JS page), so a key kept in the
 * database lets nobody enumerate them; IPs can be (2^32 IPv4 addresses), so their keys come from
 * HASH_SALT when it is set.
 */
export type VoterHashScheme = 'database' | 'legacy-database' | 'legacy-HASH_SALT';

/** Addresses whose hash is remembered (a few MB at most). */
const IP_MEMO_ENTRIES = 10_000;

const hmac = (key: string | Buffer, v: string) => createHmac('sha256', key).update(v).digest('base64url').slice(0, 22);
const derive = (secret: string, purpose: string) => Buffer.from(hkdfSync('sha256', secret, 'ykien', `ykien hash key: ${purpose}`, 32));

/** `secret` (HASH_SALT, else the database's salt) keys everything but voter ids, which keep their own scheme. */
export function createHasher(keys: { voter: (voterId: string) => string; secret: string; ipv6PrefixLength: number }): Hasher {
  const ballotIp = derive(keys.secret, 'ballot ip');
  const commentIp = derive(keys.secret, 'comment ip');
  const viewVisitor = derive(keys.secret, 'view visitor');
  const formToken = derive(keys.secret, 'no-js form token');
  const net = (ip: string) => networkKey(ip, keys.ipv6PrefixLength);
  // Every ballot hashes its address, and a busy network casts many: its hash is remembered.
  const ballotIpOf = memoized((ip) => hmac(ballotIp, net(ip)), IP_MEMO_ENTRIES);
  return {
    voter: keys.voter,
    ballotIp: (ip) => (ip ? ballotIpOf(ip) : null),
    commentIp: (ip) => (ip ? hmac(commentIp, net(ip)) : null),
    viewVisitor: (visitorId) => hmac(viewVisitor, visitorId),
    formToken: (browser, pollId) => hmac(formToken, `${browser}\0${pollId}`),
    key: (purpose) => derive(keys.secret, purpose).toString('base64url'),
  };
}

/**
 * The hasher of this database. `hasBallots` tells whether ballots exist that an older version
 * hashed (asked only once, the first time this version opens the database).
 * Throws ConfigError when the database's voter hashes need HASH_SALT and it is not set.
 */
export async function loadHasher(
  settings: SettingsStore,
  opts: { hashSalt: string | undefined; ipv6PrefixLength: number; hasBallots: () => Promise<boolean> },
): Promise<Hasher> {
  const dbSalt = (await settings.get('hash_salt')) ?? (await settings.setOnce('hash_salt', randomBytes(32).toString('base64url')));
  const scheme = ((await settings.get('voter_hash_scheme')) ??
    (await settings.setOnce('voter_hash_scheme', (await opts.hasBallots()) ? (opts.hashSalt ? 'legacy-HASH_SALT' : 'legacy-database') : 'database'))) as VoterHashScheme;
  let voter: (voterId: string) => string;
  if (scheme === 'legacy-HASH_SALT') {
    const salt = opts.hashSalt;
    if (!salt)
      throw new ConfigError(
        'Invalid configuration:\n  HASH_SALT: this database\'s ballots were hashed with HASH_SALT; without the same value every earlier voter could vote again. Set HASH_SALT as before.',
      );
    voter = (id) => hmac(salt, `voter:${id}`);
  } else if (scheme === 'legacy-database') {
    voter = (id) => hmac(dbSalt, `voter:${id}`);
  } else {
    const key = derive(dbSalt, 'voter id');
    voter = (id) => hmac(key, id);
  }
  return createHasher({ voter, secret: opts.hashSalt ?? dbSalt, ipv6PrefixLength: opts.ipv6PrefixLength });
}

/** For services built without hash keys (the CLI): hashing there is a bug, said loudly. */
const notLoaded = (): never => {
  throw new Error('hash keys were not loaded for these services (createContainer with hashKeys: false)');
};
export const noHashKeys: Hasher = { voter: notLoaded, ballotIp: notLoaded, commentIp: notLoaded, viewVisitor: notLoaded, formToken: notLoaded, key: notLoaded };
