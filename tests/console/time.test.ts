// console/time.ts: a typed wall-clock time of a site's zone becomes the right instant, and back.
import { describe, expect, it } from 'vitest';
import { isoToZoned, zonedToIso } from '../../console/time.js';

describe('console time fields in the site\'s zone', () => {
  it('reads the typed time in the site\'s zone, not the browser\'s and not always +07:00', () => {
    expect(zonedToIso('2026-06-08T08:00', 'Asia/Ho_Chi_Minh')).toBe('2026-06-08T01:00:00.000Z');
    expect(zonedToIso('2026-06-08T08:00', 'Asia/Tokyo')).toBe('2026-06-07T23:00:00.000Z');
    expect(zonedToIso('2026-06-08T08:00', 'UTC')).toBe('2026-06-08T08:00:00.000Z');
    expect(zonedToIso('2026-06-08T08:00', 'America/New_York')).toBe('2026-06-08T12:00:00.000Z');
    expect(zonedToIso('2026-01-01T00:30', 'Asia/Kolkata')).toBe('2025-12-31T19:00:00.000Z');
    expect(zonedToIso('', 'Asia/Ho_Chi_Minh')).toBeNull();
  });

  it('follows daylight saving time (Europe/Berlin): winter +01:00, summer +02:00, the changes themselves', () => {
    expect(zonedToIso('2026-01-15T09:00', 'Europe/Berlin')).toBe('2026-01-15T08:00:00.000Z');
    expect(zonedToIso('2026-07-15T09:00', 'Europe/Berlin')).toBe('2026-07-15T07:00:00.000Z');
    // 29 March 2026: 02:00 jumps to 03:00. The last winter minute, the first summer one, and a time that never was.
    expect(zonedToIso('2026-03-29T01:59', 'Europe/Berlin')).toBe('2026-03-29T00:59:00.000Z');
    expect(zonedToIso('2026-03-29T03:00', 'Europe/Berlin')).toBe('2026-03-29T01:00:00.000Z');
    expect(zonedToIso('2026-03-29T02:30', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z');
    // 25 October 2026: 03:00 goes back to 02:00, so 02:30 happens twice: the first one.
    expect(zonedToIso('2026-10-25T02:30', 'Europe/Berlin')).toBe('2026-10-25T00:30:00.000Z');
    expect(zonedToIso('2026-10-25T03:30', 'Europe/Berlin')).toBe('2026-10-25T02:30:00.000Z');
  });

  it('shows a stored instant as the site\'s wall clock, and a round trip changes nothing', () => {
    expect(isoToZoned('2026-06-08T01:00:00.000Z', 'Asia/Ho_Chi_Minh')).toBe('2026-06-08T08:00');
    expect(isoToZoned('2026-06-08T08:00:00+07:00', 'Europe/Berlin')).toBe('2026-06-08T03:00');
    expect(isoToZoned('2026-10-25T01:30:00.000Z', 'Europe/Berlin')).toBe('2026-10-25T02:30'); // the second 02:30
    expect(isoToZoned(null, 'Europe/Berlin')).toBe('');
    for (const zone of ['Asia/Ho_Chi_Minh', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe'])
      for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 7 * 3_600_000 + 60_000) {
        const local = isoToZoned(new Date(ms).toISOString(), zone);
        expect(isoToZoned(zonedToIso(local, zone), zone), `${zone} ${local}`).toBe(local);
      }
  });
});
