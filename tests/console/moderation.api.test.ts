// The admin API additions the console needs: queue counts, date and text filters, editing a
// comment's text (audited with before and after), and a reply from the editors. Through a
// moderator's session, the way the console calls them.
import { describe, expect, it } from 'vitest';
import { accountsApp, createUser, signIn } from '../accounts.helpers.js';
import { base, post, THREAD } from '../comments.fixtures.js';
import { createSite, expectProblem, testClock } from '../helpers/app.js';

async function twoSites() {
  const clock = testClock(Date.parse('2026-06-08T08:00:00Z'));
  const t = await accountsApp({ CAPTCHA: 'off' }, { clock });
  await createSite(t);
  await createSite(t, { id: 'xa-b', name: 'Xã B', origins: ['https://xa-b.example.vn'] });
  await createUser(t, { username: 'bientap-a', role: 'moderator', sites: ['xa-a'], displayName: 'Biên tập xã A' });
  await createUser(t, { username: 'bientap-b', role: 'moderator', sites: ['xa-b'] });
  return { t, clock, a: await signIn(t, 'bientap-a'), b: await signIn(t, 'bientap-b') };
}

describe('queue counts and filters', () => {
  it('counts each status under the same filters as the list: date range in the site\'s zone, text, article', async () => {
    const { t, clock } = await twoSites();
    const first = await post(t, { content: 'Đề nghị sửa đường thôn 3' }); // 2026-06-08 15:00 in Vietnam
    clock.set(Date.parse('2026-06-08T18:30:00Z')); // 01:30 on the 9th in Vietnam
    const second = await post(t, { name: 'Trần Thị Bích', content: 'Cảm ơn UBND xã' });
    const third = await post(t, { content: 'Hỏi về đường điện' }, base('xa-a', 'bai-khac'));
    expect((await t.admin.post(`/v1/admin/comments/${third}/approve`)).status).toBe(200);
    await post(t, { content: 'Bình luận của xã B về đường' }, base('xa-b'));
    const a = await signIn(t, 'bientap-a'); // the first session went idle while the clock moved

    const counts = async (q: string) => {
      const r = await a.get(`/v1/admin/comments/counts?site=xa-a${q}`);
      expect(r.status).toBe(200);
      return r.body.counts;
    };
    expect(await counts('')).toEqual({ pending: 2, approved: 1, rejected: 0, spam: 0 });
    expect(await counts('&from=2026-06-09')).toEqual({ pending: 1, approved: 1, rejected: 0, spam: 0 });
    expect(await counts('&to=2026-06-08')).toEqual({ pending: 1, approved: 0, rejected: 0, spam: 0 });
    expect(await counts(`&q=${encodeURIComponent('ĐƯỜNG')}`)).toEqual({ pending: 1, approved: 1, rejected: 0, spam: 0 });
    expect(await counts(`&thread=${THREAD}`)).toEqual({ pending: 2, approved: 0, rejected: 0, spam: 0 });

    const list = async (q: string) => (await a.get(`/v1/admin/comments?site=xa-a&status=pending${q}`)).body.comments.map((c: { id: string }) => c.id);
    expect(await list('&q=b%C3%ADch')).toEqual([second]);
    expect(await list('&from=2026-06-08&to=2026-06-08')).toEqual([first]);
    expect(await list('&from=2026-06-08T16:00:00%2B07:00')).toEqual([second]);
  });

  it('searches without letter case or Vietnamese marks, as commune staff type: NGUYỄN, nguyen and Nguyễn are one', async () => {
    const { t, a } = await twoSites();
    const an = await post(t, { name: 'Nguyễn Văn An', content: 'Đề nghị sửa cống' });
    const road = await post(t, { name: 'Lê Bình', content: 'ĐƯỜNG LÀNG BỊ HỎNG' });
    const list = async (q: string) => (await a.get(`/v1/admin/comments?site=xa-a&q=${encodeURIComponent(q)}`)).body.comments.map((c: { id: string }) => c.id);
    for (const q of ['NGUYỄN', 'nguyen', 'Nguyễn', 'Nguyễn'.normalize('NFD'), 'NGUYEN VAN']) expect(await list(q), q).toEqual([an]);
    for (const q of ['đường', 'duong lang', 'Đường làng']) expect(await list(q), q).toEqual([road]);
    expect((await a.get(`/v1/admin/comments/counts?site=xa-a&q=${encodeURIComponent('hỏng')}`)).body.counts).toEqual({ pending: 1, approved: 0, rejected: 0, spam: 0 });
  });

  it('refuses another site\'s counts, a reversed range and bad dates', async () => {
    const { a } = await twoSites();
    expectProblem(await a.get('/v1/admin/comments/counts?site=xa-b'), 403, 'forbidden');
    expectProblem(await a.get('/v1/admin/comments/counts?site=xa-a&from=2026-06-09&to=2026-06-08'), 400, 'validation_failed');
    expectProblem(await a.get('/v1/admin/comments/counts?site=xa-a&from=hom-qua'), 400, 'validation_failed');
    expectProblem(await a.get('/v1/admin/comments/counts?site=xa-a&status=pending'), 400, 'validation_failed');
    // Without a site, a moderator's counts are their own site's only.
    expect((await a.get('/v1/admin/comments/counts')).body.counts).toEqual({ pending: 0, approved: 0, rejected: 0, spam: 0 });
  });
});

