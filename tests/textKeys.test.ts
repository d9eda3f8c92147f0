import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { form } from './comments.fixtures.js';
import { createSite, expectProblem, makeTestApp, newVoter, type TestApp } from './helpers/app.js';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const ARTICLE = '/tin-tuc/2026/ke-hoach-206.html';

/** What a portal has at hand: the article's path, as the widget sends it (one encodeURIComponent). */
const comments = (key: string, site = 'xa-a') => `/v1/sites/${site}/threads/${encodeURIComponent(key)}/comments`;
const views = (key: string, site = 'xa-a') => `/v1/sites/${site}/pages/${encodeURIComponent(key)}/views`;

async function setup() {
  const t = await makeTestApp();
  await createSite(t, { premoderation: false });
  return t;
}

const threadKeys = (t: TestApp) => t.sql.column<string>('SELECT thread_key FROM comments ORDER BY created_at, id');
/** Sorted here: the two backends' ORDER BY collates text differently. */
const pageKeys = async (t: TestApp) => (await t.sql.column<string>('SELECT page_key FROM counter_pages')).sort();

/** A raw HTTP/1.1 request whose path is sent byte for byte, as a browser sends what encodeURIComponent made. */
async function raw(t: TestApp, method: string, path: string, body?: unknown) {
  const server = t.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const { port } = server.address() as AddressInfo;
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return await new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          headers: { 'User-Agent': CHROME, ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') }));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

describe('thread and page keys are text: an article path works as written', () => {
  it('posts and reads comments under a path key; "/" arrives as "/" and the route still matches', async () => {
    const t = await setup();
    const url = comments(ARTICLE);
    expect(url).toBe('/v1/sites/xa-a/threads/%2Ftin-tuc%2F2026%2Fke-hoach-206.html/comments');
    expect((await t.http.post(url).send(form())).status).toBe(201);
    const list = await t.http.get(url);
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(1);
    expect(await threadKeys(t)).toEqual([ARTICLE]);
    // Moderators find it by the same key, in a query string.
    const queue = await t.admin.get(`/v1/admin/comments?site=xa-a&thread=${encodeURIComponent(ARTICLE)}`);
    expect(queue.body.comments.map((c: { thread: string }) => c.thread)).toEqual([ARTICLE]);
    // Another article of the same folder is another thread.
    expect((await t.http.get(comments('/tin-tuc/2026/khac.html'))).body.total).toBe(0);
  });

  it('counts views under a path key, and the admin can set its starting figure', async () => {
    const t = await setup();
    const r = await t.http.post(views(ARTICLE)).set('User-Agent', CHROME).send({ visitorId: newVoter() });
    expect(r.status).toBe(200);
    expect(r.body.views).toBe(1);
    const put = await t.admin.put('/v1/admin/sites/xa-a/counters', { pages: { [ARTICLE]: 58 } });
    expect(put.status).toBe(200);
    expect((await t.http.get(views(ARTICLE))).body.views).toBe(58);
    expect(await pageKeys(t)).toEqual([ARTICLE]);
  });

  it('stores Vietnamese keys in NFC: typed with combining marks, it is the same thread', async () => {
    const t = await setup();
    const nfc = 'tin tức/ế';
    const nfd = nfc.normalize('NFD');
    expect(nfd).not.toBe(nfc);
    expect((await t.http.post(comments(nfd)).send(form())).status).toBe(201);
    expect(await threadKeys(t)).toEqual([nfc]);
    expect((await t.http.get(comments(nfc))).body.total).toBe(1);
    expect((await t.http.get(comments(nfd))).body.total).toBe(1);
    await t.http.post(views(nfd)).set('User-Agent', CHROME).send({ visitorId: newVoter() }).expect(200);
    expect(await pageKeys(t)).toEqual([nfc]);
  });

  it('takes 200 characters (code points, not bytes or UTF-16 units) and refuses 201', async () => {
    const t = await setup();
    for (const unit of ['a', 'ế', '😀']) {
      expect((await t.http.get(comments(unit.repeat(200)))).status, unit).toBe(200);
      expectProblem(await t.http.get(comments(unit.repeat(201))), 400, 'validation_failed');
      expect((await t.http.get(views(unit.repeat(200)))).status, unit).toBe(200);
      expectProblem(await t.http.get(views(unit.repeat(201))), 400, 'validation_failed');
    }
  });

  it('refuses control characters, bidi overrides, lone surrogates, empty keys and dot segments', async () => {
    const t = await setup();
    const bad = ['a\u0000b', 'a\nb', 'a\tb', 'a\u007fb', 'a\u0085b', 'abc\u202Egpj.exe', 'a\u2066b', '   ', '.', '..', ' .. '];
    for (const key of bad) {
      expectProblem(await t.http.post(comments(key)).send(form()), 400, 'validation_failed');
      expectProblem(await t.http.post(views(key)).set('User-Agent', CHROME).send({ visitorId: newVoter() }), 400, 'validation_failed');
      expectProblem(await t.http.get(comments(key)), 400, 'validation_failed');
    }
    // A lone surrogate cannot even be percent-encoded as UTF-8; its bytes, sent anyway, are not UTF-8.
    expectProblem(await t.http.get('/v1/sites/xa-a/threads/a%ED%A0%80b/comments'), 400, 'bad_request');
    // Broken escapes are a clean 400 too.
    for (const seg of ['%', '%ZZ', '%E1%BB', '%C0%AF'])
      expect((await t.http.get(`/v1/sites/xa-a/threads/${seg}/comments`)).status, seg).toBe(400);
    expect(await threadKeys(t)).toEqual([]);
    expect(await pageKeys(t)).toEqual([]);
  });

  it('trims a key like any typed text, and keeps "." and ".." inside a key harmless', async () => {
    const t = await setup();
    await t.http.post(comments('  /a/b.html  ')).send(form()).expect(201);
    await t.http.post(comments('/a/../b.html')).send(form()).expect(201);
    expect((await threadKeys(t)).sort()).toEqual(['/a/../b.html', '/a/b.html']);
    expect((await t.http.get(comments('/a/b.html'))).body.total).toBe(1);
  });

  it('decodes once: a literal "%2F" in a key (sent as %252F) stays "%2F", another key than "/"', async () => {
    const t = await setup();
    await t.http.post(comments('tin-tuc%2Fa')).send(form()).expect(201);
    expect(await threadKeys(t)).toEqual(['tin-tuc%2Fa']);
    expect((await t.http.get(comments('tin-tuc/a'))).body.total).toBe(0);
    expect((await t.http.get(comments('tin-tuc%2Fa'))).body.total).toBe(1);
  });

  it('keeps the keys of existing rows (the old URL-safe keys are still valid and reach the same rows)', async () => {
    const t = await setup();
    await t.sql.run("INSERT INTO counter_pages (site_id, page_key, views) VALUES ('xa-a', 'tin-cu%2F2019', 731), ('xa-a', 'ke-hoach-206-kh-hu', 58)");
    expect((await t.http.get(views('tin-cu%2F2019'))).body.views).toBe(731);
    expect((await t.http.get(views('ke-hoach-206-kh-hu'))).body.views).toBe(58);
  });

  it('works over a raw socket with exactly the bytes a browser sends', async () => {
    const t = await setup();
    const key = '/tin-tuc/2026/kế-hoạch 206.html?x=1#y';
    const path = `/v1/sites/xa-a/threads/${encodeURIComponent(key)}/comments`;
    expect(path).toBe('/v1/sites/xa-a/threads/%2Ftin-tuc%2F2026%2Fk%E1%BA%BF-ho%E1%BA%A1ch%20206.html%3Fx%3D1%23y/comments');
    const posted = await raw(t, 'POST', path, form());
    expect(posted.status).toBe(201);
    const read = await raw(t, 'GET', path);
    expect(read).toMatchObject({ status: 200, body: { total: 1 } });
    expect(await threadKeys(t)).toEqual([key]);
    const counted = await raw(t, 'POST', `/v1/sites/xa-a/pages/${encodeURIComponent(key)}/views`, { visitorId: newVoter() });
    expect(counted).toMatchObject({ status: 200, body: { views: 1 } });
    expect(await pageKeys(t)).toEqual([key]);
    // The same path unencoded is other segments: no route, a clean 404.
    expect((await raw(t, 'GET', `/v1/sites/xa-a/threads${ARTICLE}/comments`)).status).toBe(404);
  });
});
