// console/time.ts: what an admin types in a datetime-local input is the SITE's wall clock, sent with the
// offset that zone has on that day — not the PC's, and not a hard-coded +07:00.
import { describe, expect, it } from 'vitest';
import { isoToWall, offsetText, wallToIso } from '../../console/time.js';

describe('the console\'s wall clock ↔ ISO instants', () => {
  it('sends the site zone\'s offset on that day', () => {
    expect(wallToIso('2026-12-31T17:00', 'Asia/Ho_Chi_Minh')).toBe('2026-12-31T17:00:00+07:00');
    expect(wallToIso('2026-12-31T17:00', 'Asia/Tokyo')).toBe('2026-12-31T17:00:00+09:00');
    expect(wallToIso('2026-06-09T08:30', 'Asia/Kolkata')).toBe('2026-06-09T08:30:00+05:30');
    // Daylight saving: New York is UTC−5 in January, UTC−4 in July; just after the spring change, −4.
    expect(wallToIso('2026-01-15T09:00', 'America/New_York')).toBe('2026-01-15T09:00:00-05:00');
    expect(wallToIso('2026-07-15T09:00', 'America/New_York')).toBe('2026-07-15T09:00:00-04:00');
    expect(wallToIso('2026-03-08T03:30', 'America/New_York')).toBe('2026-03-08T03:30:00-04:00');
    expect(wallToIso('', 'Asia/Ho_Chi_Minh')).toBeNull();
  });

  it('shows an instant as the site\'s wall clock, and back to the same instant', () => {
    expect(isoToWall('2026-12-31T10:00:00.000Z', 'Asia/Ho_Chi_Minh')).toBe('2026-12-31T17:00');
    expect(isoToWall('2026-12-31T08:00:00.000Z', 'Asia/Tokyo')).toBe('2026-12-31T17:00');
    expect(isoToWall(null, 'Asia/Tokyo')).toBe('');
    for (const zone of ['Asia/Ho_Chi_Minh', 'Asia/Kolkata', 'America/New_York', 'Europe/London', 'UTC'])
      for (const iso of ['2026-01-15T02:45:00.000Z', '2026-07-01T23:15:00.000Z'])
        expect(new Date(wallToIso(isoToWall(iso, zone), zone)!).toISOString()).toBe(iso);
    expect(offsetText(-210)).toBe('-03:30');
  });
});
