import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { networkKey } from '../src/util/network.js';
import { createPoll, createSite, expectProblem, makeTestApp, newVoter, type TestApp } from './helpers/app.js';

/** Mobile networks hand each phone a /64: a script picks a new interface id for every request. */
const rotating = (i: number) => `2405:4800:10a:2b3c:${(i * 40503 % 65536).toString(16)}:${(i * 7919 % 65536).toString(16)}:${i.toString(16)}:1`;

const voteFrom = (t: TestApp, pollId: string, optionId: string, ip: string) =>
  t.http.post(`/v1/polls/${pollId}/votes`).set('X-Forwarded-For', ip).send({ optionIds: [optionId], voterId: newVoter() });

describe('the network key of a client', () => {
  it('is the /64 for IPv6 (IPV6_PREFIX_LENGTH), the address itself for IPv4, and IPv4-mapped equals IPv4', () => {
    expect(networkKey('2405:4800:10a:2b3c:1:2:3:4', 64)).toBe(networkKey('2405:4800:10a:2b3c:ffff:eeee:dddd:cccc', 64));
    expect(networkKey('2405:4800:10a:2b3c::1', 64)).not.toBe(networkKey('2405:4800:10a:2b3d::1', 64));
    expect(networkKey('2405:4800:10a:2b3c::1', 128)).not.toBe(networkKey('2405:4800:10a:2b3c::2', 128));
    expect(networkKey('2405:4800:10a:2b3c::1', 48)).toBe(networkKey('2405:4800:10a:ffff::2', 48));
    expect(networkKey('::ffff:203.0.113.5', 64)).toBe('203.0.113.5');
    expect(networkKey('::ffff:cb00:7105', 64)).toBe('203.0.113.5');
    expect(networkKey('203.0.113.5', 64)).toBe('203.0.113.5');
    expect(networkKey('203.0.113.5', 64)).not.toBe(networkKey('203.0.113.6', 64));
    expect(networkKey(undefined, 64)).toBe('unknown');
  });

  it('takes IPV6_PREFIX_LENGTH from the configuration, 32 to 128, default 64', () => {
    expect(loadConfig({}).IPV6_PREFIX_LENGTH).toBe(64);
    expect(loadConfig({ IPV6_PREFIX_LENGTH: '56' }).IPV6_PREFIX_LENGTH).toBe(56);
    for (const bad of ['31', '129', 'x']) expect(() => loadConfig({ IPV6_PREFIX_LENGTH: bad })).toThrow(ConfigError);
  });
});

