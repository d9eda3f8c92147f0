import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { answersFor, createSurvey } from './helpers/surveys.js';
import { describe, expect, it } from 'vitest';
import { form, newCaptcha } from './comments.fixtures.js';
import { sqlFingerprint } from './helpers/dbState.js';
import { createPoll, createSite, expectProblem, makeTestApp, newVoter, type TestApp } from './helpers/app.js';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
/** Kept on purpose when a site goes: the record of what happened, and tables that belong to no site. */
const KEPT = new Set(['audit_log', 'settings', 'schema_migrations']);

async function counts(t: TestApp): Promise<Record<string, number>> {
  const n: Record<string, number> = {};
  for (const table of await t.sql.tables()) n[table] = await t.sql.value<number>(`SELECT COUNT(*) FROM "${table}"`);
  return n;
}

/** A table's foreign keys: the table each points to and what a delete there does (CASCADE, SET NULL…), from the schema. */
const foreignKeys = (t: TestApp, table: string) =>
  t.sql.backend === 'sqlite'
    ? t.sql.rows<{ parent: string; onDelete: string }>('SELECT "table" AS parent, on_delete AS "onDelete" FROM pragma_foreign_key_list(?)', table)
    : t.sql.rows<{ parent: string; onDelete: string }>(
        `SELECT confrelid::regclass::text AS parent,
                CASE confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' WHEN 'r' THEN 'RESTRICT' ELSE 'NO ACTION' END AS "onDelete"
           FROM pg_constraint WHERE contype = 'f' AND conrelid = ?::regclass`,
        table,
      );

/** Tables whose rows belong to a site, directly or through a parent row, found from the schema's foreign keys. */
async function siteOwnedTables(t: TestApp): Promise<Map<string, { parent: string; onDelete: string }[]>> {
  const fks = new Map<string, { parent: string; onDelete: string }[]>();
  for (const table of await t.sql.tables()) fks.set(table, await foreignKeys(t, table));
  const owned = new Map<string, { parent: string; onDelete: string }[]>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const [table, list] of fks) {
      if (owned.has(table) || table === 'sites') continue;
      const up = list.filter((f) => f.parent === 'sites' || owned.has(f.parent));
      if (up.length) {
        owned.set(table, up);
        grew = true;
      }
    }
  }
  return owned;
}

/** Puts rows for `site` in every table a site can own: polls, ballots, surveys and responses, comments (one imported), counters, captchas, webhook, moderator mail, a moderator key. */
async function fill(t: TestApp, site: string) {
  await createSite(t, { id: site, name: `Xã ${site}`, origins: [`https://${site}.example.vn`], premoderation: false });
  const poll = await createPoll(t, { site, maxChoices: 2 });
  for (let i = 0; i < 3; i++)
    await t.http.post(`/v1/polls/${poll.id}/votes`).send({ optionIds: [poll.options[0]!.id, poll.options[1]!.id], voterId: newVoter() }).expect(201);
  const captcha = async () => {
    const c = await newCaptcha(t, site);
    return { captchaId: c.id, captchaAnswer: c.answer, pow: c.pow };
  };
  const thread = `/v1/sites/${site}/threads/${encodeURIComponent('/tin-tuc/bai-1.html')}/comments`;
  // With an Idempotency-Key, so the stored answer (comment_idempotency) is a row the site holds too.
  const top = await t.http.post(thread).set('Idempotency-Key', `delete-test-${site}-0001`).send(form(await captcha())).expect(201);
  await t.http.post(thread).send(form({ ...(await captcha()), parentId: top.body.id, content: 'Trả lời ý kiến trên.' })).expect(201);
  await t.http.get(`/v1/sites/${site}/captcha`).expect(200); // one left unused
  await t.http.post(`/v1/sites/${site}/pages/${encodeURIComponent('/tin-tuc/bai-1.html')}/views`).set('User-Agent', CHROME).send({ visitorId: newVoter() }).expect(200);
  await t.admin.put(`/v1/admin/sites/${site}/webhook`, { url: `https://${site}.example.vn/hook`, secret: 'mot-chuoi-bi-mat-du-dai' }).expect(200);
  // Moderator mail waiting and in the outbox (through the store: this app has no SMTP server to send to).
  await t.storage.mail.enqueue(site, top.body.id, Date.now());
  await t.storage.mail.compose(site, 0, Date.now(), () => ({
    mails: [{ batch: `b-${site}`, kind: 'comment', recipients: [`vanthu@${site}.example.vn`], subject: 'Ý kiến mới chờ duyệt', text: '…', html: '<p>…</p>' }],
    consumed: [],
  }));
  const survey = await createSurvey(t, { site });
  await t.http.post(`/v1/surveys/${survey.survey.id}/responses`).send({ respondentId: newVoter(), answers: answersFor(survey, 0, 'Góp ý') }).expect(201);
  const moderator = await t.services.keys.create({ name: 'Biên tập', role: 'moderator', siteId: site });
  // A comment brought from the old portal (comment_imports: where it came from).
  const old = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'old-portal-')), 'cu.json');
  fs.writeFileSync(old, JSON.stringify({ threads: [{ key: '/tin-tuc/bai-cu.html', comments: [{ id: '1', name: 'Người đọc cũ', content: 'Ý kiến từ cổng cũ.', createdAt: '2024-01-01T00:00:00Z' }] }] }));
  await t.services.imports.comments({ site, format: 'json', file: old, threadKey: 'path', dryRun: false, actor: 'test' });
  fs.rmSync(path.dirname(old), { recursive: true, force: true });
  // A console moderator of the site (user_sites); the person stays when the site goes, without it.
  await t.admin.post('/v1/admin/users', { username: `bien-tap-${site}`, role: 'moderator', sites: [site], password: 'Mat-khau-bien-tap-2026' }).expect(201);
  return { poll, moderator };
}

