import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { expectProblem } from './helpers/app.js';
import { base, commentsApp, form } from './comments.fixtures.js';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

// The receivers below listen on 127.0.0.1: these apps allow private webhook targets (WEBHOOK_ALLOW_PRIVATE).

/** A real local HTTP server answering each request with the next status in `statuses` (then 204). */
async function receiver(statuses: number[] = []) {
  const got: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 204;
      res.end();
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got };
}

const SECRET = 'bi-mat-cua-xa-a-0123456789';
const verify = (secret: string, body: string, header: string | string[] | undefined) => {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  const given = Buffer.from(String(header));
  return given.length === expected.length && timingSafeEqual(given, expected);
};

describe('moderation webhook', () => {
  it('POSTs a signed JSON body after the response when a comment waits for moderation', async () => {
    const t = await commentsApp({ WEBHOOK_ALLOW_PRIVATE: true });
    const hook = await receiver();
    const set = await t.admin.put('/v1/admin/sites/xa-a/webhook', { url: hook.url, secret: SECRET });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ site: 'xa-a', url: hook.url, createdAt: expect.any(String), updatedAt: expect.any(String) });
    expect(JSON.stringify(set.body)).not.toContain(SECRET);
    expect((await t.admin.get('/v1/admin/sites/xa-a/webhook')).body.url).toBe(hook.url);

    const res = await t.http.post(base()).send(form());
    expect(res.status).toBe(202);
    await t.services.comments.webhooks.idle();

    expect(hook.got).toHaveLength(1);
    const { headers, body } = hook.got[0]!;
    expect(headers['content-type']).toMatch(/^application\/json/);
    expect(headers['x-ykien-event']).toBe('comment.pending');
    expect(verify(SECRET, body, headers['x-ykien-signature'])).toBe(true);
    expect(verify('another-secret-000000', body, headers['x-ykien-signature'])).toBe(false);
    const payload = JSON.parse(body);
    expect(payload).toMatchObject({
      event: 'comment.pending', site: 'xa-a', thread: 'ke-hoach-206-kh-hu',
      comment: { id: res.body.id, status: 'pending', name: 'Nguyễn Văn An', content: form().content },
    });
    // The webhook names no e-mail and no IP hash.
    expect(body).not.toContain('an.nguyen@example.vn');
    expect(body).not.toContain('ipHash');

    const audit = await t.admin.get('/v1/admin/audit?action=webhook.set');
    expect(audit.body.entries[0]).toMatchObject({ actor: 'Test admin', site: 'xa-a', detail: { url: hook.url } });
    expect(JSON.stringify(audit.body)).not.toContain(SECRET);
  });

  it('retries a failing receiver with backoff and stops at the first success', async () => {
    const t = await commentsApp({ WEBHOOK_ALLOW_PRIVATE: true, WEBHOOK_MAX_ATTEMPTS: 4, WEBHOOK_RETRY_BASE_MS: 5 });
    const hook = await receiver([503, 500]);
    await t.admin.put('/v1/admin/sites/xa-a/webhook', { url: hook.url, secret: SECRET });
    await t.http.post(base()).send(form());
    await t.services.comments.webhooks.idle();
    expect(hook.got).toHaveLength(3);
    // The same delivery, body and signature every time.
    expect(new Set(hook.got.map((g) => g.headers['x-ykien-delivery'])).size).toBe(1);
    expect(new Set(hook.got.map((g) => g.body)).size).toBe(1);
  });

  it('gives up after WEBHOOK_MAX_ATTEMPTS, and a dead receiver never affects the commenter', async () => {
    const t = await commentsApp({ WEBHOOK_ALLOW_PRIVATE: true, WEBHOOK_MAX_ATTEMPTS: 2, WEBHOOK_RETRY_BASE_MS: 1 });
    const hook = await receiver([500, 500, 500]);
    await t.admin.put('/v1/admin/sites/xa-a/webhook', { url: hook.url, secret: SECRET });
    expect((await t.http.post(base()).send(form())).status).toBe(202);
    await t.services.comments.webhooks.idle();
    expect(hook.got).toHaveLength(2);

    // Nothing listens on this port: the request still succeeds.
    const dead = await receiver();
    await new Promise((r) => servers.pop()!.close(r));
    await t.admin.put('/v1/admin/sites/xa-a/webhook', { url: dead.url, secret: SECRET });
    expect((await t.http.post(base()).send(form({ content: 'Gửi khi máy nhận đã tắt.' }))).status).toBe(202);
    await t.services.comments.webhooks.idle();
  });

  it('a 4xx answer is not retried; approved comments send nothing', async () => {
    const t = await commentsApp({ WEBHOOK_ALLOW_PRIVATE: true }, { premoderation: false });
    const hook = await receiver([400]);
    await t.admin.put('/v1/admin/sites/xa-a/webhook', { url: hook.url, secret: SECRET });
    expect((await t.http.post(base()).send(form())).status).toBe(201);
    await t.services.comments.webhooks.idle();
    expect(hook.got).toHaveLength(0);
    // Spam (too many links) does wait for a moderator.
    await t.http.post(base()).send(form({ content: 'https://a.example https://b.example https://c.example' }));
    await t.services.comments.webhooks.idle();
    expect(hook.got).toHaveLength(1);
    expect(hook.got[0]!.headers['x-ykien-event']).toBe('comment.spam');
  });

  it('admin endpoints validate, and can remove the webhook', async () => {
    const t = await commentsApp({ WEBHOOK_ALLOW_PRIVATE: true });
    expectProblem(await t.admin.put('/v1/admin/sites/xa-a/webhook', { url: 'ftp://x.example', secret: SECRET }), 400, 'validation_failed');
    expectProblem(await t.admin.put('/v1/admin/sites/xa-a/webhook', { url: 'https://x.example', secret: 'short' }), 400, 'validation_failed');
    expectProblem(await t.admin.put('/v1/admin/sites/khong-co/webhook', { url: 'https://x.example', secret: SECRET }), 404, 'not_found');
    expectProblem(await t.admin.get('/v1/admin/sites/xa-a/webhook'), 404, 'not_found');
    await t.admin.put('/v1/admin/sites/xa-a/webhook', { url: 'https://x.example/hook', secret: SECRET });
    expect((await t.admin.delete('/v1/admin/sites/xa-a/webhook')).status).toBe(204);
    expectProblem(await t.admin.delete('/v1/admin/sites/xa-a/webhook'), 404, 'not_found');
    expect(await t.sql.value('SELECT COUNT(*) FROM site_webhooks')).toBe(0);
  });
});
