import type http from 'node:http';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { keepAliveAgent, request } from '../../scripts/lib/http.js';
import { solvePow, type PowChallenge } from '../comments.fixtures.js';
import { runCommand } from '../helpers/cli.js';
import { startInstance, type Instance } from '../helpers/instances.js';
import { freshPostgresUrl } from '../storage/backends.js';

/** Comments, captchas and moderation through two real service processes on one PostgreSQL database. */
let agent: http.Agent | undefined;
afterEach(() => {
  agent?.destroy();
  agent = undefined;
});

const THREAD = '/v1/sites/xa-a/threads/ke-hoach-206/comments';

describe('comments on two instances sharing PostgreSQL', () => {
  it('a captcha buys one comment whichever instance it is replayed to; an Idempotency-Key one comment; moderation on B is in A’s next read', { timeout: 120_000 }, async () => {
    const db = await freshPostgresUrl();
    const key = (await runCommand(['keys', 'create', '--role', 'admin', '--name', 'Trung tâm CNTT'], { env: { DATABASE_URL: db.url } })).out.at(-1)!;
    const env = { DATABASE_URL: db.url, TRUST_PROXY: 'loopback', RATE_LIMIT_WRITE_PER_MIN: '0', RATE_LIMIT_READ_PER_MIN: '0', RATE_LIMIT_CAPTCHA_PER_MIN: '0', RATE_LIMIT_COMMENT_PER_MIN: '0', POW_MAX_NUMBER: '1000', COMMENT_MIN_SECONDS: '0', PG_POOL_SIZE: '4' };
    const [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
    agent = keepAliveAgent();
    const call = (i: Instance, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      request(agent!, `${i.url}${path}`, method, body === undefined ? undefined : JSON.stringify(body), headers);
    const admin = (i: Instance, method: string, path: string, body?: unknown) => call(i, method, path, body, { authorization: `Bearer ${key}` });
    const answerOf = async (id: string) => {
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      try {
        return (await c.query<{ answer: string }>('SELECT answer FROM captchas WHERE id = $1', [id])).rows[0]!.answer;
      } finally {
        await c.end();
      }
    };
    const captcha = async (i: Instance) => {
      const res = JSON.parse((await call(i, 'GET', '/v1/sites/xa-a/captcha')).body) as { id: string; pow?: PowChallenge };
      return { captchaId: res.id, captchaAnswer: await answerOf(res.id), ...(res.pow && { pow: await solvePow(res.pow) }) };
    };
    const form = (content: string) => ({ name: 'Nguyễn Văn An', email: 'an@example.vn', content });

    expect((await admin(a, 'POST', '/v1/admin/sites', { id: 'xa-a', name: 'Xã A', premoderation: true })).status).toBe(201);

    // A captcha issued by A, solved, sent to B and replayed to both at once: one comment.
    const solved = await captcha(a);
    const tries = await Promise.all(Array.from({ length: 6 }, (_, n) => call(n % 2 ? a : b, 'POST', THREAD, { ...form(`Ý kiến số ${n} về kế hoạch.`), ...solved })));
    expect(tries.map((t) => t.status).sort()).toEqual([202, 400, 400, 400, 400, 400]);
    const pendingId = JSON.parse(tries.find((t) => t.status === 202)!.body).id as string;

    // One Idempotency-Key sent to both instances at once: one comment, the same answer for all.
    const [c1, c2] = await Promise.all([captcha(a), captcha(b)]);
    const keyed = await Promise.all(
      [c1, c2].map((c, n) => call(n ? b : a, 'POST', THREAD, { ...form('Đề nghị công khai tiến độ.'), ...c }, { 'idempotency-key': 'khoa-hai-may-0001' })),
    );
    expect(keyed.map((k) => k.status)).toEqual([202, 202]);
    expect(new Set(keyed.map((k) => JSON.parse(k.body).id)).size).toBe(1);

    // Nothing published yet; A caches the empty thread, B approves, A's next read shows it.
    expect(JSON.parse((await call(a, 'GET', THREAD)).body)).toMatchObject({ comments: [] });
    expect((await admin(b, 'POST', `/v1/admin/comments/${pendingId}/approve`)).status).toBe(200);
    const read = JSON.parse((await call(a, 'GET', THREAD)).body);
    expect(read.comments.map((c: { id: string }) => c.id)).toEqual([pendingId]);
    const queue = JSON.parse((await admin(a, 'GET', '/v1/admin/comments?site=xa-a')).body);
    expect(JSON.stringify(queue)).toContain(pendingId);
  });
});