describe('deleting a site', () => {
  it('every table holding site rows cascades from sites, foreign keys are on, the audit log has no foreign key', async () => {
    const t = await makeTestApp();
    // SQLite enforces foreign keys only on a connection that turned them on; PostgreSQL always does.
    if (t.sql.backend === 'sqlite') expect(t.db.pragma('foreign_keys', { simple: true })).toBe(1);
    const owned = await siteOwnedTables(t);
    for (const [table, refs] of owned) for (const r of refs) expect(`${table} → ${r.parent}: ${r.onDelete}`).toBe(`${table} → ${r.parent}: CASCADE`);
    // A table with a site_id column that is not reached through foreign keys would keep a deleted site's rows.
    for (const table of await t.sql.tables()) {
      const cols = await t.sql.columns(table);
      if (cols.includes('site_id') && !KEPT.has(table)) expect(owned.has(table), `${table} has site_id but no cascading foreign key`).toBe(true);
    }
    expect([...owned.keys()].sort()).toEqual(expect.arrayContaining(['api_keys', 'ballot_choices', 'ballots', 'captchas', 'comment_idempotency', 'comment_threads', 'comments', 'counter_new_pages', 'counter_days', 'counter_page_seen', 'counter_pages', 'counter_sites', 'counter_visitors', 'mail_outbox', 'mail_waiting', 'poll_options', 'polls', 'site_webhooks']));
  });

  it('removes everything the site holds, in every table, and leaves the other site and the audit log alone', async () => {
    const t = await makeTestApp({ CAPTCHA: 'svg' });
    const start = await counts(t);
    const a = await fill(t, 'xa-a');
    const afterA = await counts(t);
    await fill(t, 'xa-b');
    const before = await counts(t);
    const owned = await siteOwnedTables(t);
    // The fixture reaches every table a site can own (a new table must be added to fill()).
    for (const table of owned.keys()) expect(afterA[table]! - start[table]!, `fill() wrote no rows in ${table}`).toBeGreaterThan(0);

    const res = await t.admin.delete('/v1/admin/sites/xa-a?confirm=xa-a');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ site: 'xa-a', removed: { polls: 1, ballots: 3, surveys: 1, surveyResponses: 1, comments: 3, pages: 1, moderatorKeys: 1, webhooks: 1 } });

    const after = await counts(t);
    for (const table of await t.sql.tables()) {
      if (table === 'audit_log') continue;
      // What xa-a added is gone; what xa-b (and the install) holds is all there.
      const ofA = afterA[table]! - start[table]!;
      expect(after[table], table).toBe(before[table]! - (owned.has(table) || table === 'sites' ? ofA : 0));
    }
    expect(after.audit_log).toBe(before.audit_log! + 1);
    expect(await t.sql.value("SELECT COUNT(*) FROM sites WHERE id = 'xa-a'")).toBe(0);
    if (t.sql.backend === 'sqlite') expect(t.db.pragma('foreign_key_check')).toEqual([]); // PostgreSQL cannot hold a dangling key

    // The log is the record: the site's entries stay, and the deletion names the key by id.
    const log = (await t.admin.get('/v1/admin/audit?site=xa-a')).body.entries;
    expect(log[0]).toMatchObject({ action: 'site.delete', targetId: 'xa-a', actor: 'Test admin', detail: { name: 'Xã xa-a', removed: res.body.removed } });
    expect(log[0].actorId).toMatch(/^[a-z0-9]{8}$/);
    expect(log.map((e: { action: string }) => e.action)).toContain('site.create');

    // Gone at once for voters, commenters and its moderator; the other site works.
    expectProblem(await t.http.post(`/v1/polls/${a.poll.id}/votes`).send({ optionIds: [a.poll.options[0]!.id], voterId: newVoter() }), 404, 'not_found');
    // The poll's definition is cached for 5 s (src/polls/polls.service.ts); then readers get 404 too.
    t.clock.advance(5_001);
    expectProblem(await t.http.get(`/v1/polls/${a.poll.id}`), 404, 'not_found');
    expectProblem(await t.http.get('/v1/sites/xa-a/threads/x/comments'), 404, 'not_found');
    expectProblem(await t.http.get('/v1/sites/xa-a/stats'), 404, 'not_found');
    expectProblem(await t.http.get('/v1/admin/sites/xa-a').set('Authorization', `Bearer ${a.moderator.key}`), 401, 'unauthorized');
    expect((await t.http.get(`/v1/sites/xa-b/threads/${encodeURIComponent('/tin-tuc/bai-1.html')}/comments`)).body.total).toBe(2);
    expectProblem(await t.admin.delete('/v1/admin/sites/xa-a?confirm=xa-a'), 404, 'not_found');

    // The id may be used again, for a fresh, empty site.
    await createSite(t, { id: 'xa-a', name: 'Xã A mới' });
    expect((await t.http.get(`/v1/sites/xa-a/threads/${encodeURIComponent('/tin-tuc/bai-1.html')}/comments`)).body.total).toBe(0);
    expect((await t.http.get(`/v1/sites/xa-a/pages/${encodeURIComponent('/tin-tuc/bai-1.html')}/views`)).body.views).toBe(0);
  });

  it('needs confirm equal to the id and an admin key; a refusal changes nothing', async () => {
    const t = await makeTestApp();
    await createSite(t);
    const mod = (await t.services.keys.create({ name: 'Mod', role: 'moderator' })).key;
    const fingerprint = await sqlFingerprint(t.sql);
    for (const url of ['/v1/admin/sites/xa-a', '/v1/admin/sites/xa-a?confirm=', '/v1/admin/sites/xa-a?confirm=XA-A', '/v1/admin/sites/xa-a?confirm=xa-b', '/v1/admin/sites/xa-a?confirm=yes'])
      expectProblem(await t.admin.delete(url), 400, 'confirmation_required');
    expectProblem(await t.admin.delete('/v1/admin/sites/xa-a?confirm=xa-a&force=1'), 400, 'validation_failed');
    expectProblem(await t.http.delete('/v1/admin/sites/xa-a?confirm=xa-a').set('Authorization', `Bearer ${mod}`), 403, 'forbidden');
    expectProblem(await t.http.delete('/v1/admin/sites/xa-a?confirm=xa-a'), 401, 'unauthorized');
    expectProblem(await t.admin.delete('/v1/admin/sites/khong-co?confirm=khong-co'), 404, 'not_found');
    expect(await sqlFingerprint(t.sql)).toBe(fingerprint);
  });
});

