import { Writable } from 'node:stream';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { testConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { tempDatabase } from './helpers/app.js';

const EMAIL = 'nguyen.van.an@example.vn';
const CLIENT_IP = '203.0.113.77';

describe('logs', () => {
  it('carry a request id per request and never a key, an e-mail or a raw IP', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const { storage, file } = tempDatabase();
    const config = testConfig({ DATABASE_PATH: file, TRUST_PROXY: 'loopback', LOG_LEVEL: 'trace' });
    const app = await createApp({ storage, config, logger: createLogger(config, sink) });
    const key = (await app.locals.services.keys.create({ name: 'Quản trị', role: 'admin' })).key;
    const http = request(app);
    const withClient = (r: request.Test) => r.set('X-Forwarded-For', `${CLIENT_IP}, 10.0.0.1`).set('User-Agent', 'LogTest/1.0');

    const site = await withClient(http.post('/v1/admin/sites')).set('Authorization', `Bearer ${key}`).send({ id: 'xa-a', name: 'Xã A', premoderation: true });
    expect(site.status).toBe(201);
    // An e-mail in a body, in a refused body, and in a query string.
    const posted = await withClient(http.post('/v1/sites/xa-a/threads/bai-1/comments').set('X-Request-Id', 'req-log-test-1')).send({ name: 'An', email: EMAIL, content: 'Ý kiến' });
    expect(posted.status).toBe(202);
    expect(posted.headers['x-request-id']).toBe('req-log-test-1');
    const refused = await withClient(http.post('/v1/sites/xa-a/threads/bai-1/comments')).send({ name: 'An', email: EMAIL, content: '' });
    expect(refused.status).toBe(400);
    const erased = await withClient(http.delete(`/v1/admin/commenters?site=xa-a&email=${encodeURIComponent(EMAIL)}`)).set('Authorization', `Bearer ${key}`);
    expect(erased.status).toBeLessThan(300);
    // A wrong key, a missing route, malformed JSON.
    await withClient(http.get('/v1/admin/audit')).set('Authorization', `Bearer ${key.slice(0, -2)}xx`).expect(401);
    await withClient(http.get('/khong-co')).expect(404);
    // E-mails and IPs typed into a path are masked too.
    await withClient(http.get(`/khong-co/${encodeURIComponent(EMAIL)}`)).expect(404);
    // (An e-mail is a valid thread key now; a bad limit keeps this a logged 4xx.)
    await withClient(http.get(`/v1/sites/xa-a/threads/${EMAIL}/comments?limit=0`)).expect(400);
    await withClient(http.get(`/v1/polls/${CLIENT_IP}`)).expect(404);
    await withClient(http.get('/v1/polls/2001:db8::7')).expect(404);
    await withClient(http.post('/v1/admin/sites')).set('Authorization', `Bearer ${key}`).set('Content-Type', 'application/json').send(`{"email":"${EMAIL}"`).expect(400);
    await withClient(http.get('/metrics')).set('Authorization', `Bearer ${key}`).expect(200);

    expect(lines.length).toBeGreaterThanOrEqual(8);
    const entries = lines.map((l) => JSON.parse(l) as { req?: { id?: string; path?: string }; level: number; service: string });
    const requests = entries.filter((e) => e.req);
    expect(requests.length).toBeGreaterThanOrEqual(8);
    for (const e of requests) {
      expect(e.service).toBe('ykien');
      expect(e.req!.id).toMatch(/^[A-Za-z0-9._:-]{1,64}$/);
    }
    expect(requests.some((e) => e.req!.id === 'req-log-test-1')).toBe(true);
    expect(new Set(requests.map((e) => e.req!.id)).size).toBe(requests.length);

    const all = lines.join('\n');
    expect(all).not.toContain(key);
    expect(all).not.toContain(key.slice(3, 20));
    expect(all).not.toContain('Bearer');
    expect(all).not.toContain(EMAIL);
    expect(all).not.toContain(encodeURIComponent(EMAIL));
    expect(all).not.toContain(CLIENT_IP);
    expect(all).not.toContain('127.0.0.1');
    expect(all).not.toContain('10.0.0.1');
    expect(all).not.toContain('LogTest');
    expect(all).not.toContain('2001:db8');
    expect(all).toContain('/khong-co/[redacted]');
  });
});

