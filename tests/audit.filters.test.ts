import { describe, expect, it } from 'vitest';
import { base, post } from './comments.fixtures.js';
import { createSite, expectProblem, makeTestApp, testClock, type TestApp } from './helpers/app.js';

interface Entry {
  id: number;
  at: string;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  site: string | null;
  detail: Record<string, unknown> | null;
}

const DAY = 24 * 60 * 60_000;
const list = async (t: TestApp, query: string, key?: string): Promise<Entry[]> => {
  const req = key ? t.http.get(`/v1/admin/audit?${query}`).set('Authorization', `Bearer ${key}`) : t.admin.get(`/v1/admin/audit?${query}`);
  const res = await req;
  expect(res.status).toBe(200);
  return res.body.entries as Entry[];
};

/** Two sites, two admins (keys), a comment edited and approved on each site, across three days (Vietnam time). */
async function history() {
  // 18:00 UTC on 7 June: 01:00 on 8 June in Vietnam.
  const t = await makeTestApp({}, { clock: testClock(Date.parse('2026-06-07T18:00:00Z')) });
  const other = await t.services.keys.create({ name: 'Quản trị 2', role: 'admin' });
  const asOther = (u: string, body?: object) => t.http.patch(u).set('Authorization', `Bearer ${other.key}`).send(body);
  await createSite(t);
  await createSite(t, { id: 'xa-b', name: 'Xã B', origins: ['https://xa-b.example.vn'] });
  const a = await post(t);
  const b = await post(t, {}, base('xa-b'));
  t.clock.advance(DAY); // 9 June
  await t.admin.patch(`/v1/admin/comments/${a}`, { content: 'Nội dung đã sửa.' }).expect(200);
  await asOther(`/v1/admin/comments/${b}`, { content: 'Bản sửa của xã B.' }).expect(200);
  t.clock.advance(DAY); // 10 June
  await t.admin.post(`/v1/admin/comments/${a}/approve`).expect(200);
  await t.admin.post(`/v1/admin/comments/${b}/approve`).expect(200);
  const adminId = (await list(t, 'action=comment.approve'))[0]!.actorId!;
  return { t, a, b, other, adminId };
}

describe('GET /v1/admin/audit filters', () => {
  it("shows one comment's history, newest first, with the edit's before and after", async () => {
    const { t, a } = await history();
    const mine = await list(t, `targetType=comment&targetId=${a}`);
    expect(mine.map((e) => e.action)).toEqual(['comment.approve', 'comment.edit']);
    expect(mine[1]!.detail).toMatchObject({ before: expect.stringContaining('Đề nghị xã công khai'), after: 'Nội dung đã sửa.' });
    expect(mine.every((e) => e.targetId === a && e.site === 'xa-a')).toBe(true);
  });

  it('narrows to one person or key, and to a date range read in Vietnam', async () => {
    const { t, other, adminId } = await history();
    const byOther = await list(t, `actor=${other.row.id}`);
    expect(byOther.map((e) => [e.action, e.site])).toEqual([['comment.edit', 'xa-b']]);
    expect((await list(t, `actor=${adminId}&action=comment.edit`)).map((e) => e.site)).toEqual(['xa-a']);
    // 9 June in Vietnam holds the two edits; from the 10th the two approvals; up to the 8th the sites' creation.
    expect((await list(t, 'from=2026-06-09&to=2026-06-09')).map((e) => e.action)).toEqual(['comment.edit', 'comment.edit']);
    expect((await list(t, 'from=2026-06-10')).map((e) => e.action)).toEqual(['comment.approve', 'comment.approve']);
    expect((await list(t, 'to=2026-06-08')).every((e) => /^(site\.|key\.create$)/.test(e.action))).toBe(true); // the sites, and the test's admin key
    // An instant with its offset works as well: 9 June 01:00 in Vietnam is when the edits were made.
    expect(await list(t, `from=${encodeURIComponent('2026-06-09T01:00:01+07:00')}&to=2026-06-09`)).toEqual([]);
    // Filters combine with the cursor.
    const first = await t.admin.get('/v1/admin/audit?targetType=comment&limit=1');
    expect(first.body.entries).toHaveLength(1);
    const next = await list(t, `targetType=comment&limit=10&cursor=${first.body.nextCursor}`);
    expect(next.map((e) => e.action)).toEqual(['comment.approve', 'comment.edit', 'comment.edit']);
  });

  it("keeps a moderator to its own site's entries whatever the filters ask", async () => {
    const { t, b } = await history();
    const { key } = await t.services.keys.create({ name: 'Biên tập xã A', role: 'moderator', siteId: 'xa-a' });
    expect(await list(t, `targetType=comment&targetId=${b}`, key)).toEqual([]);
    expect((await list(t, 'targetType=comment', key)).every((e) => e.site === 'xa-a')).toBe(true);
    expectProblem(await t.http.get('/v1/admin/audit?site=xa-b').set('Authorization', `Bearer ${key}`), 403, 'forbidden');
  });

  it('refuses filters it cannot read', async () => {
    const { t } = await history();
    for (const q of ['from=hom-nay', 'to=2026-13-01', `actor=${'x'.repeat(201)}`, 'targetType=', 'cursor=-1']) {
      expectProblem(await t.admin.get(`/v1/admin/audit?${q}`), 400, 'validation_failed');
    }
  });
});
