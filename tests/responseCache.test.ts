import { describe, expect, it } from 'vitest';
import { approve, base, commentsApp, post } from './comments.fixtures.js';
import { createPoll, createSite, makeTestApp, newVoter, testClock } from './helpers/app.js';

/**
 * Hot public reads are answered from a cache emptied by any database write
 * (src/http/responseCache.ts). These tests prove an answer is never staler than the last write,
 * whoever made it, and that what the database does not hold (the clock, the voter) is in the key.
 */
describe('response cache of public reads', () => {
  it('shows a vote at once, to this voter and to everyone', async () => {
    const t = await makeTestApp();
    await createSite(t);
    const p = await createPoll(t);
    const voter = newVoter();
    for (let i = 0; i < 3; i++) expect((await t.http.get(`/v1/polls/${p.id}/results`)).body.total).toBe(0);
    expect((await t.http.get(`/v1/polls/${p.id}?voterId=${voter}`)).body.voted).toBe(false);
    await t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: [p.options[1]!.id], voterId: voter }).expect(201);
    expect((await t.http.get(`/v1/polls/${p.id}/results`)).body.total).toBe(1);
    expect((await t.http.get(`/v1/polls/${p.id}?voterId=${voter}`)).body.voted).toBe(true);
    expect((await t.http.get(`/v1/polls/${p.id}?voterId=${newVoter()}`)).body.voted).toBe(false);
  });

  it('sees a write committed by another instance on the same database', async () => {
    const t = await makeTestApp();
    await createSite(t);
    const p = await createPoll(t);
    expect((await t.http.get(`/v1/polls/${p.id}/results`)).body.options[0].votes).toBe(0);
    const other = await t.otherInstance();
    for (let i = 0; i < 7; i++) await other.post(`/v1/polls/${p.id}/votes`).send({ optionIds: [p.options[0]!.id], voterId: newVoter() }).expect(201);
    expect((await t.http.get(`/v1/polls/${p.id}/results`)).body.options[0].votes).toBe(7);
  });

  it('follows the clock: a poll whose closing time passes reads closed with no write in between', async () => {
    const clock = testClock();
    const t = await makeTestApp({}, { clock });
    await createSite(t);
    const closesAt = new Date(clock.now() + 60_000).toISOString();
    const p = await createPoll(t, { closesAt, resultsVisibility: 'after_close' });
    expect((await t.http.get(`/v1/polls/${p.id}`)).body).toMatchObject({ status: 'open', resultsVisible: false });
    expect((await t.http.get(`/v1/polls/${p.id}/results`)).status).toBe(403);
    clock.advance(61_000);
    expect((await t.http.get(`/v1/polls/${p.id}`)).body).toMatchObject({ status: 'closed', resultsVisible: true });
    expect((await t.http.get(`/v1/polls/${p.id}/results`)).status).toBe(200);
  });

  it('shows an approved comment at once, and drops a rejected one at once', async () => {
    const t = await commentsApp();
    const id = await post(t);
    expect((await t.http.get(base())).body.comments).toEqual([]);
    await approve(t, id);
    const listed = await t.http.get(base());
    expect(listed.body.comments.map((c: { id: string }) => c.id)).toEqual([id]);
    expect((await t.http.get(base()).set('If-None-Match', listed.headers.etag!)).status).toBe(304);
    expect((await t.admin.post(`/v1/admin/comments/${id}/reject`)).status).toBe(200);
    const after = await t.http.get(base()).set('If-None-Match', listed.headers.etag!);
    expect(after.status).toBe(200);
    expect(after.body.comments).toEqual([]);
  });

  it('keeps answers for different pages and sizes apart', async () => {
    const t = await commentsApp({}, { premoderation: false });
    for (let i = 0; i < 3; i++) await post(t, { content: `Ý kiến số ${i + 1} về kế hoạch.` });
    const one = await t.http.get(`${base()}?limit=1`);
    const all = await t.http.get(`${base()}?limit=3`);
    expect(one.body.comments).toHaveLength(1);
    expect(all.body.comments).toHaveLength(3);
    const next = await t.http.get(`${base()}?limit=1&cursor=${one.body.nextCursor}`);
    expect(next.body.comments[0].id).toBe(all.body.comments[1].id);
    expect((await t.http.get(`${base('khong-co-xa')}`)).status).toBe(404);
  });
});
