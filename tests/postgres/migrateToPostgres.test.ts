import request from 'supertest';
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { createApp } from '../../src/app.js';
import { openPostgresStorage } from '../../src/storage/postgres/index.js';
import { approve, base, post } from '../comments.fixtures.js';
import { runCommand } from '../helpers/cli.js';
import { createPoll, createSite, makeTestApp, newVoter, TEST_BACKEND } from '../helpers/app.js';
import { freshPostgresUrl } from '../storage/backends.js';
import { answersFor, createSurvey } from '../helpers/surveys.js';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

async function counts(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const tables = ['sites', 'api_keys', 'polls', 'poll_options', 'ballots', 'ballot_choices', 'comments', 'comment_threads', 'counter_pages', 'settings', 'audit_log'];
    const rows = (await c.query<{ t: string; n: number }>(tables.map((t) => `SELECT '${t}' AS t, COUNT(*)::int AS n FROM ${t}`).join(' UNION ALL '))).rows;
    return Object.fromEntries(rows.map((r) => [r.t, r.n]));
  } finally {
    await c.end();
  }
}

/**
 * Moving a running portal service from SQLite to PostgreSQL: `ykien migrate-to-postgres` copies every
 * table (hashes and the salt too), verifies, and the PostgreSQL service then answers exactly as the
 * SQLite one did: same results, same comments, the same admin key, and the same voters still recognised.
 */
