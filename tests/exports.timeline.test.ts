import { describe, expect, it } from 'vitest';
import { bucketStart, isoInZone, nextBucket, zonedToUtc } from '../src/exports/zone.js';
import { createPoll, createSite, expectProblem, makeTestApp, newVoter, testClock, type TestApp } from './helpers/app.js';

/** Creates a poll on a site in `timezone` and casts one vote at each instant (UTC). */
async function pollVotedAt(timezone: string, instants: string[], start = '2026-06-01T00:00:00Z') {
  const clock = testClock(Date.parse(start));
  const t = await makeTestApp({}, { clock });
  await createSite(t, { timezone });
  const p = await createPoll(t);
  for (const at of instants) {
    clock.set(Date.parse(at));
    await t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: [p.options[0]!.id], voterId: newVoter() }).expect(201);
  }
  return { t, p };
}

const timeline = async (t: TestApp, pollId: string, q: string) => {
  const res = await t.admin.get(`/v1/admin/polls/${pollId}/timeline?${q}`);
  expect(res.status).toBe(200);
  return res.body as { pollId: string; bucket: string; timezone: string; total: number; buckets: { start: string; votes: number }[] };
};
const pairs = (b: { buckets: { start: string; votes: number }[] }) => b.buckets.map((x) => [x.start, x.votes]);

// 23:30 on 8 June, then 00:10, 00:50 and 03:05 on 9 June, Việt Nam time (UTC+7).
const NIGHT = ['2026-06-08T16:30:00Z', '2026-06-08T17:10:00Z', '2026-06-08T17:50:00Z', '2026-06-08T20:05:00Z'];