describe('PATCH /v1/admin/comments/:id', () => {
  it('changes the text, keeps the status, and audits the person with before and after', async () => {
    const { t, a } = await twoSites();
    const id = await post(t, { content: 'Số điện thoại của tôi 0905 123 456, đề nghị sửa đường' });
    const before = (await a.get(`/v1/admin/comments/${id}`)).body.content;
    const res = await a.patch(`/v1/admin/comments/${id}`, { content: 'Đề nghị sửa đường' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, content: 'Đề nghị sửa đường', status: 'pending' });
    const audit = (await t.admin.get('/v1/admin/audit?action=comment.edit')).body.entries;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'Biên tập xã A', actorId: 'user:bientap-a', targetId: id, site: 'xa-a', detail: { before, after: 'Đề nghị sửa đường' } });
    // Approved afterwards, readers see the corrected text only.
    expect((await a.post(`/v1/admin/comments/${id}/approve`)).status).toBe(200);
    const thread = (await t.http.get(base())).body;
    expect(thread.comments.map((c: { content: string }) => c.content)).toEqual(['Đề nghị sửa đường']);
  });

  it('refuses another site\'s comment, empty text, unknown fields and a missing comment, changing nothing', async () => {
    const { t, a, b } = await twoSites();
    const id = await post(t, { content: 'Nội dung gốc' });
    expectProblem(await b.patch(`/v1/admin/comments/${id}`, { content: 'Bị sửa' }), 403, 'forbidden');
    expectProblem(await a.patch(`/v1/admin/comments/${id}`, { content: '   ' }), 400, 'validation_failed');
    expectProblem(await a.patch(`/v1/admin/comments/${id}`, { content: 'x', status: 'approved' }), 400, 'validation_failed');
    expectProblem(await a.patch('/v1/admin/comments/khongco1', { content: 'x' }), 404, 'not_found');
    // The session's CSRF token is required for an edit like for any write.
    expectProblem(await t.http.patch(`/v1/admin/comments/${id}`).set('Cookie', `__Host-ykien_session=${a.token}`).set('Origin', 'https://ykien.example.vn').send({ content: 'x' }), 403, 'csrf_invalid');
    expect((await a.get(`/v1/admin/comments/${id}`)).body.content).toBe('Nội dung gốc');
    expect((await t.admin.get('/v1/admin/audit?action=comment.edit')).body.entries).toEqual([]);
  });
});

