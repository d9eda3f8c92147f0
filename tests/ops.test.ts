import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runCommand } from './helpers/cli.js';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { testConfig } from '../src/config.js';
import { openSqliteStorage } from '../src/storage/sqlite/index.js';
import { createMetrics } from '../src/ops/metrics.js';
import { ROOT } from '../src/paths.js';
import { VERSION } from '../src/version.js';
import { createPoll, createSite, expectProblem, makeTestApp, newVoter, TEST_BACKEND, testClock, type TestApp } from './helpers/app.js';

const DAY = 86_400_000;
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

const cli = (args: string[], env: Record<string, string>) => runCommand(args, { env });

const metricsOf = async (t: TestApp) => {
  const res = await t.admin.get('/metrics');
  expect(res.status).toBe(200);
  return res.text;
};

/** The value of one sample line, e.g. value(text, 'ykien_votes_total{site="xa-a"}'). */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('health and readiness', () => {
  it('GET /healthz answers while the process lives, with no key', async () => {
    const t = await makeTestApp();
    const res = await t.http.get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', version: VERSION });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('GET /version names the release that answers: package.json\'s version, no key needed', async () => {
    const t = await makeTestApp();
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const res = await t.http.get('/version');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    // Run from the TypeScript sources there is no build id; the built dist/ adds one (tests/deploy/layout.test.ts).
    expect(res.body).toEqual({ name: 'ykien', version: pkg.version });
  });

  it('GET /readyz is ready when the database answers and every migration is applied, 503 otherwise', async () => {
    const t = await makeTestApp();
    const ok = await t.http.get('/readyz');
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ status: 'ready' });

    await t.sql.run('DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)');
    expectProblem(await t.http.get('/readyz'), 503, 'not_ready');
    expect((await t.http.get('/healthz')).status).toBe(200);

    const u = await makeTestApp();
    await u.storage.close();
    expectProblem(await u.http.get('/readyz'), 503, 'not_ready');
  });
});

