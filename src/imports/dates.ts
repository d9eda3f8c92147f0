import { zonedToUtc } from '../exports/zone.js';
import { isSaneYear } from '../validation/validate.js';

// "2024-06-05 08:12:33", "2024-06-05T08:12", with or without seconds and fractions, then an optional zone.
const STAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Epoch ms of a date as export files write it: with a zone ("Z", "+07:00") it is that instant; without one
 * it is a wall-clock time read in `tz` (the site's zone), or in UTC when `tz` is "UTC". Undefined for what
 * is not a date (WordPress writes "0000-00-00 00:00:00" for "unknown").
 */
export function exportDate(s: string | undefined, tz: string): number | undefined {
  const m = s ? STAMP.exec(s.trim()) : null;
  if (!m) return undefined;
  const [y, mo, d, h, mi] = [1, 2, 3, 4, 5].map((i) => Number(m[i])) as [number, number, number, number, number];
  const sec = Number(m[6] ?? 0);
  const ms = Math.floor(Number(`0.${m[7] ?? '0'}`) * 1000) + sec * 1000;
  if (!isSaneYear(y) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59) return undefined;
  // Date.UTC rolls 31 February over into March: such a date is not one.
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return undefined;
  const zone = m[8]?.toUpperCase();
  if (zone) {
    const offset = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
    return Date.UTC(y, mo - 1, d, h, mi) - offset * 60_000 + ms;
  }
  return (tz === 'UTC' ? Date.UTC(y, mo - 1, d, h, mi) : zonedToUtc(y, mo, d, h, mi, tz)) + ms;
}
