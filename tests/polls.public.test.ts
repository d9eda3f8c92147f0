import { describe, expect, it } from 'vitest';
import { createPoll, createSite, expectProblem, makeTestApp, newVoter, testClock, type TestApp } from './helpers/app.js';

const count = (t: TestApp, sql: string) => t.sql.value<number>(sql);

/** Counters must always equal the rows they summarise. */
async function expectCountersMatchRows(t: TestApp, pollId: string) {
  const poll = (await t.sql.rows('SELECT total_choices, total_voters FROM polls WHERE id = ?', pollId))[0] as { total_choices: number; total_voters: number };
  expect(poll.total_voters).toBe(await t.sql.value('SELECT COUNT(*) FROM ballots WHERE poll_id = ?', pollId));
  expect(poll.total_choices).toBe(
    (await t.sql.value('SELECT COUNT(*) FROM ballot_choices c JOIN ballots b ON b.id = c.ballot_id WHERE b.poll_id = ?', pollId)),
  );
  const options = (await t.sql.rows('SELECT id, votes FROM poll_options WHERE poll_id = ?', pollId)) as { id: string; votes: number }[];
  for (const o of options) expect(o.votes).toBe(await t.sql.value('SELECT COUNT(*) FROM ballot_choices WHERE option_id = ?', o.id));
}

