import { describe, expect, it } from 'vitest';
import { expectProblem, testClock } from './helpers/app.js';
import { approve, base, commentsApp, form, post, THREAD } from './comments.fixtures.js';

describe('moderation end to end', () => {
  it('post → pending and invisible → approved → visible, total follows', async () => {
    const t = await commentsApp();
    const res = await t.http.post(base()).set('User-Agent', 'Trinh duyet/1.0').send(form());
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: expect.any(String), status: 'pending' });
    const id = res.body.id as string;

    let page = await t.http.get(base());
    expect(page.status).toBe(200);
    expect(page.body).toEqual({ total: 0, comments: [], nextCursor: null });

    const queue = await t.admin.get('/v1/admin/comments?site=xa-a&status=pending');
    expect(queue.status).toBe(200);
    expect(queue.body.comments).toHaveLength(1);
    const pending = queue.body.comments[0];
    expect(pending).toMatchObject({
      id, site: 'xa-a', thread: THREAD, status: 'pending', email: 'an.nguyen@example.vn',
      userAgent: 'Trinh duyet/1.0',
    });
    expect(['::ffff:127.0.0.1', '127.0.0.1', '::1'].map((ip) => t.services.hasher.commentIp(ip))).toContain(pending.ipHash);
    expect(pending.ipHash).not.toContain('127.0.0.1');

    const approved = await approve(t, id);
    expect(approved).toMatchObject({ id, status: 'approved', moderatedBy: 'Test admin' });

    page = await t.http.get(base());
    expect(page.body.total).toBe(1);
    expect(page.body.comments).toEqual([
      { id, name: 'Nguyễn Văn An', address: 'Thôn 3, xã Tiên Ngọc', content: form().content, createdAt: expect.any(String), replies: [] },
    ]);
    // Private fields never appear publicly.
    const raw = JSON.stringify(page.body);
    for (const secret of ['an.nguyen@example.vn', pending.ipHash, 'Trinh duyet', 'email', 'ipHash', 'userAgent', 'status']) expect(raw).not.toContain(secret);

    // Reject takes it down again; approving twice does not double-count.
    await approve(t, id);
    expect((await t.http.get(base())).body.total).toBe(1);
    expect((await t.admin.post(`/v1/admin/comments/${id}/reject`)).body.status).toBe('rejected');
    expect((await t.http.get(base())).body).toMatchObject({ total: 0, comments: [] });
    expect((await t.admin.post(`/v1/admin/comments/${id}/spam`)).body.status).toBe('spam');
    await approve(t, id);
    expect((await t.admin.delete(`/v1/admin/comments/${id}`)).status).toBe(204);
    expect((await t.http.get(base())).body.total).toBe(0);
    expectProblem(await t.admin.post(`/v1/admin/comments/${id}/approve`), 404, 'not_found');
    expectProblem(await t.admin.delete(`/v1/admin/comments/${id}`), 404, 'not_found');
  });

  it('publishes at once (201) when the site has premoderation off', async () => {
    const t = await commentsApp({}, { premoderation: false });
    const res = await t.http.post(base()).send(form());
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String), status: 'approved',
      comment: { id: res.body.id, name: 'Nguyễn Văn An', address: 'Thôn 3, xã Tiên Ngọc', content: form().content, createdAt: expect.any(String), replies: [] },
    });
    expect((await t.http.get(base())).body.total).toBe(1);
  });

  it('keeps threads and sites apart', async () => {
    const t = await commentsApp({}, { premoderation: false });
    await t.admin.post('/v1/admin/sites', { id: 'xa-b', name: 'Xã B', premoderation: false });
    await post(t);
    await post(t, {}, base('xa-a', 'bai-khac'));
    await post(t, {}, base('xa-b'));
    expect((await t.http.get(base())).body.total).toBe(1);
    expect((await t.http.get(base('xa-a', 'bai-khac'))).body.total).toBe(1);
    expect((await t.http.get(base('xa-b'))).body.total).toBe(1);
    expect((await t.http.get(base('xa-a', 'chua-co'))).body).toEqual({ total: 0, comments: [], nextCursor: null });
    expectProblem(await t.http.get(base('khong-co')), 404, 'not_found');
  });

  it('pages oldest first with an opaque cursor', async () => {
    const clock = testClock();
    const t = await commentsApp({}, { premoderation: false }, clock);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(await post(t, { content: `Ý kiến số ${i}` }));
      clock.advance(1000);
    }
    const p1 = await t.http.get(`${base()}?limit=2`);
    expect(p1.body.comments.map((c: { id: string }) => c.id)).toEqual(ids.slice(0, 2));
    expect(p1.body.total).toBe(5);
    const p2 = await t.http.get(`${base()}?limit=2&cursor=${p1.body.nextCursor}`);
    expect(p2.body.comments.map((c: { id: string }) => c.id)).toEqual(ids.slice(2, 4));
    const p3 = await t.http.get(`${base()}?limit=2&cursor=${p2.body.nextCursor}`);
    expect(p3.body.comments.map((c: { id: string }) => c.id)).toEqual(ids.slice(4));
    expect(p3.body.nextCursor).toBeNull();
    expectProblem(await t.http.get(`${base()}?cursor=rubbish`), 400, 'validation_failed');
    expectProblem(await t.http.get(`${base()}?limit=0`), 400, 'validation_failed');
  });
});