describe('ykien migrate-to-postgres', () => {
  it('copies everything, verified; the service on PostgreSQL answers the same and still knows who voted', { timeout: 120_000 }, async () => {
    expect(TEST_BACKEND).toBe('sqlite');
    const t = await makeTestApp({ CAPTCHA: 'off' });
    await createSite(t, { premoderation: true });
    const poll = await createPoll(t);
    const voters = Array.from({ length: 21 }, newVoter);
    for (const [i, v] of voters.entries()) await t.http.post(`/v1/polls/${poll.id}/votes`).send({ optionIds: [poll.options[i % 3]!.id], voterId: v }).expect(201);
    const first = await post(t, { name: 'Trần Thị Bình', content: 'Ý kiến đầu tiên về kế hoạch 206.' });
    await approve(t, first);
    await approve(t, await post(t, { name: 'Lê Văn Cường', content: 'Trả lời ý kiến trên.', parentId: first }));
    await post(t, { content: 'Bình luận đang chờ duyệt.' });
    await t.http.post('/v1/sites/xa-a/pages/ke-hoach-206/views').set('User-Agent', CHROME).send({ visitorId: newVoter() }).expect(200);
    const before = {
      results: (await t.http.get(`/v1/polls/${poll.id}/results`)).body,
      thread: (await t.http.get(base())).body,
      views: (await t.http.get('/v1/sites/xa-a/pages/ke-hoach-206/views')).body,
      pending: (await t.admin.get('/v1/admin/comments?site=xa-a&status=pending')).body,
    };

    const db = await freshPostgresUrl();
    const run = await runCommand(['migrate-to-postgres', '--to', db.url], { file: t.file });
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.out.join('\n')).toMatch(/Verified: \d+ rows in \d+ tables/);
    expect(run.out.join('\n')).not.toContain(':ykien-test@'); // the password in the URL is never printed
    const copied = await counts(db.url);
    expect(copied).toMatchObject({ sites: 1, polls: 1, poll_options: 3, ballots: 21, ballot_choices: 21, settings: expect.any(Number) });

    const storage = await openPostgresStorage(db.url, { size: 4, statementTimeoutMs: 5_000, ssl: 'off' });
    try {
      const app = request(await createApp({ storage, config: t.config, now: t.clock.now }));
      expect((await app.get(`/v1/polls/${poll.id}/results`)).body).toEqual(before.results);
      expect((await app.get(base())).body).toEqual(before.thread);
      expect((await app.get('/v1/sites/xa-a/pages/ke-hoach-206/views')).body).toEqual(before.views);
      // The admin key, stored only as a hash, still opens the admin API.
      expect((await app.get('/v1/admin/comments?site=xa-a&status=pending').set('Authorization', `Bearer ${t.adminKey}`)).body).toEqual(before.pending);
      // The salt came too: a voter of the SQLite days is recognised, a new one gets the next ballot id.
      expect((await app.post(`/v1/polls/${poll.id}/votes`).send({ optionIds: [poll.options[0]!.id], voterId: voters[0] })).status).toBe(409);
      expect((await app.post(`/v1/polls/${poll.id}/votes`).send({ optionIds: [poll.options[0]!.id], voterId: newVoter() })).status).toBe(201);
    } finally {
      await storage.close();
    }

    // Run again: refused with a clear line, nothing doubled; with --replace it is the source's copy again.
    const again = await runCommand(['migrate-to-postgres', '--to', db.url], { file: t.file });
    expect(again.code).toBe(1);
    expect(again.err.join('\n')).toMatch(/already holds data .*--replace/);
    expect((await counts(db.url)).ballots).toBe(22);
    const replaced = await runCommand(['migrate-to-postgres', '--to', db.url, '--replace'], { file: t.file });
    expect(replaced.code).toBe(0);
    expect(replaced.out.join('\n')).toContain('replaced');
    // The source's rows again, and its own audit entry of the copy: the same as after the first run.
    expect(await counts(db.url)).toEqual(copied);
    await db.drop();
  });

  it('copies surveys, their responses and counts; results, free texts and respondents are the same on PostgreSQL', { timeout: 120_000 }, async () => {
    const t = await makeTestApp({ CAPTCHA: 'off' });
    await createSite(t);
    const f = await createSurvey(t);
    const respondents = Array.from({ length: 7 }, newVoter);
    for (const [i, r] of respondents.entries())
      await t.http.post(`/v1/surveys/${f.survey.id}/responses`).send({ respondentId: r, answers: answersFor(f, i, i % 2 ? `Góp ý ${i}` : undefined) }).expect(201);
    const before = (await t.admin.get(`/v1/admin/surveys/${f.survey.id}`)).body;

    const db = await freshPostgresUrl();
    const run = await runCommand(['migrate-to-postgres', '--to', db.url], { file: t.file });
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    const storage = await openPostgresStorage(db.url, { size: 4, statementTimeoutMs: 5_000, ssl: 'off' });
    try {
      const app = request(await createApp({ storage, config: t.config, now: t.clock.now }));
      const after = (await app.get(`/v1/admin/surveys/${f.survey.id}`).set('Authorization', `Bearer ${t.adminKey}`)).body;
      expect(after).toEqual(before);
      expect(after.results.questions[4].texts.total).toBe(3);
      const again = await app.post(`/v1/surveys/${f.survey.id}/responses`).send({ respondentId: respondents[0], answers: answersFor(f) });
      expect(again.status).toBe(409);
      expect((await app.post(`/v1/surveys/${f.survey.id}/responses`).send({ respondentId: newVoter(), answers: answersFor(f) })).body.results.responses).toBe(8);
    } finally {
      await storage.close();
      await db.drop();
    }
  });

  it('copies console users, their sites, sessions and recovery codes: people keep their password, session and phone', async () => {
    const t = await makeTestApp({ PUBLIC_URL: 'https://ykien.example.vn' });
    await createSite(t);
    const password = 'Mat-khau-cua-lan-2026';
    await t.admin.post('/v1/admin/users', { username: 'lan', role: 'moderator', sites: ['xa-a'], password }).expect(201);
    const login = await t.http.post('/v1/session').send({ username: 'lan', password });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const csrf = login.body.csrfToken as string;
    const write = (r: request.Test) => r.set('Cookie', cookie).set('Origin', 'https://ykien.example.vn').set('X-CSRF-Token', csrf);
    const { totpCode } = await import('../../src/users/totp.js');
    const secret = (await write(t.http.post('/v1/session/totp/setup'))).body.secret as string;
    const codes = (await write(t.http.post('/v1/session/totp/enable')).send({ code: totpCode(secret, t.clock.now()) })).body.recoveryCodes as string[];

    const db = await freshPostgresUrl();
    const run = await runCommand(['migrate-to-postgres', '--to', db.url], { file: t.file });
    expect(run.code).toBe(0);
    expect(run.out.join('\n')).toMatch(/users: 1/);
    const storage = await openPostgresStorage(db.url, { size: 4, statementTimeoutMs: 5_000, ssl: 'off' });
    try {
      const app = request(await createApp({ storage, config: t.config, now: t.clock.now }));
      expect((await app.get('/v1/session').set('Cookie', cookie)).body.user).toMatchObject({ username: 'lan', sites: ['xa-a'], totpEnabled: true });
      expect((await app.get('/v1/admin/comments?site=xa-a').set('Cookie', cookie)).status).toBe(200);
      expect((await app.post('/v1/session').send({ username: 'lan', password })).body.code).toBe('totp_required');
      expect((await app.post('/v1/session').send({ username: 'lan', password, totp: codes[0] })).status).toBe(200);
      // The code used for enabling on SQLite is spent on PostgreSQL too.
      expect((await app.post('/v1/session').send({ username: 'lan', password, totp: totpCode(secret, t.clock.now()) })).body.code).toBe('totp_invalid');
    } finally {
      await storage.close();
    }
    await db.drop();
  });

  it('says what is wrong, in one line, for a missing source, an unreachable server and a bad URL', async () => {
    const db = await freshPostgresUrl();
    const missing = await runCommand(['migrate-to-postgres', '--to', db.url], { file: '/nonexistent/ykien.db' });
    expect(missing.code).toBe(1);
    expect(missing.err).toEqual(['error: There is no SQLite database at /nonexistent/ykien.db.']);
    const t = await makeTestApp();
    const down = await runCommand(['migrate-to-postgres', '--to', 'postgres://u:secret@127.0.0.1:1/ykien'], { file: t.file, env: { PG_STATEMENT_TIMEOUT_MS: '1000' } });
    expect(down.code).toBe(1);
    expect(down.err.join('\n')).toMatch(/^error: PostgreSQL at 127\.0\.0\.1:1 cannot be reached/);
    expect(down.err.join('\n')).not.toContain('secret');
    const usage = await runCommand(['migrate-to-postgres', '--to', 'mysql://x'], { file: t.file });
    expect(usage.code).toBe(64);
    await db.drop();
  });
});
