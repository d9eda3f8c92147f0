/**
 * Time-zone arithmetic with Intl only (no tz database of our own): ISO 8601 strings with the
 * site's offset ("2026-06-08T15:27:00+07:00") and calendar buckets aligned in that zone.
 */

interface Parts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Wall-clock parts of instant `ms` in zone `tz`. */
export function zonedParts(ms: number, tz: string): Parts {
  const p: Record<string, number> = {};
  for (const { type, value } of formatter(tz).formatToParts(ms)) if (type !== 'literal') p[type] = Number(value);
  return { year: p.year!, month: p.month!, day: p.day!, hour: p.hour! % 24, minute: p.minute!, second: p.second! };
}

/** Offset of `tz` from UTC at instant `ms`, in minutes (Asia/Ho_Chi_Minh: 420). */
export function offsetMinutes(ms: number, tz: string): number {
  const s = Math.floor(ms / 1000) * 1000;
  const p = zonedParts(s, tz);
  return Math.round((Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - s) / 60_000);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function offsetString(min: number): string {
  const sign = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return `${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** ISO 8601 with the zone's offset at that instant, to the second: 2026-06-08T15:27:00+07:00. */
export function isoInZone(ms: number, tz: string): string {
  const off = offsetMinutes(ms, tz);
  const d = new Date(Math.floor(ms / 1000) * 1000 + off * 60_000);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${offsetString(off)}`
  );
}

/** Nullable variant for optional dates. */
export const isoInZoneOrNull = (ms: number | null, tz: string) => (ms === null ? null : isoInZone(ms, tz));

/** The local calendar date (YYYY-MM-DD) of instant `ms` in `tz`. */
export function dateInZone(ms: number, tz: string): string {
  const p = zonedParts(ms, tz);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** The instant at which the wall clock in `tz` reads the given local time (the earlier one in a DST overlap). */
export function zonedToUtc(year: number, month: number, day: number, hour: number, minute: number, tz: string): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  let guess = wall - offsetMinutes(wall, tz) * 60_000;
  // One correction covers a DST change between the wall time read as UTC and the real instant.
  const second = wall - offsetMinutes(guess, tz) * 60_000;
  if (second !== guess) guess = Math.min(second, guess);
  return guess;
}

export type Bucket = 'hour' | 'day';

/** Start of the local hour or local day containing `ms` in `tz`. */
export function bucketStart(ms: number, bucket: Bucket, tz: string): number {
  const p = zonedParts(ms, tz);
  // The local hour starts minute:second ago (offsets are whole minutes), DST or not.
  if (bucket === 'hour') return Math.floor(ms / 1000) * 1000 - (p.minute * 60 + p.second) * 1000;
  return zonedToUtc(p.year, p.month, p.day, 0, 0, tz);
}

/** Start of the bucket after the one starting at `start`. */
export function nextBucket(start: number, bucket: Bucket, tz: string): number {
  if (bucket === 'hour') {
    // Local hours are 60 minutes long in every zone whose DST shift is a whole hour.
    return start + 3_600_000;
  }
  const p = zonedParts(start, tz);
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day + 1));
  return zonedToUtc(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), 0, 0, tz);
}

/**
 * A fast isoInZone for long exports: the offset is looked up once per 15-minute slot
 * (every zone's offset changes only on such a boundary), the rest is arithmetic.
 */
export function zonedIsoFormatter(tz: string): (ms: number) => string {
  const offsets = new Map<number, number>();
  return (ms) => {
    const slot = Math.floor(ms / 900_000);
    let off = offsets.get(slot);
    if (off === undefined) {
      off = offsetMinutes(ms, tz);
      if (offsets.size > 50_000) offsets.clear();
      offsets.set(slot, off);
    }
    const d = new Date(Math.floor(ms / 1000) * 1000 + off * 60_000);
    return (
      `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
      `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${offsetString(off)}`
    );
  };
}