describe('replies', () => {
  it('reply one level deep, only to approved comments of the same thread; total counts replies', async () => {
    const t = await commentsApp();
    const parent = await post(t);
    // Not yet approved: cannot be replied to.
    const early = await t.http.post(base()).send(form({ parentId: parent, content: 'Đồng ý!' }));
    expectProblem(early, 404, 'parent_not_found');
    expect(early.body.errors[0].field).toBe('parentId');
    await approve(t, parent);

    const reply = await post(t, { parentId: parent, name: 'Trần Thị Bích', content: 'Đồng ý!' });
    expect((await t.http.get(base())).body.total).toBe(1);
    await approve(t, reply);
    const page = await t.http.get(base());
    expect(page.body.total).toBe(2);
    expect(page.body.comments).toHaveLength(1);
    expect(page.body.comments[0].replies).toEqual([
      { id: reply, name: 'Trần Thị Bích', address: 'Thôn 3, xã Tiên Ngọc', content: 'Đồng ý!', createdAt: expect.any(String) },
    ]);

    // No reply to a reply, nor across threads, nor to an unknown id.
    expectProblem(await t.http.post(base()).send(form({ parentId: reply })), 422, 'reply_too_deep');
    expectProblem(await t.http.post(base('xa-a', 'bai-khac')).send(form({ parentId: parent })), 404, 'parent_not_found');
    expectProblem(await t.http.post(base()).send(form({ parentId: 'khongtontai' })), 404, 'parent_not_found');

    // Taking the parent down hides its replies too; putting it back restores both.
    await t.admin.post(`/v1/admin/comments/${parent}/reject`);
    expect((await t.http.get(base())).body).toMatchObject({ total: 0, comments: [] });
    await approve(t, parent);
    expect((await t.http.get(base())).body.total).toBe(2);
    // Deleting the parent deletes its replies.
    expect((await t.admin.delete(`/v1/admin/comments/${parent}`)).status).toBe(204);
    expect((await t.http.get(base())).body.total).toBe(0);
    expect(await t.sql.value('SELECT COUNT(*) FROM comments')).toBe(0);
  });
});

describe('bulk moderation', () => {
  it('applies one action to many comments atomically', async () => {
    const t = await commentsApp();
    const ids = [await post(t), await post(t), await post(t)];
    const res = await t.admin.post('/v1/admin/comments/moderate', { ids, action: 'approve' });
    expect(res.status).toBe(200);
    expect(res.body.results).toHaveLength(3);
    expect(res.body.results.every((r: { status: string }) => r.status === 'approved')).toBe(true);
    expect((await t.http.get(base())).body.total).toBe(3);

    const missing = await t.admin.post('/v1/admin/comments/moderate', { ids: [ids[0], 'khongtontai'], action: 'reject' });
    expectProblem(missing, 404, 'not_found');
    expect(missing.body.missing).toEqual(['khongtontai']);
    expect((await t.http.get(base())).body.total).toBe(3);

    expectProblem(await t.admin.post('/v1/admin/comments/moderate', { ids, action: 'publish' }), 400, 'validation_failed');
    expectProblem(await t.admin.post('/v1/admin/comments/moderate', { ids: [], action: 'approve' }), 400, 'validation_failed');

    const del = await t.admin.post('/v1/admin/comments/moderate', { ids, action: 'delete' });
    expect(del.body.results.map((r: { status: string }) => r.status)).toEqual(['deleted', 'deleted', 'deleted']);
    expect((await t.http.get(base())).body.total).toBe(0);
  });
});

