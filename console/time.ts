// Wall-clock times of a site's zone, for <input type="datetime-local"> ("YYYY-MM-DDTHH:mm"), and the
// instants the API takes and gives (ISO 8601). Intl knows every IANA zone and its daylight saving rules.

const formats = new Map<string, Intl.DateTimeFormat>();
function formatIn(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formats.set(timeZone, f);
  }
  return f;
}

/** The zone's wall clock at an instant, as the epoch ms of the same digits read in UTC. */
function wallClock(ms: number, timeZone: string): number {
  const p = Object.fromEntries(formatIn(timeZone).formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
}

const offsetAt = (ms: number, timeZone: string) => wallClock(ms, timeZone) - Math.floor(ms / 1000) * 1000;

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/**
 * The instant a wall-clock time of the zone names, as ISO 8601 in UTC; null for an empty field. A time
 * that occurs twice (clocks turned back) is the first; one that never occurs (clocks turned forward) is
 * read with the offset before the change, so 02:30 on a spring-forward night in Berlin is 03:30 summer time.
 */
export function zonedToIso(local: string, timeZone: string): string | null {
  const m = LOCAL.exec(local);
  if (!m) return null;
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  // The zone's offsets half a day either side of the guess: its offset at that wall-clock time is one of them.
  const candidates = [offsetAt(asUtc - 86_400_000 / 2, timeZone), offsetAt(asUtc + 86_400_000 / 2, timeZone)]
    .map((offset) => asUtc - offset)
    .filter((ms) => wallClock(ms, timeZone) === asUtc)
    .sort((a, b) => a - b);
  const ms = candidates[0] ?? asUtc - offsetAt(asUtc - 86_400_000 / 2, timeZone);
  return new Date(ms).toISOString();
}

/** The zone's wall clock at an instant, for a datetime-local field; '' for none. */
export function isoToZoned(iso: string | null, timeZone: string): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  return new Date(wallClock(ms, timeZone)).toISOString().slice(0, 16);
}
