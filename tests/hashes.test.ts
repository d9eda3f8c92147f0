import { createHmac } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { ConfigError, testConfig, type Config } from '../src/config.js';
import { startupWarnings } from '../src/server.js';
import { createPoll, createSite, emptyDatabase, expectProblem, makeTestApp, newVoter } from './helpers/app.js';

/** How every version before per-purpose keys hashed: one HMAC key (the salt) for IPs and voter ids alike. */
const oldHash = (salt: string, kind: 'ip' | 'voter', v: string) => createHmac('sha256', salt).update(`${kind}:${v}`).digest('base64url').slice(0, 22);

const ENV_SALT = 'bi-mat-cua-trung-tam-0123456789';

/**
 * A database as an older version left it: a site, a poll, and ballots hashed the old way with
 * `salt` (the database's own salt, or HASH_SALT when `inDatabase` is false).
 */
async function legacyDatabase(salt: string, inDatabase: boolean, voters: string[]) {
  const d = await emptyDatabase();
  const t0 = Date.parse('2026-05-01T00:00:00Z');
  if (inDatabase) await d.sql.run("INSERT INTO settings (key, value) VALUES ('hash_salt', ?)", salt);
  await d.sql.run("INSERT INTO sites (id, name, origins, created_at, updated_at) VALUES ('xa-a', 'Xã A', '[]', ?, ?)", t0, t0);
  await d.sql.run("INSERT INTO polls (id, site_id, question, max_choices, results_visibility, created_at, updated_at) VALUES ('p-cu', 'xa-a', 'Câu hỏi?', 1, 'always', ?, ?)", t0, t0);
  await d.sql.run("INSERT INTO poll_options (id, poll_id, position, label) VALUES ('o1', 'p-cu', 0, 'Có'), ('o2', 'p-cu', 1, 'Không')");
  for (const v of voters) {
    const id = await d.sql.value('INSERT INTO ballots (poll_id, voter_hash, ip_hash, user_agent, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id', 'p-cu', oldHash(salt, 'voter', v), oldHash(salt, 'ip', '127.0.0.1'), 'UA', t0);
    await d.sql.run("INSERT INTO ballot_choices (ballot_id, option_id) VALUES (?, 'o1')", id);
  }
  await d.sql.run("UPDATE poll_options SET votes = ? WHERE id = 'o1'", voters.length);
  await d.sql.run("UPDATE polls SET total_voters = ?, total_choices = ? WHERE id = 'p-cu'", voters.length, voters.length);
  return d;
}

type Database = Awaited<ReturnType<typeof emptyDatabase>>;
const upgrade = async (d: Database, over: Partial<Config>) => {
  const app = await createApp({ storage: d.storage, config: d.config({ HASH_SALT: undefined, ...over }) });
  const vote = (voterId: string) => request(app).post('/v1/polls/p-cu/votes').send({ optionIds: ['o2'], voterId });
  return { app, vote };
};