describe('moderator keys and audit', () => {
  it('a moderator scoped to one site sees and acts only there; unscoped moderators see all', async () => {
    const t = await commentsApp();
    await t.admin.post('/v1/admin/sites', { id: 'xa-b', name: 'Xã B' });
    const a = await post(t);
    const b = await post(t, {}, base('xa-b'));
    const modA = (await t.services.keys.create({ name: 'Biên tập xã A', role: 'moderator', siteId: 'xa-a' })).key;
    const modAll = (await t.services.keys.create({ name: 'Biên tập tỉnh', role: 'moderator' })).key;
    const as = (key: string) => ({
      get: (u: string) => t.http.get(u).set('Authorization', `Bearer ${key}`),
      post: (u: string, body?: object) => t.http.post(u).set('Authorization', `Bearer ${key}`).send(body),
      delete: (u: string) => t.http.delete(u).set('Authorization', `Bearer ${key}`),
    });

    const mine = await as(modA).get('/v1/admin/comments');
    expect(mine.body.comments.map((c: { id: string }) => c.id)).toEqual([a]);
    expectProblem(await as(modA).get('/v1/admin/comments?site=xa-b'), 403, 'forbidden');
    expectProblem(await as(modA).post(`/v1/admin/comments/${b}/approve`), 403, 'forbidden');
    expectProblem(await as(modA).get(`/v1/admin/comments/${b}`), 403, 'forbidden');
    expectProblem(await as(modA).delete(`/v1/admin/comments/${b}`), 403, 'forbidden');
    expectProblem(await as(modA).post('/v1/admin/comments/moderate', { ids: [a, b], action: 'approve' }), 403, 'forbidden');
    expectProblem(await as(modA).delete('/v1/admin/commenters?site=xa-b&email=an.nguyen@example.vn'), 403, 'forbidden');
    expect((await t.admin.get(`/v1/admin/comments/${b}`)).body.status).toBe('pending');
    expect((await t.admin.get(`/v1/admin/comments/${a}`)).body.status).toBe('pending');

    expect((await as(modA).post(`/v1/admin/comments/${a}/approve`)).status).toBe(200);
    const all = await as(modAll).get('/v1/admin/comments');
    expect(all.body.comments.map((c: { id: string }) => c.id).sort()).toEqual([a, b].sort());
    expect((await as(modAll).post(`/v1/admin/comments/${b}/approve`)).status).toBe(200);

    // Moderators may not manage webhooks; no key at all is 401.
    expectProblem(await t.http.put('/v1/admin/sites/xa-a/webhook').set('Authorization', `Bearer ${modA}`).send({ url: 'https://h.example/x', secret: 's'.repeat(20) }), 403, 'forbidden');
    expectProblem(await t.http.get('/v1/admin/comments'), 401, 'unauthorized');

    // Audit: who, what, when; the scoped moderator sees only its site's entries.
    const audit = await as(modA).get('/v1/admin/audit?action=comment.approve');
    expect(audit.body.entries).toEqual([
      expect.objectContaining({ actor: 'Biên tập xã A', action: 'comment.approve', targetType: 'comment', targetId: a, site: 'xa-a', at: expect.any(String), detail: { thread: THREAD, from: 'pending', to: 'approved' } }),
    ]);
    const adminAudit = await t.admin.get('/v1/admin/audit?action=comment.approve');
    expect(adminAudit.body.entries.map((e: { actor: string }) => e.actor)).toEqual(['Biên tập tỉnh', 'Biên tập xã A']);
  });

  it('records every moderation action, bulk ones included, without private data', async () => {
    const t = await commentsApp();
    const [x, y] = [await post(t), await post(t)];
    await t.admin.post(`/v1/admin/comments/${x}/spam`);
    await t.admin.post('/v1/admin/comments/moderate', { ids: [x, y], action: 'reject' });
    await t.admin.delete(`/v1/admin/comments/${y}`);
    const entries = (await t.admin.get('/v1/admin/audit?site=xa-a')).body.entries as { action: string; targetId: string; detail: unknown }[];
    expect(entries.filter((e) => e.action.startsWith('comment.')).map((e) => `${e.action} ${e.targetId}`)).toEqual([
      `comment.delete ${y}`, `comment.reject ${y}`, `comment.reject ${x}`, `comment.spam ${x}`,
    ]);
    expect(JSON.stringify(entries)).not.toContain('an.nguyen@example.vn');
  });

  it('lists with filters and a cursor, newest first', async () => {
    const clock = testClock();
    const t = await commentsApp({}, {}, clock);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(await post(t));
      clock.advance(1000);
    }
    ids.push(await post(t, {}, base('xa-a', 'bai-khac')));
    await approve(t, ids[0]!);
    const p1 = await t.admin.get('/v1/admin/comments?site=xa-a&status=pending&limit=2');
    expect(p1.body.comments.map((c: { id: string }) => c.id)).toEqual([ids[3], ids[2]]);
    const p2 = await t.admin.get(`/v1/admin/comments?site=xa-a&status=pending&limit=2&cursor=${p1.body.nextCursor}`);
    expect(p2.body.comments.map((c: { id: string }) => c.id)).toEqual([ids[1]]);
    expect(p2.body.nextCursor).toBeNull();
    const th = await t.admin.get(`/v1/admin/comments?site=xa-a&thread=${THREAD}`);
    expect(th.body.comments).toHaveLength(3);
    expectProblem(await t.admin.get('/v1/admin/comments?status=deleted'), 400, 'validation_failed');
    expectProblem(await t.admin.get('/v1/admin/comments?site=khong-co'), 404, 'not_found');
  });
});