describe('deleting a site from the CLI while the service runs', () => {
  it('a write racing the deletion (the service still has the site cached) gets 404, never a 500', async () => {
    const t = await makeTestApp();
    await createSite(t, { premoderation: false });
    const poll = await createPoll(t);
    // Cached in the service from these reads.
    await t.http.get('/v1/sites/xa-a/threads/bai-1/comments').expect(200);
    await t.http.get(`/v1/polls/${poll.id}`).expect(200);
    const { runCli } = await import('../src/cli.js');
    expect(await runCli(['sites', 'delete', 'xa-a', '--confirm', 'xa-a'], { ...t.databaseEnv, LOG_LEVEL: 'silent' }, () => {}, () => {})).toBe(0);
    expectProblem(await t.http.post('/v1/sites/xa-a/threads/bai-1/comments').send(form()), 404, 'not_found');
    expectProblem(await t.http.post('/v1/sites/xa-a/pages/bai-1/views').set('User-Agent', CHROME).send({ visitorId: newVoter() }), 404, 'not_found');
    expectProblem(await t.http.post(`/v1/polls/${poll.id}/votes`).send({ optionIds: [poll.options[0]!.id], voterId: newVoter() }), 404, 'not_found');
    expect(await t.sql.value('SELECT COUNT(*) FROM comments')).toBe(0);
  });
});