describe('GET /metrics', () => {
  it('needs METRICS_TOKEN or an admin key', async () => {
    const t = await makeTestApp({ METRICS_TOKEN });
    expectProblem(await t.http.get('/metrics'), 401, 'unauthorized');
    expectProblem(await t.http.get('/metrics').set('Authorization', 'Bearer wrong-token-0123456789'), 401, 'unauthorized');
    expectProblem(await t.http.get('/metrics').set('Authorization', `Basic ${Buffer.from(`x:${METRICS_TOKEN}`).toString('base64')}`), 401, 'unauthorized');
    await createSite(t);
    const mod = (await t.services.keys.create({ name: 'Điều hành viên', role: 'moderator', siteId: 'xa-a' })).key;
    expectProblem(await t.http.get('/metrics').set('Authorization', `Bearer ${mod}`), 403, 'forbidden');

    const byToken = await t.http.get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    expect(byToken.status).toBe(200);
    expect(byToken.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(byToken.headers['cache-control']).toBe('no-store');
    expect(byToken.text).toContain('# TYPE ykien_http_requests_total counter');
    expect((await t.admin.get('/metrics')).status).toBe(200);

    // Without METRICS_TOKEN configured, only admin keys get in.
    const u = await makeTestApp();
    expectProblem(await u.http.get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`), 401, 'unauthorized');
    expect((await u.admin.get('/metrics')).status).toBe(200);
  });

  it('counts requests and latency by route pattern and status, never by raw URL', async () => {
    const t = await makeTestApp();
    await createSite(t);
    const p = await createPoll(t);
    for (let i = 0; i < 3; i++)
      await t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: [p.options[i]!.id], voterId: newVoter() }).expect(201);
    await t.http.get(`/v1/polls/${p.id}`).expect(200);
    await t.http.get(`/v1/polls/${p.id}/results`).expect(200);
    await t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: ['khong-co'], voterId: newVoter() }).expect(422);
    await t.admin.get('/v1/admin/polls/khong-co').expect(404);
    await t.http.get('/khong-co-trang-nay/123').expect(404);

    const text = await metricsOf(t);
    expect(value(text, 'ykien_http_requests_total{method="POST",route="/v1/polls/:id/votes",status="201"}')).toBe(3);
    expect(value(text, 'ykien_http_requests_total{method="POST",route="/v1/polls/:id/votes",status="422"}')).toBe(1);
    expect(value(text, 'ykien_http_requests_total{method="GET",route="/v1/polls/:id",status="200"}')).toBe(1);
    expect(value(text, 'ykien_http_requests_total{method="GET",route="/v1/polls/:id/results",status="200"}')).toBe(1);
    // An error thrown inside a nested router still carries the full pattern.
    expect(value(text, 'ykien_http_requests_total{method="GET",route="/v1/admin/polls/:id",status="404"}')).toBe(1);
    expect(value(text, 'ykien_http_requests_total{method="POST",route="/v1/admin/polls",status="201"}')).toBe(1);
    expect(value(text, 'ykien_http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(1);
    expect(value(text, 'ykien_http_request_duration_seconds_count{method="POST",route="/v1/polls/:id/votes",status="201"}')).toBe(3);
    expect(value(text, 'ykien_http_request_duration_seconds_bucket{le="+Inf",method="POST",route="/v1/polls/:id/votes",status="201"}')).toBe(3);
    expect(value(text, 'ykien_votes_total{site="xa-a"}')).toBe(3);
    expect(value(text, 'ykien_ballots')).toBe(3);
    // No id, no query string, no address in any label.
    expect(text).not.toContain(p.id);
    expect(text).not.toContain('khong-co');
    expect(text).not.toContain('127.0.0.1');
  });

  it('keeps one registry per app', async () => {
    const a = await makeTestApp();
    const b = await makeTestApp();
    await a.http.get('/healthz').expect(200);
    await a.http.get('/healthz').expect(200);
    await b.http.get('/healthz').expect(200);
    expect(value(await metricsOf(a), 'ykien_http_requests_total{method="GET",route="/healthz",status="200"}')).toBe(2);
    expect(value(await metricsOf(b), 'ykien_http_requests_total{method="GET",route="/healthz",status="200"}')).toBe(1);
  });

  it('reports comments by status, captcha failures and rate-limit refusals', async () => {
    // POW off: this counts captcha refusals alone (tests/captcha.test.ts covers the proof of work).
    const t = await makeTestApp({ CAPTCHA: 'svg', POW: 'off', RATE_LIMIT_READ_PER_MIN: 2 });
    await createSite(t, { premoderation: true });
    const url = '/v1/sites/xa-a/threads/bai-1/comments';
    const form = { name: 'Nguyễn Văn An', content: 'Đề nghị công khai tiến độ.', email: 'an@example.vn' };
    expectProblem(await t.http.post(url).send(form), 400, 'captcha_required');
    const c1 = (await t.http.get('/v1/sites/xa-a/captcha').expect(200)).body.id as string;
    expectProblem(await t.http.post(url).send({ ...form, captchaId: c1, captchaAnswer: 'sai-roi' }), 400, 'captcha_invalid');
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const c = (await t.http.get('/v1/sites/xa-a/captcha').expect(200)).body.id as string;
      const answer = (await t.sql.value('SELECT answer FROM captchas WHERE id = ?', c)) as string;
      const res = await t.http.post(url).send({ ...form, content: `Ý kiến số ${i + 1}`, captchaId: c, captchaAnswer: answer });
      expect(res.status).toBe(202);
      ids.push(res.body.id);
    }
    await t.admin.post(`/v1/admin/comments/${ids[0]}/approve`).expect(200);

    // Three reads from one address in a minute, with a limit of two.
    await t.http.get(`${url}`).expect(200);
    await t.http.get(`${url}`).expect(200);
    expectProblem(await t.http.get(`${url}`), 429, 'rate_limited');

    const text = await metricsOf(t);
    expect(value(text, 'ykien_captcha_failures_total{reason="captcha_required"}')).toBe(1);
    expect(value(text, 'ykien_captcha_failures_total{reason="captcha_invalid"}')).toBe(1);
    expect(value(text, 'ykien_comments{status="approved"}')).toBe(1);
    expect(value(text, 'ykien_comments{status="pending"}')).toBe(1);
    expect(value(text, 'ykien_comments_posted_total{status="pending"}')).toBe(2);
    expect(value(text, 'ykien_rate_limited_total{tier="read"}')).toBe(1);
    expect(text).not.toContain('an@example.vn');
  });

  it('answers a scrape when the database does not', async () => {
    const t = await makeTestApp({ METRICS_TOKEN });
    await createSite(t);
    const p = await createPoll(t);
    await t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: [p.options[0]!.id], voterId: newVoter() }).expect(201);
    await t.http.post('/v1/sites/xa-a/threads/bai-1/comments').send({ name: 'An', content: 'Ý kiến' }).expect(202);
    const scrape = () => t.http.get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    const before = (await scrape()).text;
    expect(value(before, 'ykien_ballots')).toBe(1);
    expect(value(before, 'ykien_comments{status="pending"}')).toBe(1);
    await t.storage.close();
    const res = await scrape();
    expect(res.status).toBe(200);
    expect(value(res.text, 'ykien_votes_total{site="xa-a"}')).toBe(1);
    expect(res.text).not.toMatch(/^ykien_comments\{/m);
  });

  it('adds Node.js process metrics outside tests, from the first scrape on', async () => {
    const m = createMetrics({ defaultMetrics: true });
    const text = await m.text();
    expect(text).toMatch(/^ykien_process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^ykien_nodejs_heap_size_used_bytes \d/m);
    expect(await createMetrics().text()).not.toContain('ykien_process_');
  });

  it('counts the events services tell (src/events.ts)', async () => {
    const t = await makeTestApp();
    t.services.events.emit({ type: 'captcha.failed', reason: 'wrong' });
    t.services.events.emit({ type: 'comment.posted', status: 'pending' });
    t.services.events.emit({ type: 'rate.limited', tier: 'comment' });
    return t.services.metrics.text().then((text) => {
      expect(value(text, 'ykien_captcha_failures_total{reason="wrong"}')).toBe(1);
      expect(value(text, 'ykien_comments_posted_total{status="pending"}')).toBe(1);
      expect(value(text, 'ykien_rate_limited_total{tier="comment"}')).toBe(1);
    });
  });
});

describe('retention', () => {
  const T0 = Date.parse('2026-01-05T03:00:00Z');

  async function appWithHistory(days?: number) {
    const clock = testClock(T0);
    const t = await makeTestApp(days ? { RETENTION_DAYS: days } : {}, { clock });
    await createSite(t, { premoderation: false });
    const p = await createPoll(t);
    const url = '/v1/sites/xa-a/threads/bai-1/comments';
    const old = { voter: newVoter(), at: clock.now() };
    await t.http.post(`/v1/polls/${p.id}/votes`).set('User-Agent', 'OldPhone/1.0').send({ optionIds: [p.options[0]!.id], voterId: old.voter }).expect(201);
    const oldComment = (await t.http.post(url).set('User-Agent', 'OldPhone/1.0').send({ name: 'An', content: 'Ý kiến cũ' }).expect(201)).body.id;
    clock.advance(20 * DAY);
    const recent = newVoter();
    await t.http.post(`/v1/polls/${p.id}/votes`).set('User-Agent', 'NewPhone/2.0').send({ optionIds: [p.options[1]!.id], voterId: recent }).expect(201);
    const newComment = (await t.http.post(url).set('User-Agent', 'NewPhone/2.0').send({ name: 'Bình', content: 'Ý kiến mới' }).expect(201)).body.id;
    return { t, p, clock, old, recent, oldComment, newComment };
  }

  const ballot = async (t: TestApp, voterId: string) =>
    (await t.sql.rows('SELECT voter_hash, ip_hash, user_agent, created_at FROM ballots WHERE voter_hash = ?', t.services.hasher.voter(voterId)))[0]!;
  const comment = async (t: TestApp, id: string) => (await t.sql.rows('SELECT * FROM comments WHERE id = ?', id))[0]!;

  it('erases IP hashes and user agents older than RETENTION_DAYS and keeps everything else', async () => {
    const { t, p, old, recent, oldComment, newComment } = await appWithHistory();
    const before = (await t.admin.get(`/v1/admin/polls/${p.id}`)).body.results;
    expect((await ballot(t, old.voter)).ip_hash).toBeTruthy();

    // 179 days on: nothing is old enough yet.
    expect((await t.services.retention.runRetention(T0 + 179 * DAY)).erased).toEqual({ ballots: 0, comments: 0, surveyResponses: 0 });
    expect((await ballot(t, old.voter)).user_agent).toBe('OldPhone/1.0');

    const result = await t.services.retention.runRetention(T0 + 181 * DAY);
    expect(result.erased).toEqual({ ballots: 1, comments: 1, surveyResponses: 0 });
    expect(result.cutoff).toBe(new Date(T0 + DAY).toISOString());
    expect(await ballot(t, old.voter)).toMatchObject({ ip_hash: null, user_agent: null, voter_hash: t.services.hasher.voter(old.voter), created_at: T0 });
    expect(await ballot(t, recent)).toMatchObject({ user_agent: 'NewPhone/2.0' });
    expect((await ballot(t, recent)).ip_hash).toBeTruthy();
    expect(await comment(t, oldComment)).toMatchObject({ ip_hash: null, user_agent: null, content: 'Ý kiến cũ', name: 'An', status: 'approved' });
    expect(await comment(t, newComment)).toMatchObject({ user_agent: 'NewPhone/2.0' });

    // Results and the one-vote-per-voter rule are untouched.
    expect((await t.admin.get(`/v1/admin/polls/${p.id}`)).body.results).toEqual(before);
    t.clock.set(T0 + 25 * DAY);
    expectProblem(await t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: [p.options[2]!.id], voterId: old.voter }), 409, 'already_voted');

    // Running again changes nothing; the metrics saw it.
    expect((await t.services.retention.runRetention(T0 + 181 * DAY)).erased).toEqual({ ballots: 0, comments: 0, surveyResponses: 0 });
    const text = await metricsOf(t);
    expect(value(text, 'ykien_retention_erased_total{table="ballots"}')).toBe(1);
    expect(value(text, 'ykien_retention_erased_total{table="comments"}')).toBe(1);
    expect(value(text, 'ykien_retention_last_run_timestamp_seconds')).toBe(Math.floor((T0 + 181 * DAY) / 1000));
  });

  it('honours RETENTION_DAYS and works through batches of rows', async () => {
    const { t, old, recent } = await appWithHistory(10);
    const pollId = await t.sql.value<string>('SELECT id FROM polls');
    // 45,000 ballots, every other one old (the same SQL on both backends).
    await t.sql.run(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 44999)
       INSERT INTO ballots (poll_id, voter_hash, ip_hash, user_agent, created_at)
       SELECT ?, 'bulk-' || i, 'ip', 'ua', CASE WHEN i % 2 = 1 THEN ${T0} ELSE ${T0 + 30 * DAY} END FROM n`,
      pollId,
    );
    const r = await t.services.retention.runRetention(T0 + 15 * DAY);
    expect(r.erased.ballots).toBe(1 + 22_500);
    expect((await ballot(t, old.voter)).ip_hash).toBeNull();
    expect((await ballot(t, recent)).ip_hash).toBeTruthy();
    expect(await t.sql.value("SELECT COUNT(*) FROM ballots WHERE voter_hash LIKE 'bulk-%' AND ip_hash IS NULL")).toBe(22_500);
  });

  it('the daily job starts and stops without keeping the process alive', async () => {
    const t = await makeTestApp();
    t.services.retention.start();
    t.services.retention.start();
    t.services.retention.stop();
    t.services.retention.stop();
  });

  it('npm run -s ykien -- retention run erases now', async () => {
    const clock = testClock(Date.now() - 200 * DAY);
    const t = await makeTestApp({}, { clock });
    await createSite(t);
    const p = await createPoll(t);
    const voter = newVoter();
    await t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: [p.options[0]!.id], voterId: voter }).expect(201);
    const res = await cli(['retention', 'run'], t.databaseEnv);
    expect(res.code).toBe(0);
    expect(res.out.join('\n')).toMatch(/ballots 1, comments 0/);
    expect((await ballot(t, voter)).ip_hash).toBeNull();
  });
});

