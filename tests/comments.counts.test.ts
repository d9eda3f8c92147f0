import { describe, expect, it } from 'vitest';
import { approve, commentsApp, post } from './comments.fixtures.js';

// An article list ("Ý kiến (3)" beside each title) asks for many threads' counts in one request.
const url = (keys: string[], site = 'xa-a') => `/v1/sites/${site}/comment-counts?${keys.map((k) => `thread=${encodeURIComponent(k)}`).join('&')}`;
const threadUrl = (key: string) => `/v1/sites/xa-a/threads/${encodeURIComponent(key)}/comments`;

describe('GET /v1/sites/:site/comment-counts', () => {
  it('answers each asked thread with its visible comments, 0 for a thread nobody commented on', async () => {
    const t = await commentsApp();
    const a = '/2024/06/ke-hoach-206';
    const b = '/tin-tuc/lễ-hội-đình-làng'; // NFC Vietnamese in a path key
    for (let i = 0; i < 3; i++) await approve(t, await post(t, {}, threadUrl(a)));
    await post(t, {}, threadUrl(a)); // pending: not counted
    const parent = await post(t, {}, threadUrl(b));
    await approve(t, parent);
    await approve(t, await post(t, { parentId: parent }, threadUrl(b))); // a reply counts as the thread page counts it
    const c = '/bi-tu-choi';
    expect((await t.admin.post(`/v1/admin/comments/${await post(t, {}, threadUrl(c))}/reject`)).status).toBe(200);

    const res = await t.http.get(url([a, b, c, '/chua-co-binh-luan'])).set('Origin', 'https://xa-a.example.vn');
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('https://xa-a.example.vn');
    expect(res.body).toEqual({ counts: { [a]: 3, [b]: 2, [c]: 0, '/chua-co-binh-luan': 0 } });
    // Equal to what each thread's own page says.
    expect((await t.http.get(threadUrl(b))).body.total).toBe(2);
    // Equal to what each thread's own page says.
    expect((await t.http.get(threadUrl(a))).body.total).toBe(3);
  });

  it('takes a key in decomposed Unicode as its NFC form, and asks a repeated key once', async () => {
    const t = await commentsApp();
    const key = '/bài-viết';
    await approve(t, await post(t, {}, threadUrl(key)));
    const res = await t.http.get(url([key.normalize('NFD'), key]));
    expect(res.body).toEqual({ counts: { [key]: 1 } });
  });

  it('sees an approval at once (the cached answer is not stale)', async () => {
    const t = await commentsApp();
    const key = '/2024/06/ke-hoach-206';
    const id = await post(t, {}, threadUrl(key));
    const first = await t.http.get(url([key]));
    expect(first.body.counts[key]).toBe(0);
    expect((await t.http.get(url([key])).set('If-None-Match', String(first.headers.etag))).status).toBe(304);
    await approve(t, id);
    expect((await t.http.get(url([key]))).body.counts[key]).toBe(1);
  });

  it('refuses what it cannot answer with a problem naming why', async () => {
    const t = await commentsApp();
    const none = await t.http.get('/v1/sites/xa-a/comment-counts');
    expect(none.status).toBe(400);
    expect(none.body.code).toBe('validation_failed');
    const many = await t.http.get(url(Array.from({ length: 51 }, (_, i) => `/bai-${i}`)));
    expect(many.status).toBe(400);
    expect(JSON.stringify(many.body)).toMatch(/at most 50/);
    const control = await t.http.get(url(['/a\u0001b']));
    expect(control.status).toBe(400);
    const nul = await t.http.get(url(['/a\u0000b']));
    expect(nul.status).toBe(400);
    const unknown = await t.http.get(url(['/a'], 'xa-khong-co'));
    expect(unknown.status).toBe(404);
    const foreign = await t.http.get(url(['/a'])).set('Origin', 'https://evil.example');
    expect(foreign.status).toBe(403);
  });
});