describe('commenter erasure', () => {
  it('erases every comment of one e-mail on a site, counters and audit included', async () => {
    const t = await commentsApp();
    await t.admin.post('/v1/admin/sites', { id: 'xa-b', name: 'Xã B' });
    const mine1 = await post(t, { email: 'An.Nguyen@Example.vn' });
    const mine2 = await post(t, { content: 'Ý kiến thứ hai' }, base('xa-a', 'bai-khac'));
    const other = await post(t, { email: 'binh@example.vn', name: 'Lê Bình' });
    const elsewhere = await post(t, {}, base('xa-b'));
    await approve(t, mine1);
    await approve(t, other);
    const replyByOther = await post(t, { parentId: mine1, email: 'binh@example.vn' });
    await approve(t, replyByOther);
    expect((await t.http.get(base())).body.total).toBe(3);

    const res = await t.admin.delete('/v1/admin/commenters?site=xa-a&email=an.nguyen@EXAMPLE.vn');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ erased: 2, repliesRemoved: 1 });
    const left = await t.sql.column('SELECT id FROM comments ORDER BY id');
    expect(left.sort()).toEqual([other, elsewhere].sort());
    expect(left).not.toContain(mine2);
    expect((await t.http.get(base())).body.total).toBe(1);
    expect(await t.sql.value("SELECT COUNT(*) FROM comments WHERE email = 'an.nguyen@example.vn'")).toBe(1); // xa-b untouched

    const audit = (await t.admin.get('/v1/admin/audit?action=commenter.erase')).body.entries;
    expect(audit).toEqual([expect.objectContaining({ actor: 'Test admin', site: 'xa-a', detail: { comments: 2, repliesRemoved: 1 } })]);
    expect(JSON.stringify(audit)).not.toContain('example.vn');

    // Without a site, an admin erases everywhere.
    expect((await t.admin.delete('/v1/admin/commenters?email=an.nguyen@example.vn')).body).toEqual({ erased: 1, repliesRemoved: 0 });
    expect(await t.sql.value("SELECT COUNT(*) FROM comments WHERE email = 'an.nguyen@example.vn'")).toBe(0);
    expectProblem(await t.admin.delete('/v1/admin/commenters?site=xa-a'), 400, 'validation_failed');
    expect((await t.admin.delete('/v1/admin/commenters?site=xa-a&email=nobody@example.vn')).body).toEqual({ erased: 0, repliesRemoved: 0 });
  });
});
