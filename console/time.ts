// <input type="datetime-local"> holds a wall clock without a zone; the API wants an instant. The wall clock
// is the SITE's (its `timezone`), whatever the PC's zone, and the offset is that zone's on that day.

const parts = (zone: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** The wall clock of `zone` at instant `ms`, as milliseconds of a UTC date showing the same figures. */
function wallOf(ms: number, zone: string): number {
  const p = Object.fromEntries(parts(zone).formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
}

/** The zone's offset from UTC at instant `ms`, in minutes (Asia/Ho_Chi_Minh: 420). */
export const offsetMinutes = (ms: number, zone: string) => Math.round((wallOf(ms, zone) - ms) / 60_000);

/** "+07:00", "-03:30" */
export function offsetText(minutes: number): string {
  const m = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/**
 * "2026-12-31T17:00" typed in `zone` → "2026-12-31T17:00:00+07:00"; empty → null. The offset is found for that
 * instant (twice, so a time near a daylight-saving change gets the offset in force then).
 */
export function wallToIso(local: string, zone: string): string | null {
  if (!local) return null;
  const asUtc = Date.parse(`${local.length === 16 ? `${local}:00` : local}Z`);
  if (Number.isNaN(asUtc)) return null;
  let offset = offsetMinutes(asUtc, zone);
  offset = offsetMinutes(asUtc - offset * 60_000, zone);
  return `${local.slice(0, 16)}:00${offsetText(offset)}`;
}

/** An instant → the "YYYY-MM-DDTHH:mm" a datetime-local input shows for `zone`; null → "". */
export function isoToWall(iso: string | null, zone: string): string {
  if (!iso) return '';
  return new Date(wallOf(Date.parse(iso), zone)).toISOString().slice(0, 16);
}