describe('poll timeline', () => {
  it('counts ballots per local hour, zero-filled between the first and the last', async () => {
    const { t, p } = await pollVotedAt('Asia/Ho_Chi_Minh', NIGHT);
    const body = await timeline(t, p.id, 'bucket=hour');
    expect(body).toMatchObject({ pollId: p.id, bucket: 'hour', timezone: 'Asia/Ho_Chi_Minh', total: 4 });
    expect(pairs(body)).toEqual([
      ['2026-06-08T23:00:00+07:00', 1],
      ['2026-06-09T00:00:00+07:00', 2],
      ['2026-06-09T01:00:00+07:00', 0],
      ['2026-06-09T02:00:00+07:00', 0],
      ['2026-06-09T03:00:00+07:00', 1],
    ]);
    // hour is the default bucket
    expect(pairs(await timeline(t, p.id, ''))).toEqual(pairs(body));
  });

  it('aligns days on local midnight: the same ballots fall on different days in different zones', async () => {
    const vn = await pollVotedAt('Asia/Ho_Chi_Minh', NIGHT);
    expect(pairs(await timeline(vn.t, vn.p.id, 'bucket=day'))).toEqual([
      ['2026-06-08T00:00:00+07:00', 1],
      ['2026-06-09T00:00:00+07:00', 3],
    ]);
    const utc = await pollVotedAt('UTC', NIGHT);
    expect(pairs(await timeline(utc.t, utc.p.id, 'bucket=day'))).toEqual([['2026-06-08T00:00:00+00:00', 4]]);
  });

  it('aligns hours on the local hour in a half-hour zone (Asia/Kolkata, UTC+5:30)', async () => {
    const { t, p } = await pollVotedAt('Asia/Kolkata', ['2026-06-08T18:20:00Z', '2026-06-08T18:40:00Z']);
    const hours = await timeline(t, p.id, 'bucket=hour');
    expect(pairs(hours)).toEqual([
      ['2026-06-08T23:00:00+05:30', 1],
      ['2026-06-09T00:00:00+05:30', 1],
    ]);
    expect(new Date(Date.parse(hours.buckets[0]!.start)).toISOString()).toBe('2026-06-08T17:30:00.000Z');
    expect(pairs(await timeline(t, p.id, 'bucket=day'))).toEqual([
      ['2026-06-08T00:00:00+05:30', 1],
      ['2026-06-09T00:00:00+05:30', 1],
    ]);
  });

  it('follows a daylight-saving change: a 23-hour day and a new offset (America/New_York)', async () => {
    const { t, p } = await pollVotedAt(
      'America/New_York',
      ['2026-03-08T04:30:00Z', '2026-03-09T03:30:00Z', '2026-03-09T12:00:00Z'],
      '2026-03-01T00:00:00Z',
    );
    expect(pairs(await timeline(t, p.id, 'bucket=day'))).toEqual([
      ['2026-03-07T00:00:00-05:00', 1],
      ['2026-03-08T00:00:00-05:00', 1],
      ['2026-03-09T00:00:00-04:00', 1],
    ]);
    const hours = await timeline(t, p.id, 'bucket=hour&from=2026-03-08T00:00:00-05:00&to=2026-03-08T05:00:00-04:00');
    // 02:00 does not exist that night: 01:00 EST is followed by 03:00 EDT.
    expect(hours.buckets.map((b) => b.start)).toEqual([
      '2026-03-08T00:00:00-05:00',
      '2026-03-08T01:00:00-05:00',
      '2026-03-08T03:00:00-04:00',
      '2026-03-08T04:00:00-04:00',
    ]);
  });

  it('zero-fills over from/to, given as dates in the site zone or as instants (to is exclusive)', async () => {
    const { t, p } = await pollVotedAt('Asia/Ho_Chi_Minh', NIGHT);
    expect(pairs(await timeline(t, p.id, 'bucket=day&from=2026-06-07&to=2026-06-10'))).toEqual([
      ['2026-06-07T00:00:00+07:00', 0],
      ['2026-06-08T00:00:00+07:00', 1],
      ['2026-06-09T00:00:00+07:00', 3],
      ['2026-06-10T00:00:00+07:00', 0],
    ]);
    const q = `bucket=hour&from=${encodeURIComponent('2026-06-09T00:00:00+07:00')}&to=${encodeURIComponent('2026-06-09T02:00:00+07:00')}`;
    const body = await timeline(t, p.id, q);
    expect(pairs(body)).toEqual([
      ['2026-06-09T00:00:00+07:00', 2],
      ['2026-06-09T01:00:00+07:00', 0],
    ]);
    expect(body.total).toBe(2);
  });

  it('shows a burst of ballot stuffing', async () => {
    const burst = Array.from({ length: 30 }, (_, i) => new Date(Date.parse('2026-06-09T03:00:00Z') + i * 1000).toISOString());
    const { t, p } = await pollVotedAt('Asia/Ho_Chi_Minh', ['2026-06-09T01:10:00Z', ...burst, '2026-06-09T05:40:00Z']);
    const body = await timeline(t, p.id, 'bucket=hour');
    const peak = body.buckets.reduce((a, b) => (b.votes > a.votes ? b : a));
    expect(peak).toEqual({ start: '2026-06-09T10:00:00+07:00', votes: 30 });
    expect(body.total).toBe(32);
  });

  it('answers an empty list for a poll without ballots, and refuses bad queries', async () => {
    const { t, p } = await pollVotedAt('Asia/Ho_Chi_Minh', []);
    expect(await timeline(t, p.id, 'bucket=day')).toMatchObject({ total: 0, buckets: [] });
    expectProblem(await t.admin.get(`/v1/admin/polls/${p.id}/timeline?bucket=week`), 400, 'validation_failed');
    expectProblem(await t.admin.get(`/v1/admin/polls/${p.id}/timeline?from=tomorrow`), 400, 'validation_failed');
    expectProblem(await t.admin.get(`/v1/admin/polls/${p.id}/timeline?from=2026-06-10&to=2026-06-09`), 400, 'validation_failed');
    expectProblem(await t.admin.get(`/v1/admin/polls/${p.id}/timeline?bucket=hour&from=2020-01-01&to=2026-01-01`), 400, 'range_too_large');
    expect((await timeline(t, p.id, 'bucket=day&from=2020-01-01&to=2026-01-01')).buckets).toHaveLength(2193);
    expectProblem(await t.admin.get('/v1/admin/polls/khong-co/timeline'), 404, 'not_found');
    const mod = (await t.services.keys.create({ name: 'Điều hành viên', role: 'moderator' })).key;
    expectProblem(await t.http.get(`/v1/admin/polls/${p.id}/timeline`).set('Authorization', `Bearer ${mod}`), 403, 'forbidden');
  });
});

describe('zone arithmetic', () => {
  it('formats instants with the zone offset and finds local bucket starts', () => {
    const t = Date.parse('2026-06-08T08:27:00Z');
    expect(isoInZone(t, 'Asia/Ho_Chi_Minh')).toBe('2026-06-08T15:27:00+07:00');
    expect(isoInZone(t, 'America/New_York')).toBe('2026-06-08T04:27:00-04:00');
    expect(isoInZone(t, 'Asia/Kathmandu')).toBe('2026-06-08T14:12:00+05:45');
    expect(isoInZone(bucketStart(t, 'day', 'Asia/Ho_Chi_Minh'), 'Asia/Ho_Chi_Minh')).toBe('2026-06-08T00:00:00+07:00');
    expect(isoInZone(bucketStart(t, 'hour', 'Asia/Kathmandu'), 'Asia/Kathmandu')).toBe('2026-06-08T14:00:00+05:45');
    expect(zonedToUtc(2026, 6, 9, 0, 0, 'Asia/Ho_Chi_Minh')).toBe(Date.parse('2026-06-08T17:00:00Z'));
    const day = zonedToUtc(2026, 11, 1, 0, 0, 'America/New_York'); // 25-hour day (DST ends)
    expect((nextBucket(day, 'day', 'America/New_York') - day) / 3_600_000).toBe(25);
  });
});