describe('the words an edit\'s audit entry quotes go with the comment', () => {
  const PHONE = '0905 123 456';
  /** The comment.edit entries as the log shows them, and whether any still holds the phone number. */
  async function editEntries(t: Awaited<ReturnType<typeof twoSites>>['t']) {
    const entries = (await t.admin.get('/v1/admin/audit?action=comment.edit')).body.entries as { targetId: string; actor: string; detail: Record<string, unknown> }[];
    const stored = (await t.sql.column("SELECT detail FROM audit_log WHERE action = 'comment.edit'")).map(String).join(' ');
    return { entries, leaks: stored.includes(PHONE) || JSON.stringify(entries).includes(PHONE) };
  }

  it('deleting a comment (and with it its replies) keeps who edited it and when, not what it said', async () => {
    const { t, a } = await twoSites();
    const id = await post(t, { content: `Gọi tôi ${PHONE}` });
    await a.post(`/v1/admin/comments/${id}/approve`).expect(200);
    const reply = await post(t, { parentId: id, content: `Tôi cũng vậy, ${PHONE}` });
    await a.patch(`/v1/admin/comments/${id}`, { content: 'Đề nghị sửa đường' }).expect(200);
    await a.patch(`/v1/admin/comments/${reply}`, { content: 'Tôi cũng vậy' }).expect(200);
    const kept = await post(t, { content: `Giữ lại ${PHONE}` });
    await a.patch(`/v1/admin/comments/${kept}`, { content: 'Giữ lại' }).expect(200);

    await a.delete(`/v1/admin/comments/${id}`).expect(204);
    const { entries } = await editEntries(t);
    expect(entries).toHaveLength(3);
    for (const gone of [id, reply])
      expect(entries.find((e) => e.targetId === gone)).toMatchObject({ actor: 'Biên tập xã A', detail: { thread: THREAD, textErased: true } });
    expect(entries.find((e) => e.targetId === id)!.detail).not.toHaveProperty('before');
    expect(entries.find((e) => e.targetId === reply)!.detail).not.toHaveProperty('after');
    // Another comment's entry is untouched.
    expect(entries.find((e) => e.targetId === kept)!.detail).toEqual({ thread: THREAD, before: `Giữ lại ${PHONE}`, after: 'Giữ lại' });
  });

  it('erasing a commenter and deleting a site leave no quoted words of their comments', async () => {
    const { t, a } = await twoSites();
    const mine = await post(t, { email: 'an@example.vn', content: `Số của tôi ${PHONE}` });
    await a.patch(`/v1/admin/comments/${mine}`, { content: 'Đã sửa' }).expect(200);
    await t.admin.delete('/v1/admin/commenters?site=xa-a&email=an@example.vn').expect(200);
    expect((await editEntries(t)).entries[0]).toMatchObject({ targetId: mine, detail: { textErased: true } });
    expect((await editEntries(t)).leaks).toBe(false);

    const onB = await post(t, { content: `Xã B ${PHONE}` }, base('xa-b'));
    await t.admin.patch(`/v1/admin/comments/${onB}`, { content: 'Xã B' }).expect(200);
    expect((await editEntries(t)).leaks).toBe(true);
    await t.admin.delete('/v1/admin/sites/xa-b?confirm=xa-b').expect(200);
    const after = await editEntries(t);
    expect(after.entries.map((e) => e.targetId).sort()).toEqual([mine, onB].sort());
    expect(after.leaks).toBe(false);
  });
});

describe('POST /v1/admin/comments/:id/reply', () => {
  it('publishes a reply from the editors under an approved comment, on the public thread at once', async () => {
    const { t, a } = await twoSites();
    const id = await post(t, { content: 'Khi nào sửa đường?' });
    expect((await a.post(`/v1/admin/comments/${id}/approve`)).status).toBe(200);
    const res = await a.post(`/v1/admin/comments/${id}/reply`, { content: 'Tháng 7 năm 2026 sẽ thi công.' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ parentId: id, status: 'approved', name: 'Ban biên tập', email: null, content: 'Tháng 7 năm 2026 sẽ thi công.' });
    const thread = (await t.http.get(base())).body;
    expect(thread.total).toBe(2);
    expect(thread.comments[0].replies).toEqual([expect.objectContaining({ id: res.body.id, name: 'Ban biên tập', content: 'Tháng 7 năm 2026 sẽ thi công.' })]);
    const audit = (await t.admin.get('/v1/admin/audit?action=comment.reply')).body.entries;
    expect(audit[0]).toMatchObject({ actor: 'Biên tập xã A', targetId: res.body.id, detail: { parentId: id } });
  });

  it('refuses a pending parent, a reply to a reply and another site\'s comment, storing nothing', async () => {
    const { t, a, b } = await twoSites();
    const pending = await post(t, { content: 'Chưa duyệt' });
    expectProblem(await a.post(`/v1/admin/comments/${pending}/reply`, { content: 'Trả lời' }), 409, 'parent_not_approved');
    expect((await a.post(`/v1/admin/comments/${pending}/approve`)).status).toBe(200);
    expectProblem(await b.post(`/v1/admin/comments/${pending}/reply`, { content: 'Trả lời' }), 403, 'forbidden');
    const reply = (await a.post(`/v1/admin/comments/${pending}/reply`, { content: 'Trả lời một' })).body.id;
    expectProblem(await a.post(`/v1/admin/comments/${reply}/reply`, { content: 'Trả lời hai' }), 422, 'reply_too_deep');
    expect((await t.http.get(base())).body.total).toBe(2);
  });
});