// The `backup` command copies the SQLite file (its online backup API): those tests are SQLite's own. On
// PostgreSQL the command says what to do instead (pg_dump), and that is what its project checks.
if (TEST_BACKEND === 'postgres')
  describe('backup on PostgreSQL', () => {
    it('the backup command refuses with what to do instead: pg_dump, as docs/deploy.md says', async () => {
      const t = await makeTestApp();
      const dest = path.join(os.tmpdir(), `ykien-copy-${process.pid}.db`);
      const res = await cli(['backup', dest], t.databaseEnv);
      expect(res.code).not.toBe(0);
      expect(res.err.join('\n')).toMatch(/pg_dump/);
      expect(fs.existsSync(dest)).toBe(false);
      expect((await t.http.get('/readyz')).status).toBe(200);
    });
  });
else describe('backup and restore (SQLite: a consistent copy of the file)', () => {
  const counts = (db: Database.Database) =>
    Object.fromEntries(['sites', 'polls', 'poll_options', 'ballots', 'ballot_choices', 'comments'].map((tb) => [tb, db.prepare(`SELECT COUNT(*) FROM ${tb}`).pluck().get() as number]));

  /** Every counter equals the rows it summarises: the copy is one consistent moment. */
  function expectConsistent(db: Database.Database) {
    expect(db.pragma('quick_check', { simple: true })).toBe('ok');
    const bad = db
      .prepare(
        `SELECT p.id FROM polls p WHERE p.total_voters != (SELECT COUNT(*) FROM ballots b WHERE b.poll_id = p.id)
           OR p.total_choices != (SELECT COUNT(*) FROM ballot_choices c JOIN ballots b ON b.id = c.ballot_id WHERE b.poll_id = p.id)
           OR p.total_choices != (SELECT COALESCE(SUM(votes), 0) FROM poll_options o WHERE o.poll_id = p.id)`,
      )
      .all();
    expect(bad).toEqual([]);
  }

  it('takes a consistent copy while votes keep coming, and the copy restores', async () => {
    const t = await makeTestApp();
    await createSite(t);
    const p = await createPoll(t, { maxChoices: 2 });
    const castVote = () =>
      t.services.polls.vote(p.id, { optionIds: [p.options[Math.floor(Math.random() * 3)]!.id], voterId: newVoter() }, { ip: '203.0.113.9', userAgent: 'UA' });
    for (let i = 0; i < 500; i++) castVote();
    await t.http.post('/v1/sites/xa-a/threads/bai-1/comments').send({ name: 'An', content: 'Ý kiến', email: 'an@example.vn' }).expect(202);

    // The service (this connection) keeps voting while the CLI (its own connection) backs up.
    let running = true;
    let during = 0;
    const writer = (async () => {
      while (running) {
        castVote();
        during++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    const dest = path.join(t.dir, 'backups', 'ykien-2026-06-08.db');
    const res = await cli(['backup', dest], { DATABASE_PATH: t.file });
    const votesWhileBackingUp = during;
    running = false;
    await writer;
    expect(res.err).toEqual([]);
    expect(res.code).toBe(0);
    expect(res.out.join('\n')).toContain(`Backed up to ${dest}`);
    expect(votesWhileBackingUp).toBeGreaterThan(0);

    // One self-contained file: no -wal beside it, nothing half-written left behind.
    expect(fs.readdirSync(path.dirname(dest))).toEqual(['ykien-2026-06-08.db']);
    const copy = new Database(dest, { readonly: true });
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    expectConsistent(copy);
    const copied = counts(copy);
    copy.close();
    expect(copied.ballots).toBeGreaterThanOrEqual(500);
    expect(copied.ballots).toBeLessThanOrEqual(counts(t.db).ballots!);
    expect(copied.comments).toBe(1);

    // With writes stopped, a second backup has exactly the live counts.
    const again = path.join(t.dir, 'again.db');
    expect((await cli(['backup', again], { DATABASE_PATH: t.file })).code).toBe(0);
    const copy2 = new Database(again, { readonly: true });
    expect(counts(copy2)).toEqual(counts(t.db));
    copy2.close();

    // Restore: the copy becomes a database file again and serves the same results.
    const restoredFile = path.join(t.dir, 'restored', 'ykien.db');
    fs.mkdirSync(path.dirname(restoredFile));
    fs.copyFileSync(again, restoredFile);
    const storage = openSqliteStorage(restoredFile);
    const db = storage.db;
    try {
      const app = await createApp({ storage, config: testConfig({ DATABASE_PATH: restoredFile }) });
      const key = (await app.locals.services.keys.create({ name: 'Khôi phục', role: 'admin' })).key;
      const { default: request } = await import('supertest');
      const restored = await request(app).get(`/v1/admin/polls/${p.id}`).set('Authorization', `Bearer ${key}`);
      expect(restored.status).toBe(200);
      expect(restored.body.results).toEqual((await t.admin.get(`/v1/admin/polls/${p.id}`)).body.results);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect((await request(app).get('/readyz')).status).toBe(200);
    } finally {
      db.close();
    }
    const audit = (await t.admin.get('/v1/admin/audit?action=db.backup')).body.entries;
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ actor: 'cli', action: 'db.backup' });
  });

  it('refuses to overwrite the database itself and explains its usage', async () => {
    const t = await makeTestApp();
    const same = await cli(['backup', t.file], { DATABASE_PATH: t.file });
    expect(same.code).toBe(1);
    expect(same.err.join('\n')).toContain('must not overwrite');
    expect((await cli(['backup'], { DATABASE_PATH: t.file })).code).toBe(64);
    expect((await t.http.get('/readyz')).status).toBe(200);
  });
});
