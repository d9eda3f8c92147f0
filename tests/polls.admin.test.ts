import { describe, expect, it } from 'vitest';
import { createPoll, createSite, expectProblem, makeTestApp, newVoter, PORTAL_POLL, testClock } from './helpers/app.js';

describe('admin polls API', () => {
  it('creates a poll with generated URL-safe ids and the portal question in Vietnamese', async () => {
    const t = await makeTestApp();
    await createSite(t);
    const res = await t.admin.post('/v1/admin/polls', { site: 'xa-a', ...PORTAL_POLL, maxChoices: 1 });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/v1/admin/polls/${res.body.id}`);
    expect(res.body.id).toMatch(/^[a-z0-9]{10}$/);
    expect(res.body).toMatchObject({
      site: 'xa-a',
      question: PORTAL_POLL.question,
      maxChoices: 1,
      status: 'open',
      resultsVisibility: 'always',
      results: { total: 0, voters: 0 },
    });
    expect(res.body.options.map((o: { label: string }) => o.label)).toEqual(PORTAL_POLL.options);
    for (const o of res.body.options) expect(o.id).toMatch(/^[a-z0-9]+$/);
  });

  it('normalises labels to NFC and refuses duplicates', async () => {
    const t = await makeTestApp();
    await createSite(t);
    const nfd = 'Đẹp, tiện lợi tra cứu'.normalize('NFD');
    const res = await t.admin.post('/v1/admin/polls', { site: 'xa-a', question: 'Câu hỏi?', options: [nfd, 'Khác'] });
    expect(res.status).toBe(201);
    expect(res.body.options[0].label).toBe('Đẹp, tiện lợi tra cứu'.normalize('NFC'));
    const dup = await t.admin.post('/v1/admin/polls', { site: 'xa-a', question: 'Câu hỏi?', options: ['Có', 'có'] });
    expectProblem(dup, 400, 'validation_failed');
  });

  it('validates the body: unknown site, bad dates, maxChoices, unknown fields', async () => {
    const t = await makeTestApp();
    await createSite(t);
    expectProblem(await t.admin.post('/v1/admin/polls', { site: 'nope', ...PORTAL_POLL }), 404, 'not_found');
    expectProblem(await t.admin.post('/v1/admin/polls', { site: 'xa-a', ...PORTAL_POLL, maxChoices: 4 }), 400, 'validation_failed');
    expectProblem(await t.admin.post('/v1/admin/polls', { site: 'xa-a', ...PORTAL_POLL, options: ['Một'] }), 400, 'validation_failed');
    expectProblem(
      await t.admin.post('/v1/admin/polls', { site: 'xa-a', ...PORTAL_POLL, opensAt: '2026-12-02T00:00:00Z', closesAt: '2026-12-01T00:00:00Z' }),
      400,
      'validation_failed',
    );
    expectProblem(await t.admin.post('/v1/admin/polls', { site: 'xa-a', ...PORTAL_POLL, opensAt: 'tomorrow' }), 400, 'validation_failed');
    const extra = await t.admin.post('/v1/admin/polls', { site: 'xa-a', ...PORTAL_POLL, isAdmin: true });
    expectProblem(extra, 400, 'validation_failed');
    expect(JSON.stringify(extra.body.errors)).toContain('isAdmin');
    expect((await t.sql.rows('SELECT COUNT(*) AS n FROM polls'))[0]).toEqual({ n: 0 });
    expect((await t.sql.rows('SELECT COUNT(*) AS n FROM poll_options'))[0]).toEqual({ n: 0 });
  });

  it('lists polls by site, reads one, and deletes it with its ballots', async () => {
    const t = await makeTestApp();
    await createSite(t);
    await createSite(t, { id: 'xa-b', name: 'Xã B' });
    const a = await createPoll(t);
    await createPoll(t, { site: 'xa-b' });
    const list = await t.admin.get('/v1/admin/polls?site=xa-a');
    expect(list.status).toBe(200);
    expect(list.body.polls.map((p: { id: string }) => p.id)).toEqual([a.id]);
    expect((await t.admin.get('/v1/admin/polls')).body.polls).toHaveLength(2);
    await t.http.post(`/v1/polls/${a.id}/votes`).send({ optionIds: [a.options[0]!.id], voterId: newVoter() }).expect(201);
    const one = await t.admin.get(`/v1/admin/polls/${a.id}`);
    expect(one.body.results.total).toBe(1);
    expect((await t.admin.delete(`/v1/admin/polls/${a.id}`)).status).toBe(204);
    expectProblem(await t.admin.get(`/v1/admin/polls/${a.id}`), 404, 'not_found');
    expectProblem(await t.http.get(`/v1/polls/${a.id}`), 404, 'not_found');
    expect((await t.sql.rows('SELECT COUNT(*) AS n FROM ballots'))[0]).toEqual({ n: 0 });
    expectProblem(await t.admin.delete(`/v1/admin/polls/${a.id}`), 404, 'not_found');
  });

  it('edits freely before votes; after votes refuses removing or relabelling options (409) but allows adding', async () => {
    const t = await makeTestApp();
    await createSite(t);
    const p = await createPoll(t);
    const [o1, o2, o3] = p.options as [{ id: string; label: string }, { id: string; label: string }, { id: string; label: string }];
    const relabel = await t.admin.patch(`/v1/admin/polls/${p.id}`, {
      question: 'Bạn thấy cổng thông tin thế nào?',
      options: [{ id: o1.id, label: 'Bình thường thôi' }, { id: o2.id, label: o2.label }],
    });
    expect(relabel.status).toBe(200);
    expect(relabel.body.options).toEqual([{ id: o1.id, label: 'Bình thường thôi' }, { id: o2.id, label: o2.label }]);
    expect((await t.sql.rows('SELECT COUNT(*) AS n FROM poll_options WHERE id = ?', o3.id))[0]).toEqual({ n: 0 });

    await t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: [o1.id], voterId: newVoter() }).expect(201);
    const refused = await t.admin.patch(`/v1/admin/polls/${p.id}`, { options: [{ id: o1.id, label: 'Khác hẳn' }, { id: o2.id, label: o2.label }] });
    expectProblem(refused, 409, 'poll_has_votes');
    expect(refused.body.relabelled).toEqual([o1.id]);
    expectProblem(await t.admin.patch(`/v1/admin/polls/${p.id}`, { options: [{ id: o2.id, label: o2.label }, { label: 'Mới' }] }), 409, 'poll_has_votes');

    const added = await t.admin.patch(`/v1/admin/polls/${p.id}`, {
      options: [{ id: o1.id, label: 'Bình thường thôi' }, { id: o2.id, label: o2.label }, { label: 'Cần chỉnh sửa thêm' }],
    });
    expect(added.status).toBe(200);
    expect(added.body.options).toHaveLength(3);
    expect(added.body.results.options[0]).toMatchObject({ id: o1.id, votes: 1, percent: 100 });

    const audit = await t.admin.get('/v1/admin/audit?action=poll.update');
    expect(audit.body.entries).toHaveLength(2);
    expect(audit.body.entries[0]).toMatchObject({ actor: 'Test admin', targetId: p.id, site: 'xa-a' });
  });

  it('closes a poll: later votes get poll_closed and results show as closed', async () => {
    const t = await makeTestApp();
    await createSite(t);
    const p = await createPoll(t, { resultsVisibility: 'after_close' });
    const closed = await t.admin.post(`/v1/admin/polls/${p.id}/close`);
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
    expect(closed.body.closedAt).not.toBeNull();
    expectProblem(await t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: [p.options[0]!.id], voterId: newVoter() }), 409, 'poll_closed');
    expect((await t.http.get(`/v1/polls/${p.id}/results`)).status).toBe(200);
  });

  it('reopens a poll closed by mistake (or past its closing date), keeping its ballots', async () => {
    const clock = testClock(Date.parse('2026-12-01T00:00:00Z'));
    const t = await makeTestApp({}, { clock });
    await createSite(t);
    const p = await createPoll(t, { closesAt: '2026-12-05T00:00:00Z' });
    await t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: [p.options[0]!.id], voterId: newVoter() }).expect(201);
    await t.admin.post(`/v1/admin/polls/${p.id}/close`).expect(200);
    const reopened = await t.admin.post(`/v1/admin/polls/${p.id}/reopen`);
    expect(reopened.body).toMatchObject({ status: 'open', closedAt: null, closesAt: '2026-12-05T00:00:00.000Z', results: { total: 1 } });
    await t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: [p.options[1]!.id], voterId: newVoter() }).expect(201);
    clock.set(Date.parse('2026-12-06T00:00:00Z'));
    expect((await t.admin.get(`/v1/admin/polls/${p.id}`)).body.status).toBe('closed');
    const again = await t.admin.post(`/v1/admin/polls/${p.id}/reopen`);
    expect(again.body).toMatchObject({ status: 'open', closesAt: null, results: { total: 2 } });
    expect((await t.admin.post(`/v1/admin/polls/${p.id}/reopen`)).status).toBe(200); // already open: nothing to do
    expect((await t.admin.get('/v1/admin/audit?action=poll.reopen')).body.entries).toHaveLength(2);
    expectProblem(await t.admin.post('/v1/admin/polls/khong-co/reopen'), 404, 'not_found');
  });

  it('needs an admin key: none → 401, moderator → 403, revoked → 401', async () => {
    const t = await makeTestApp();
    await createSite(t);
    expectProblem(await t.http.get('/v1/admin/polls'), 401, 'unauthorized');
    expectProblem(await t.http.get('/v1/admin/polls').set('Authorization', 'Bearer nonsense'), 401, 'unauthorized');
    expectProblem(await t.http.get('/v1/admin/polls').set('Authorization', 'Basic abc'), 401, 'unauthorized');
    const mod = await t.services.keys.create({ name: 'Kiểm duyệt', role: 'moderator', siteId: 'xa-a' });
    expectProblem(await t.http.get('/v1/admin/polls').set('Authorization', `Bearer ${mod.key}`), 403, 'forbidden');
    expectProblem(
      await t.http.post('/v1/admin/polls').set('Authorization', `Bearer ${mod.key}`).send({ site: 'xa-a', ...PORTAL_POLL }),
      403,
      'forbidden',
    );
    const other = await t.services.keys.create({ name: 'Khác', role: 'admin' });
    expect((await t.http.get('/v1/admin/polls').set('Authorization', `Bearer ${other.key}`)).status).toBe(200);
    await t.services.keys.revoke(other.row.id);
    expectProblem(await t.http.get('/v1/admin/polls').set('Authorization', `Bearer ${other.key}`), 401, 'unauthorized');
  });
});
