import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { AppError } from '../errors.js';
import { COMMON_PASSWORDS } from './common-passwords.js';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;
const KEY_LENGTH = 32;

const COMMON = new Set(COMMON_PASSWORDS.map((p) => p.toLowerCase()));

const derive = (password: string, salt: Buffer, o: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scrypt(password, salt, KEY_LENGTH, o, (err, key) => (err ? reject(err) : resolve(key))));

// Room for N = 2^20 with r = 8 (1 GiB would be refused by the default 32 MiB cap from N = 2^15 on).
const memoryFor = (N: number, r: number) => 256 * N * r;

/**
 * "scrypt$N$r$p$salt$hash" (base64url): the cost travels with the hash, so raising PASSWORD_SCRYPT_LOG2N
 * later leaves every existing password working. The password is NFC first: the same Vietnamese word typed
 * on another keyboard may arrive decomposed.
 */
export async function hashPassword(password: string, log2N: number): Promise<string> {
  const N = 2 ** log2N;
  const r = 8;
  const p = 1;
  const salt = randomBytes(16);
  const key = await derive(password.normalize('NFC'), salt, { N, r, p, maxmem: memoryFor(N, r) });
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const N = Number(n);
  const R = Number(r);
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password.normalize('NFC'), Buffer.from(salt, 'base64url'), { N, r: R, p: Number(p), maxmem: memoryFor(N, R) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

const weak = (reason: string, message: string) => new AppError(400, 'weak_password', message, { field: 'password', reason });

/** The password rules, with the reason in Vietnamese for the person choosing it. */
export function assertPasswordAcceptable(password: string, username: string): void {
  const p = password.normalize('NFC');
  if ([...p].length < MIN_PASSWORD_LENGTH) throw weak('too_short', `Mật khẩu phải có ít nhất ${MIN_PASSWORD_LENGTH} ký tự.`);
  if ([...p].length > MAX_PASSWORD_LENGTH) throw weak('too_long', `Mật khẩu không được dài quá ${MAX_PASSWORD_LENGTH} ký tự.`);
  if (p.toLowerCase() === username.toLowerCase()) throw weak('same_as_username', 'Mật khẩu không được trùng với tên đăng nhập.');
  if (COMMON.has(p.toLowerCase())) throw weak('common', 'Mật khẩu này nằm trong danh sách những mật khẩu phổ biến nhất, rất dễ bị đoán. Vui lòng chọn mật khẩu khác.');
}