describe('public poll API', () => {
  it("reproduces the portal's sidebar results: 5/10/6 of 21 → 23.8/47.6/28.6", async () => {
    const t = await makeTestApp();
    await createSite(t);
    const p = await createPoll(t);
    const plan = [5, 10, 6];
    for (const [i, n] of plan.entries())
      for (let k = 0; k < n; k++)
        await t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: [p.options[i]!.id], voterId: newVoter() }).expect(201);
    const r = await t.http.get(`/v1/polls/${p.id}/results`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ pollId: p.id, total: 21, voters: 21 });
    expect(r.body.options.map((o: { votes: number; percent: number }) => [o.votes, o.percent])).toEqual([[5, 23.8], [10, 47.6], [6, 28.6]]);
    await expectCountersMatchRows(t, p.id);
  });

  it('shows the poll to a visitor with status, options and whether they voted', async () => {
    const t = await makeTestApp();
    await createSite(t);
    const p = await createPoll(t);
    const voter = newVoter();
    const before = await t.http.get(`/v1/polls/${p.id}?voterId=${voter}`);
    expect(before.status).toBe(200);
    expect(before.headers['cache-control']).toBe('private, no-cache');
    expect(before.body).toMatchObject({ id: p.id, status: 'open', voted: false, maxChoices: 1, resultsVisible: true });
    expect(before.body.options[0]).toEqual({ id: p.options[0]!.id, label: 'Bình thường' });
    const vote = await t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: [p.options[2]!.id], voterId: voter });
    expect(vote.status).toBe(201);
    expect(vote.body.results.options[2]).toMatchObject({ votes: 1, percent: 100 });
    expect((await t.http.get(`/v1/polls/${p.id}?voterId=${voter}`)).body.voted).toBe(true);
    expect((await t.http.get(`/v1/polls/${p.id}`)).body.voted).toBe(false);
  });

  it('answers 304 to a conditional read when nothing changed', async () => {
    const t = await makeTestApp();
    await createSite(t);
    const p = await createPoll(t);
    const first = await t.http.get(`/v1/polls/${p.id}/results`);
    expect(first.headers.etag).toBeTruthy();
    expect((await t.http.get(`/v1/polls/${p.id}/results`).set('If-None-Match', first.headers.etag!)).status).toBe(304);
    await t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: [p.options[0]!.id], voterId: newVoter() }).expect(201);
    expect((await t.http.get(`/v1/polls/${p.id}/results`).set('If-None-Match', first.headers.etag!)).status).toBe(200);
  });

  it('refuses a second vote by the same voter with 409 already_voted and keeps counts equal to rows', async () => {
    const t = await makeTestApp();
    await createSite(t);
    const p = await createPoll(t);
    const voterId = newVoter();
    await t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: [p.options[0]!.id], voterId }).expect(201);
    const again = await t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: [p.options[1]!.id], voterId });
    expectProblem(again, 409, 'already_voted');
    // Concurrent duplicates: exactly one wins.
    const v2 = newVoter();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: [p.options[1]!.id], voterId: v2 })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(9);
    expect(await count(t, 'SELECT COUNT(*) FROM ballots')).toBe(2);
    await expectCountersMatchRows(t, p.id);
  });

  it('group-commits votes of one event-loop turn: refused ones roll back alone, the rest all land', async () => {
    const t = await makeTestApp();
    await createSite(t);
    const p = await createPoll(t, { options: ['A', 'B', 'C'], maxChoices: 1 });
    const [a, b] = p.options.map((o) => o.id) as [string, string];
    const client = { ip: '203.0.113.5', userAgent: 'test' };
    const first = newVoter();
    // Queued in the same turn, so written by one transaction with a savepoint each.
    const settled = await Promise.allSettled([
      t.services.polls.vote(p.id, { optionIds: [a], voterId: first }, client),
      ...Array.from({ length: 20 }, (_, i) => t.services.polls.vote(p.id, { optionIds: [i % 2 ? a : b], voterId: newVoter() }, client)),
      t.services.polls.vote(p.id, { optionIds: [b], voterId: first }, client),
      t.services.polls.vote(p.id, { optionIds: [a, b], voterId: newVoter() }, client),
    ]);
    const codes = settled.map((r) => (r.status === 'fulfilled' ? 201 : (r.reason as { code: string }).code));
    expect(codes.filter((c) => c === 201)).toHaveLength(21);
    expect(codes.at(-2)).toBe('already_voted');
    expect(codes.at(-1)).toBe('too_many_choices');
    // Each answer shows the counts of its own commit; the last commit saw all 21. (Not always vote 21's: on
    // PostgreSQL each vote's reads before it queues finish in any order, so one turn may make two batches.)
    const voters = settled.flatMap((r) => (r.status === 'fulfilled' ? [(r.value as { poll: { results: { voters: number } } }).poll.results.voters] : []));
    expect(Math.max(...voters)).toBe(21);
    expect(await count(t, 'SELECT COUNT(*) FROM ballots')).toBe(21);
    await expectCountersMatchRows(t, p.id);
  });

  it('votes on two polls sent together are each answered with their own poll and their own commit', async () => {
    // On PostgreSQL the votes one batch commits share one answer (src/polls/polls.service.ts): never another poll's.
    const t = await makeTestApp();
    await createSite(t);
    const p = await createPoll(t, { options: ['Bình thường', 'Đẹp, tiện lợi tra cứu'] });
    const q = await createPoll(t, { question: 'Bạn có hài lòng với dịch vụ công trực tuyến không?', options: ['Hài lòng', 'Chưa hài lòng'] });
    const sent = Array.from({ length: 24 }, (_, i) => {
      const poll = i % 3 ? p : q;
      return t.http.post(`/v1/polls/${poll.id}/votes`).send({ optionIds: [poll.options[i % 2]!.id], voterId: newVoter() }).then((res) => ({ poll, res }));
    });
    const answers = await Promise.all(sent);
    for (const { poll, res } of answers) {
      expect(res.status).toBe(201);
      expect(res.body.pollId).toBe(poll.id);
      expect(res.body.poll.id).toBe(poll.id);
      expect(res.body.poll.options.map((o: { id: string }) => o.id)).toEqual(poll.options.map((o) => o.id));
      expect(res.body.results).toEqual(res.body.poll.results);
      expect(res.body.results.voters).toBeGreaterThanOrEqual(1);
    }
    const most = (poll: typeof p) => Math.max(...answers.filter((a) => a.poll === poll).map((a) => a.res.body.results.voters as number));
    expect([most(p), most(q)]).toEqual([16, 8]);
    await expectCountersMatchRows(t, p.id);
    await expectCountersMatchRows(t, q.id);
  });

  it('multiple choice: total counts choices, voters counts people, percent is of total', async () => {
    const t = await makeTestApp();
    await createSite(t);
    const p = await createPoll(t, { options: ['A', 'B', 'C', 'D'], maxChoices: 2 });
    const [a, b, c, d] = p.options.map((o) => o.id) as [string, string, string, string];
    await t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: [a, b], voterId: newVoter() }).expect(201);
    await t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: [a], voterId: newVoter() }).expect(201);
    await t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: [a, c], voterId: newVoter() }).expect(201);
    expectProblem(await t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: [a, b, c], voterId: newVoter() }), 422, 'too_many_choices');
    expectProblem(await t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: [a, a], voterId: newVoter() }), 400, 'validation_failed');
    const r = (await t.http.get(`/v1/polls/${p.id}/results`)).body;
    expect(r.total).toBe(5);
    expect(r.voters).toBe(3);
    expect(r.options.map((o: { votes: number; percent: number }) => [o.votes, o.percent])).toEqual([[3, 60], [1, 20], [1, 20], [0, 0]]);
    expect(d).toBeTruthy();
    await expectCountersMatchRows(t, p.id);
  });

  it('rejects unknown options, empty choices and bad voter ids without writing anything', async () => {
    const t = await makeTestApp();
    await createSite(t);
    const p = await createPoll(t);
    const other = await createPoll(t);
    expectProblem(await t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: [other.options[0]!.id], voterId: newVoter() }), 422, 'unknown_option');
    expectProblem(await t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: [], voterId: newVoter() }), 400, 'validation_failed');
    expectProblem(await t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: [p.options[0]!.id], voterId: 'x' }), 400, 'validation_failed');
    expectProblem(await t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: p.options[0]!.id, voterId: newVoter() }), 400, 'validation_failed');
    expectProblem(await t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: [1], voterId: newVoter() }), 400, 'validation_failed');
    expectProblem(await t.http.post(`/v1/polls/${p.id}/votes`).set('Content-Type', 'application/json').send('{"optionIds": ['), 400, 'malformed_json');
    expectProblem(await t.http.post(`/v1/polls/${p.id}/votes`).set('Content-Type', 'application/json').send('[]'), 400, 'validation_failed');
    expectProblem(await t.http.post(`/v1/polls/${p.id}/votes`).set('Content-Type', 'application/json').send('"x"'), 400, 'malformed_json');
    expectProblem(await t.http.post(`/v1/polls/${p.id}/votes`).send('optionIds=1'), 400, 'validation_failed');
    const huge = { optionIds: [p.options[0]!.id], voterId: newVoter(), pad: 'x'.repeat(100_000) };
    expectProblem(await t.http.post(`/v1/polls/${p.id}/votes`).send(huge), 413, 'body_too_large');
    expectProblem(await t.http.post(`/v1/polls/nope/votes`).send({ optionIds: ['a'], voterId: newVoter() }), 404, 'not_found');
    expectProblem(await t.http.get(`/v1/polls/${p.id}?voterId=${encodeURIComponent('<script>')}`), 400, 'validation_failed');
    expectProblem(await t.http.get(`/v1/polls/${p.id}?voterId=abcdefgh&voterId=ijklmnop`), 400, 'validation_failed');
    expect(await count(t, 'SELECT COUNT(*) FROM ballots')).toBe(0);
    expect(await count(t, 'SELECT COUNT(*) FROM poll_options WHERE votes <> 0')).toBe(0);
  });

  it('computes scheduled/open/closed from the dates on every request', async () => {
    const clock = testClock(Date.parse('2026-12-01T00:00:00Z'));
    const t = await makeTestApp({}, { clock });
    await createSite(t);
    const p = await createPoll(t, { opensAt: '2026-12-01T08:00:00+07:00', closesAt: '2026-12-02T08:00:00+07:00' });
    expect(p.status).toBe('scheduled');
    const body = { optionIds: [p.options[0]!.id], voterId: newVoter() };
    const early = await t.http.post(`/v1/polls/${p.id}/votes`).send(body);
    expectProblem(early, 409, 'poll_not_open');
    expect(early.body.opensAt).toBe('2026-12-01T01:00:00.000Z');
    clock.set(Date.parse('2026-12-01T01:00:00Z'));
    expect((await t.http.get(`/v1/polls/${p.id}`)).body.status).toBe('open');
    await t.http.post(`/v1/polls/${p.id}/votes`).send(body).expect(201);
    clock.set(Date.parse('2026-12-02T01:00:00Z'));
    expect((await t.http.get(`/v1/polls/${p.id}`)).body.status).toBe('closed');
    expectProblem(await t.http.post(`/v1/polls/${p.id}/votes`).send({ ...body, voterId: newVoter() }), 409, 'poll_closed');
  });

  it('hides results per resultsVisibility: after_vote shows them to voters, after_close only once closed', async () => {
    const t = await makeTestApp();
    await createSite(t);
    const av = await createPoll(t, { resultsVisibility: 'after_vote' });
    const voter = newVoter();
    const hidden = await t.http.get(`/v1/polls/${av.id}/results?voterId=${voter}`);
    expectProblem(hidden, 403, 'results_hidden');
    expect((await t.http.get(`/v1/polls/${av.id}?voterId=${voter}`)).body).toMatchObject({ resultsVisible: false, results: null });
    const vote = await t.http.post(`/v1/polls/${av.id}/votes`).send({ optionIds: [av.options[0]!.id], voterId: voter });
    expect(vote.body.results.total).toBe(1);
    expect((await t.http.get(`/v1/polls/${av.id}/results?voterId=${voter}`)).status).toBe(200);
    expectProblem(await t.http.get(`/v1/polls/${av.id}/results?voterId=${newVoter()}`), 403, 'results_hidden');

    const ac = await createPoll(t, { resultsVisibility: 'after_close' });
    const v2 = newVoter();
    const vote2 = await t.http.post(`/v1/polls/${ac.id}/votes`).send({ optionIds: [ac.options[0]!.id], voterId: v2 });
    expect(vote2.status).toBe(201);
    expect(vote2.body.results).toBeNull();
    expectProblem(await t.http.get(`/v1/polls/${ac.id}/results?voterId=${v2}`), 403, 'results_hidden');
    // The admin always sees them.
    expect((await t.admin.get(`/v1/admin/polls/${ac.id}`)).body.results.total).toBe(1);
    await t.admin.post(`/v1/admin/polls/${ac.id}/close`).expect(200);
    expect((await t.http.get(`/v1/polls/${ac.id}/results`)).body.total).toBe(1);
  });

  it('caps votes per IP per poll per 24 h (VOTE_LIMIT_PER_IP), storing only a salted hash of the IP', async () => {
    const clock = testClock();
    const t = await makeTestApp({ VOTE_LIMIT_PER_IP: 3 }, { clock });
    await createSite(t);
    const p = await createPoll(t);
    const other = await createPoll(t);
    const vote = (id: string, optionId: string) => t.http.post(`/v1/polls/${id}/votes`).send({ optionIds: [optionId], voterId: newVoter() });
    for (let i = 0; i < 3; i++) expect((await vote(p.id, p.options[0]!.id)).status).toBe(201);
    expectProblem(await vote(p.id, p.options[0]!.id), 429, 'ip_vote_limit');
    expect((await vote(other.id, other.options[0]!.id)).status).toBe(201); // per poll
    clock.advance(24 * 3600_000 + 1000);
    expect((await vote(p.id, p.options[0]!.id)).status).toBe(201);
    const stored = (await t.sql.column('SELECT ip_hash FROM ballots')) as string[];
    for (const h of stored) {
      expect(h).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(h).not.toContain('127.0.0.1');
    }
    expect(JSON.stringify(await t.sql.rows('SELECT * FROM ballots'))).not.toMatch(/127\.0\.0\.1|::1|::ffff/);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY says so', async () => {
    const untrusted = await makeTestApp({ VOTE_LIMIT_PER_IP: 1 });
    await createSite(untrusted);
    const p = await createPoll(untrusted);
    const send = (t: TestApp, id: string, optionId: string, xff: string) =>
      t.http.post(`/v1/polls/${id}/votes`).set('X-Forwarded-For', xff).send({ optionIds: [optionId], voterId: newVoter() });
    expect((await send(untrusted, p.id, p.options[0]!.id, '203.0.113.1')).status).toBe(201);
    expectProblem(await send(untrusted, p.id, p.options[0]!.id, '203.0.113.2'), 429, 'ip_vote_limit');

    const trusted = await makeTestApp({ VOTE_LIMIT_PER_IP: 1, TRUST_PROXY: 'loopback' });
    await createSite(trusted);
    const q = await createPoll(trusted);
    expect((await send(trusted, q.id, q.options[0]!.id, '203.0.113.1')).status).toBe(201);
    expect((await send(trusted, q.id, q.options[0]!.id, '203.0.113.2')).status).toBe(201);
    expectProblem(await send(trusted, q.id, q.options[0]!.id, '203.0.113.2'), 429, 'ip_vote_limit');
  });

  it('rate-limits writes per IP with 429 rate_limited', async () => {
    const t = await makeTestApp({ RATE_LIMIT_WRITE_PER_MIN: 2 });
    await createSite(t);
    const p = await createPoll(t);
    const vote = () => t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: [p.options[0]!.id], voterId: newVoter() });
    expect((await vote()).status).toBe(201);
    expect((await vote()).status).toBe(201);
    const limited = await vote();
    expectProblem(limited, 429, 'rate_limited');
    expect(limited.headers['retry-after']).toBeTruthy();
    expect(await count(t, 'SELECT COUNT(*) FROM ballots')).toBe(2);
  });
});