describe('per-IP caps on IPv6', () => {
  it('300 votes from rotating interface ids inside one /64 hit VOTE_LIMIT_PER_IP; another /64 is separate', async () => {
    // Attack (issue 10 §3): one phone, 300 addresses of its own /64, 300 accepted ballots where the cap is 50.
    const t = await makeTestApp({ VOTE_LIMIT_PER_IP: 50, TRUST_PROXY: 'loopback' });
    await createSite(t);
    const p = await createPoll(t);
    const statuses: number[] = [];
    for (let i = 0; i < 300; i++) statuses.push((await voteFrom(t, p.id, p.options[i % 3]!.id, rotating(i))).status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(50);
    expect(statuses.filter((s) => s === 429)).toHaveLength(250);
    expectProblem(await voteFrom(t, p.id, p.options[0]!.id, '2405:4800:10a:2b3c::abcd'), 429, 'ip_vote_limit');
    // The neighbouring /64 is somebody else.
    expect((await voteFrom(t, p.id, p.options[0]!.id, '2405:4800:10a:2b3d::1')).status).toBe(201);
    expect(await t.sql.value('SELECT COUNT(*) FROM ballots')).toBe(51);
  });

  it('an IPv4-mapped IPv6 address counts as the IPv4 address', async () => {
    const t = await makeTestApp({ VOTE_LIMIT_PER_IP: 2, TRUST_PROXY: 'loopback' });
    await createSite(t);
    const p = await createPoll(t);
    expect((await voteFrom(t, p.id, p.options[0]!.id, '203.0.113.5')).status).toBe(201);
    expect((await voteFrom(t, p.id, p.options[0]!.id, '::ffff:203.0.113.5')).status).toBe(201);
    expectProblem(await voteFrom(t, p.id, p.options[0]!.id, '::ffff:203.0.113.5'), 429, 'ip_vote_limit');
    expectProblem(await voteFrom(t, p.id, p.options[0]!.id, '203.0.113.5'), 429, 'ip_vote_limit');
    expect((await voteFrom(t, p.id, p.options[0]!.id, '203.0.113.6')).status).toBe(201);
  });

  it('IPV6_PREFIX_LENGTH=128 keys on the exact address for networks that give one address per customer', async () => {
    const t = await makeTestApp({ VOTE_LIMIT_PER_IP: 1, TRUST_PROXY: 'loopback', IPV6_PREFIX_LENGTH: 128 });
    await createSite(t);
    const p = await createPoll(t);
    expect((await voteFrom(t, p.id, p.options[0]!.id, '2405:4800:10a:2b3c::1')).status).toBe(201);
    expect((await voteFrom(t, p.id, p.options[0]!.id, '2405:4800:10a:2b3c::2')).status).toBe(201);
    expectProblem(await voteFrom(t, p.id, p.options[0]!.id, '2405:4800:10a:2b3c::2'), 429, 'ip_vote_limit');
  });

  it('the per-minute rate limits key on the /64 too (writes, comments, page views)', async () => {
    const t = await makeTestApp({ TRUST_PROXY: 'loopback', RATE_LIMIT_WRITE_PER_MIN: 3, RATE_LIMIT_COMMENT_PER_MIN: 2, RATE_LIMIT_VIEWS_PER_MIN: 2 });
    await createSite(t);
    const p = await createPoll(t);
    for (let i = 0; i < 3; i++) expect((await voteFrom(t, p.id, p.options[0]!.id, rotating(i))).status).toBe(201);
    expectProblem(await voteFrom(t, p.id, p.options[0]!.id, rotating(3)), 429, 'rate_limited');
    expect((await voteFrom(t, p.id, p.options[0]!.id, '2405:4800:10a:2b3d::1')).status).toBe(201);

    const comment = (ip: string) =>
      t.http.post('/v1/sites/xa-a/threads/bai-1/comments').set('X-Forwarded-For', ip).send({ name: 'An', content: `Ý kiến từ ${ip}` });
    expect((await comment('2001:db8:77:1::1')).status).toBe(202);
    expect((await comment('2001:db8:77:1::2')).status).toBe(202);
    expectProblem(await comment('2001:db8:77:1:ffff::3'), 429, 'rate_limited');

    const ua = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    const view = (ip: string) =>
      t.http.post('/v1/sites/xa-a/pages/trang/views').set('X-Forwarded-For', ip).set('User-Agent', ua).send({ visitorId: newVoter() });
    expect((await view('2001:db8:88:1::1')).status).toBe(200);
    expect((await view('2001:db8:88:1::2')).status).toBe(200);
    expectProblem(await view('2001:db8:88:1::3'), 429, 'rate_limited');
  });

  it('comments from one /64 carry one IP hash, so a moderator sees one network', async () => {
    const t = await makeTestApp({ TRUST_PROXY: 'loopback' });
    await createSite(t);
    for (const ip of ['2001:db8:99:1::1', '2001:db8:99:1:abcd::2', '2001:db8:99:2::1'])
      await t.http.post('/v1/sites/xa-a/threads/bai-1/comments').set('X-Forwarded-For', ip).send({ name: 'An', content: `Ý kiến từ ${ip}` }).expect(202);
    const hashes = await t.sql.column<string>('SELECT ip_hash FROM comments ORDER BY content');
    expect(hashes[0]).toBe(hashes[1]);
    expect(hashes[2]).not.toBe(hashes[0]);
  });
});