describe('hashes: one key per purpose', () => {
  it('a ballot and a comment from the same address get unrelated IP hashes, so exports cannot be joined', async () => {
    // Attack (issue 10 §6): the comments export names the writer, the ballots export carries the same
    // IP hash, so joining the two on ip_hash tells a moderator how a named commenter voted.
    const t = await makeTestApp({ TRUST_PROXY: 'loopback' });
    await createSite(t);
    const p = await createPoll(t);
    await t.http.post(`/v1/polls/${p.id}/votes`).set('X-Forwarded-For', '203.0.113.40').send({ optionIds: [p.options[0]!.id], voterId: newVoter() }).expect(201);
    await t.http.post('/v1/sites/xa-a/threads/bai-1/comments').set('X-Forwarded-For', '203.0.113.40').send({ name: 'Trần Thị Bình', content: 'Ý kiến' }).expect(202);
    const ballotIp = (await t.sql.value('SELECT ip_hash FROM ballots')) as string;
    const commentIp = (await t.sql.value('SELECT ip_hash FROM comments')) as string;
    expect(ballotIp).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(commentIp).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(ballotIp).not.toBe(commentIp);
    const ballotsCsv = (await t.admin.get(`/v1/admin/polls/${p.id}/export?detail=votes`)).text;
    const commentsCsv = (await t.admin.get('/v1/admin/comments/export?site=xa-a')).text;
    expect(commentsCsv).toContain(commentIp);
    expect(ballotsCsv).toContain(ballotIp);
    expect(ballotsCsv).not.toContain(commentIp);
    // The view counters' visitor hashes are a domain of their own too.
    const visitor = newVoter();
    await t.http.post('/v1/sites/xa-a/pages/trang/views').set('User-Agent', 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0').send({ visitorId: visitor }).expect(200);
    const viewHash = (await t.sql.value('SELECT visitor_hash FROM counter_visitors')) as string;
    expect(viewHash).not.toBe(t.services.hasher.voter(visitor));
    expect(viewHash).toBe(t.services.hasher.viewVisitor(visitor));
  });

  it('with HASH_SALT set, a stolen database alone does not reproduce any IP hash', async () => {
    // Attack: the salt used to sit beside the hashes; with it, 2^32 HMACs reverse every IPv4 hash.
    const t = await makeTestApp({ TRUST_PROXY: 'loopback', HASH_SALT: ENV_SALT });
    await createSite(t);
    const p = await createPoll(t);
    await t.http.post(`/v1/polls/${p.id}/votes`).set('X-Forwarded-For', '203.0.113.41').send({ optionIds: [p.options[0]!.id], voterId: newVoter() }).expect(201);
    const stored = (await t.sql.value('SELECT ip_hash FROM ballots')) as string;
    // Everything the thief has: every setting in the file, tried as the key of the old or the new derivation.
    const fromDb = (await createApp({ storage: t.storage, config: { ...t.config, HASH_SALT: undefined } })).locals.services.hasher;
    expect(fromDb.ballotIp('203.0.113.41')).not.toBe(stored);
    for (const value of (await t.sql.column('SELECT value FROM settings')) as string[]) expect(oldHash(value, 'ip', '203.0.113.41')).not.toBe(stored);
    expect(t.services.hasher.ballotIp('203.0.113.41')).toBe(stored);
  });

  it('warns at start-up in production when HASH_SALT is not set', () => {
    expect(startupWarnings(testConfig({ NODE_ENV: 'production', HASH_SALT: undefined })).join('\n')).toMatch(/HASH_SALT/);
    expect(startupWarnings(testConfig({ NODE_ENV: 'production', HASH_SALT: ENV_SALT })).join('\n')).not.toMatch(/HASH_SALT/);
    expect(startupWarnings(testConfig({ NODE_ENV: 'development', HASH_SALT: undefined })).join('\n')).not.toMatch(/HASH_SALT/);
  });
});

describe('hashes: upgrading keeps one vote per voter', () => {
  it('a voter of the old version is refused a second vote after the upgrade, and still after HASH_SALT is set', async () => {
    const before = newVoter();
    const d = await legacyDatabase('muoi-sau-ky-tu-cu-0123456789', true, [before, newVoter()]);
    const first = await upgrade(d, {});
    expectProblem(await first.vote(before), 409, 'already_voted');
    const after = newVoter();
    expect((await first.vote(after)).status).toBe(201);
    // The operator follows the new advice and sets HASH_SALT: nobody may vote twice because of it.
    const later = await upgrade(d, { HASH_SALT: ENV_SALT });
    expectProblem(await later.vote(before), 409, 'already_voted');
    expectProblem(await later.vote(after), 409, 'already_voted');
    expect((await later.vote(newVoter())).status).toBe(201);
    expect(await d.sql.value('SELECT COUNT(*) FROM ballots')).toBe(4);
  });

  it('an installation that already ran with HASH_SALT keeps its voters, and refuses to start without it', async () => {
    const before = newVoter();
    const d = await legacyDatabase(ENV_SALT, false, [before]);
    const upgraded = await upgrade(d, { HASH_SALT: ENV_SALT });
    expectProblem(await upgraded.vote(before), 409, 'already_voted');
    const after = newVoter();
    expect((await upgraded.vote(after)).status).toBe(201);
    expectProblem(await (await upgrade(d, { HASH_SALT: ENV_SALT })).vote(after), 409, 'already_voted');
    // Without HASH_SALT every earlier voter could vote again: refuse to start instead.
    let err: unknown;
    try {
      await upgrade(d, {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain('HASH_SALT');
  });

  it('a new installation keeps its voters when HASH_SALT is set, changed or removed later', async () => {
    const d = await emptyDatabase();
    const a = await upgrade(d, {});
    const site = await request(a.app).post('/v1/admin/sites').set('Authorization', `Bearer ${(await a.app.locals.services.keys.create({ name: 'A', role: 'admin' })).key}`).send({ id: 'xa-a', name: 'Xã A' });
    expect(site.status).toBe(201);
    await a.app.locals.services.polls.create({ site: 'xa-a', question: 'Câu hỏi?', options: ['Có', 'Không'], maxChoices: 1, resultsVisibility: 'always' }, 'test');
    const pollId = await d.sql.value<string>('SELECT id FROM polls');
    const optionId = await d.sql.value<string>('SELECT id FROM poll_options LIMIT 1');
    const voter = newVoter();
    const vote = async (over: Partial<Config>) => request((await upgrade(d, over)).app).post(`/v1/polls/${pollId}/votes`).send({ optionIds: [optionId], voterId: voter });
    expect((await vote({})).status).toBe(201);
    for (const over of [{ HASH_SALT: ENV_SALT }, { HASH_SALT: `${ENV_SALT}-moi` }, {}]) expectProblem(await vote(over), 409, 'already_voted');
  });
});
