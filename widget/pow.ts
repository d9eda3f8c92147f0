import type { PowChallenge } from '../src/api/comments.js';

/** The proof-of-work challenge the captcha endpoint sends (src/api/comments.ts); the service always sets maxnumber. */
export type Pow = Required<PowChallenge>;

let K: number[] | undefined;
let H: number[];
const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));

/**
 * SHA-256 of an ASCII string (the salt is hex and URL-encoded parameters) as hex, for pages
 * without crypto.subtle: a portal served over plain http is not a secure context, and many
 * commune portals still are.
 */
export function sha256(s: string): string {
  if (!K) {
    const primes: number[] = [];
    for (let n = 2; primes.length < 64; n++) if (primes.every((p) => n % p)) primes.push(n);
    const frac = (x: number) => ((x % 1) * 2 ** 32) | 0;
    K = primes.map((p) => frac(Math.cbrt(p)));
    H = primes.slice(0, 8).map((p) => frac(Math.sqrt(p)));
  }
  const l = s.length;
  const n = ((l + 72) >> 6) << 4; // 32-bit words once padded: a 1 bit, zeros, the length in bits
  const m = new Array<number>(n).fill(0);
  for (let i = 0; i <= l; i++) m[i >> 2]! |= (i < l ? s.charCodeAt(i) : 128) << (24 - (i % 4) * 8);
  m[n - 1] = l * 8;
  let h = H;
  for (let o = 0; o < n; o += 16) {
    const w = m.slice(o, o + 16);
    const v = h.slice();
    for (let i = 0; i < 64; i++) {
      const x = w[i - 15]!, y = w[i - 2]!;
      if (i > 15) w[i] = ((rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3)) + w[i - 16]! + (rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10)) + w[i - 7]!) | 0;
      const [a, b, c, , e, f, g, hh] = v as [number, number, number, number, number, number, number, number];
      const t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i]! + w[i]!;
      v.pop();
      v.unshift((t1 + (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0);
      v[4] = (v[4]! + t1) | 0;
    }
    h = h.map((x, i) => (x + v[i]!) | 0);
  }
  return h.map((x) => (x >>> 0).toString(16).padStart(8, '0')).join('');
}

const hex = (buf: ArrayBuffer) => {
  let s = '';
  for (const x of new Uint8Array(buf)) s += (x < 16 ? '0' : '') + x.toString(16);
  return s;
};

/**
 * Solves in batches, never blocking the page for long (no Worker: host pages' CSPs forbid
 * blob: workers). crypto.subtle resolves each hash in its own task, so input and painting run
 * between them; the plain-JS fallback yields to the page after each batch. `tick` gets the
 * share of the range searched; returning false from it abandons the work.
 */
export async function solvePow(c: Pow, tick: (share: number) => boolean): Promise<number | null> {
  const subtle = typeof crypto === 'object' ? crypto.subtle : undefined;
  const te = new TextEncoder();
  // The first 32 bits first: a hex string per hash would cost more than the hash itself.
  const head = parseInt(c.challenge.slice(0, 8), 16);
  for (let n = 0; n <= c.maxnumber; ) {
    const start = n;
    const end = Math.min(n + (subtle ? 1000 : 100), c.maxnumber + 1);
    const batch: (boolean | Promise<boolean>)[] = [];
    for (; n < end; n++)
      batch.push(subtle ? subtle.digest('SHA-256', te.encode(c.salt + n)).then((d) => new DataView(d).getUint32(0) === head && hex(d) === c.challenge) : sha256(c.salt + n) === c.challenge);
    const found = (await Promise.all(batch)).indexOf(true);
    if (found >= 0) return start + found;
    if (!tick(n / c.maxnumber)) return null;
    if (!subtle) await new Promise((r) => setTimeout(r));
  }
  return null;
}