describe('logs and audit hide what is typed or pasted in disguise (issue 10 §6)', () => {
  async function logged(config = testConfig({ LOG_LEVEL: 'trace' })) {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const { storage, file } = tempDatabase();
    const app = await createApp({ storage, config: { ...config, DATABASE_PATH: file }, logger: createLogger(config, sink) });
    return { app, lines, http: request(app) };
  }

  it('masks double- and triple-encoded e-mails and IPs, and API keys pasted into a path', async () => {
    const { app, lines, http } = await logged();
    const key = (await app.locals.services.keys.create({ name: 'Quản trị', role: 'admin' })).key;
    const paths = [
      '/khong-co/nguyen.van.an%2540example.vn',
      '/khong-co/nguyen.van.an%252540example.vn',
      '/v1/polls/203%252E0%252E113%252E77',
      '/v1/polls/2001%253Adb8%253A%253A7',
      `/v1/admin/${key}`,
      `/khong-co/${key.replace('_', '%5F')}/x`,
      `/khong-co/${encodeURIComponent(encodeURIComponent(key))}`,
      '/khong-co/%E0%A4%A/nguyen.van.an%2540example.vn',
    ];
    for (const p of paths) expect((await http.get(p)).status).toBeGreaterThanOrEqual(400);
    const all = lines.join('\n');
    for (const secret of ['nguyen.van.an', 'example.vn', '203%252E0', '113%252E77', '2001%253A', 'db8%253A', key.slice(3, 20), key.slice(-12)]) expect(all).not.toContain(secret);
    expect(all).toContain('/khong-co/[redacted]');
    expect(all).toContain('/v1/admin/[redacted]');
    expect(lines.filter((l) => l.includes('"req"')).length).toBe(paths.length);
  });

  it('the audit log shows a webhook URL without its query values or long path tokens, even to a moderator', async () => {
    const { app, http } = await logged();
    const admin = (await app.locals.services.keys.create({ name: 'Quản trị', role: 'admin' })).key;
    await http.post('/v1/admin/sites').set('Authorization', `Bearer ${admin}`).send({ id: 'xa-a', name: 'Xã A' }).expect(201);
    const moderator = (await app.locals.services.keys.create({ name: 'Kiểm duyệt', role: 'moderator', siteId: 'xa-a' })).key;
    const url = 'https://hooks.example.vn/services/T0123/B0456/Xk2qP9vR7tLm4Wn8Zc1Yb5Hd?token=bi-mat-cua-xa-a&channel=kiem-duyet';
    await http.put('/v1/admin/sites/xa-a/webhook').set('Authorization', `Bearer ${admin}`).send({ url, secret: 'bi-mat-ky-webhook-0123456789' }).expect(200);
    // A row written before this version, with the URL in full.
    await app.locals.services.audit.record({ actor: 'cũ', action: 'webhook.set', targetType: 'site', targetId: 'xa-a', siteId: 'xa-a', detail: { url } });
    const res = await http.get('/v1/admin/audit?action=webhook.set').set('Authorization', `Bearer ${moderator}`);
    expect(res.status).toBe(200);
    expect(res.body.entries).toHaveLength(2);
    for (const e of res.body.entries) expect(e.detail.url).toBe('https://hooks.example.vn/services/T0123/B0456/[redacted]?token=[redacted]&channel=[redacted]');
    const text = JSON.stringify(res.body);
    for (const secret of ['bi-mat-cua-xa-a', 'kiem-duyet', 'Xk2qP9vR7tLm4Wn8Zc1Yb5Hd']) expect(text).not.toContain(secret);
    // The admin's own view of the webhook still has the whole URL (it is theirs to manage).
    expect((await http.get('/v1/admin/sites/xa-a/webhook').set('Authorization', `Bearer ${admin}`)).body.url).toBe(url);
  });
});
