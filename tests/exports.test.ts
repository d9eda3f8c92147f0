import { PassThrough, Writable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse/sync';
import type request from 'supertest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCommand } from './helpers/cli.js';
import { answersFor, createSurvey } from './helpers/surveys.js';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { csvStringifier, guardCell } from '../src/exports/csv.js';
import { createPoll, createSite, expectProblem, makeTestApp, newVoter, testClock, type TestApp } from './helpers/app.js';

/** 20:00 UTC on 8 June is 03:00 on 9 June in Việt Nam: file names and times use the site's zone. */
const START = Date.parse('2026-06-08T20:00:00Z');

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

async function download(t: TestApp, url: string) {
  const res = await t.admin.get(url).buffer(true).parse(binary);
  return { res, bytes: res.body as Buffer, text: (res.body as Buffer).toString('utf8') };
}

const rowsOf = (csv: string | Buffer) => parseCsv(csv, { bom: true, columns: true, skip_empty_lines: true }) as Record<string, string>[];

async function vote(t: TestApp, pollId: string, optionIds: string[], opts: { voterId?: string; ua?: string } = {}) {
  const voterId = opts.voterId ?? newVoter();
  const req = t.http.post(`/v1/polls/${pollId}/votes`);
  if (opts.ua) req.set('User-Agent', opts.ua);
  const res = await req.send({ optionIds, voterId });
  expect(res.status).toBe(201);
  return voterId;
}

async function pollWithVotes() {
  const clock = testClock(START);
  const t = await makeTestApp({}, { clock });
  await createSite(t);
  const p = await createPoll(t, { options: ['Bình thường', '=HYPERLINK("http://evil.example","Bấm")', '@SUM(1+1)', '- Cần chỉnh sửa thêm'], maxChoices: 2 });
  const [a, b, c, d] = p.options.map((o) => o.id) as [string, string, string, string];
  const ballots: { voterId: string; optionIds: string[]; ua: string; at: number }[] = [];
  const plan: [string[], string][] = [
    [[a], 'Mozilla/5.0 (Android 14) Chrome/126'],
    [[d, b], '=cmd|\' /C calc\'!A0'],
    [[b], '+1 (Firefox)'],
    [[a, c], '-2+3'],
    [[a], 'CocCoc/128'],
  ];
  for (const [optionIds, ua] of plan) {
    const at = clock.now();
    ballots.push({ voterId: await vote(t, p.id, optionIds, { ua }), optionIds, ua, at });
    clock.advance(37 * 60_000 + 5_000);
  }
  return { t, p, ballots, ids: { a, b, c, d } };
}

describe('poll results export', () => {
  it('CSV: BOM, RFC 4180, formula guard, the same numbers as the admin API, a dated file name', async () => {
    const { t, p } = await pollWithVotes();
    const { res, bytes, text } = await download(t, `/v1/admin/polls/${p.id}/export?format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="ykien-poll-${p.id}-2026-06-09.csv"`);
    expect(res.headers['cache-control']).toBe('no-store');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text).toContain('\r\n');
    expect(text).toContain('Xin bạn cho ý kiến về cổng thông tin của chúng tôi?');

    const api = (await t.admin.get(`/v1/admin/polls/${p.id}`)).body.results;
    const rows = rowsOf(bytes);
    expect(rows).toHaveLength(4);
    expect(Object.keys(rows[0]!)).toEqual(['poll_id', 'question', 'option_id', 'option', 'votes', 'Số phiếu ban đầu (nhập từ hệ thống cũ)', 'percent', 'total_choices', 'voters']);
    rows.forEach((r, i) => {
      const o = api.options[i];
      expect(r.poll_id).toBe(p.id);
      expect(r.option_id).toBe(o.id);
      expect(r.option!.replace(/^'/, '')).toBe(o.label);
      expect(Number(r.votes)).toBe(o.votes);
      expect(Number(r.percent)).toBe(o.percent);
      expect(Number(r.total_choices)).toBe(api.total);
      expect(Number(r.voters)).toBe(api.voters);
    });
    expect(api.total).toBe(7);
    expect(api.voters).toBe(5);
    // Cells a spreadsheet would run as formulas start with an apostrophe; plain text is untouched.
    expect(rows.map((r) => r.option)).toEqual(['Bình thường', `'=HYPERLINK("http://evil.example","Bấm")`, "'@SUM(1+1)", "'- Cần chỉnh sửa thêm"]);
  });

  it('JSON: the admin API results, with the poll dates in the site time zone', async () => {
    const { t, p } = await pollWithVotes();
    await t.admin.patch(`/v1/admin/polls/${p.id}`, { closesAt: '2026-07-01T10:00:00Z' }).expect(200);
    const { res, text } = await download(t, `/v1/admin/polls/${p.id}/export?format=json`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="ykien-poll-${p.id}-2026-06-09.json"`);
    const body = JSON.parse(text);
    const api = (await t.admin.get(`/v1/admin/polls/${p.id}`)).body;
    expect(body.results).toEqual(api.results);
    expect(body.timezone).toBe('Asia/Ho_Chi_Minh');
    expect(body.poll).toMatchObject({ id: p.id, site: 'xa-a', question: api.question, status: 'open', maxChoices: 2 });
    expect(body.poll.closesAt).toBe('2026-07-01T17:00:00+07:00');
    expect(body.poll.createdAt).toBe('2026-06-09T03:00:00+07:00');
    expect(Date.parse(body.poll.createdAt)).toBe(Date.parse(api.createdAt));
    expect(body.exportedAt).toMatch(/\+07:00$/);
  });

  it('records every export in the audit log, and refuses bad queries, unknown polls and moderators', async () => {
    const { t, p } = await pollWithVotes();
    await download(t, `/v1/admin/polls/${p.id}/export?format=csv&detail=votes`);
    const audit = (await t.admin.get('/v1/admin/audit?action=poll.export')).body.entries;
    expect(audit[0]).toMatchObject({ action: 'poll.export', targetId: p.id, site: 'xa-a', detail: { format: 'csv', detail: 'votes' } });

    expectProblem(await t.admin.get(`/v1/admin/polls/${p.id}/export?format=xls`), 400, 'validation_failed');
    expectProblem(await t.admin.get(`/v1/admin/polls/${p.id}/export?detail=all`), 400, 'validation_failed');
    expectProblem(await t.admin.get(`/v1/admin/polls/${p.id}/export?format=csv&extra=1`), 400, 'validation_failed');
    expectProblem(await t.admin.get('/v1/admin/polls/khong-co/export'), 404, 'not_found');
    expectProblem(await t.http.get(`/v1/admin/polls/${p.id}/export`), 401, 'unauthorized');
    const mod = (await t.services.keys.create({ name: 'Điều hành viên', role: 'moderator', siteId: 'xa-a' })).key;
    expectProblem(await t.http.get(`/v1/admin/polls/${p.id}/export`).set('Authorization', `Bearer ${mod}`), 403, 'forbidden');
    // Default format is CSV.
    expect((await download(t, `/v1/admin/polls/${p.id}/export`)).res.headers['content-type']).toBe('text/csv; charset=utf-8');
  });
});

describe('ballot export (detail=votes)', () => {
  it('CSV: one row per ballot, local time with offset, options in poll order, hashes and never a raw IP', async () => {
    const { t, p, ballots, ids } = await pollWithVotes();
    const { res, bytes, text } = await download(t, `/v1/admin/polls/${p.id}/export?format=csv&detail=votes`);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="ykien-poll-${p.id}-votes-2026-06-09.csv"`);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text).not.toMatch(/127\.0\.0\.1|::1/);

    const rows = rowsOf(bytes);
    expect(Object.keys(rows[0]!)).toEqual(['ballot_id', 'time', 'option_ids', 'options', 'voter_hash', 'ip_hash', 'user_agent']);
    expect(rows).toHaveLength(ballots.length);
    const labels = new Map(p.options.map((o) => [o.id, o.label]));
    const order = [ids.a, ids.b, ids.c, ids.d];
    for (const [i, r] of rows.entries()) {
      const b = ballots[i]!;
      expect(Date.parse(r.time!)).toBe(b.at);
      expect(r.time).toMatch(/^2026-06-09T\d\d:\d\d:\d\d\+07:00$/);
      const sorted = [...b.optionIds].sort((x, y) => order.indexOf(x) - order.indexOf(y));
      expect(r.option_ids).toBe(sorted.join(' '));
      expect(r.options).toBe(guardCell(sorted.map((o) => labels.get(o)).join('; ')));
      // Hashes are base64url: one starting with "-" is guarded like any other text cell.
      const voterHash = t.services.hasher.voter(b.voterId);
      expect(r.voter_hash).toBe(guardCell(voterHash));
      const ipHash = (await t.sql.value('SELECT ip_hash FROM ballots WHERE voter_hash = ?', voterHash)) as string;
      expect(r.ip_hash).toBe(guardCell(ipHash));
      expect(['127.0.0.1', '::ffff:127.0.0.1', '::1'].map((ip) => t.services.hasher.ballotIp(ip))).toContain(ipHash);
      expect(r.user_agent!.replace(/^'/, '')).toBe(b.ua);
    }
    expect(rows[0]!.time).toBe('2026-06-09T03:00:00+07:00');
    expect(rows[1]!.time).toBe('2026-06-09T03:37:05+07:00');
    // Formula guard on user agents too (a voter chooses their own).
    expect(rows.map((r) => r.user_agent)).toEqual([
      'Mozilla/5.0 (Android 14) Chrome/126',
      `'=cmd|' /C calc'!A0`,
      "'+1 (Firefox)",
      "'-2+3",
      'CocCoc/128',
    ]);
  });

  it('JSON: the same ballots as the CSV, plus the results', async () => {
    const { t, p } = await pollWithVotes();
    const csv = rowsOf((await download(t, `/v1/admin/polls/${p.id}/export?format=csv&detail=votes`)).bytes);
    const { res, text } = await download(t, `/v1/admin/polls/${p.id}/export?format=json&detail=votes`);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="ykien-poll-${p.id}-votes-2026-06-09.json"`);
    const body = JSON.parse(text);
    expect(body.results).toEqual((await t.admin.get(`/v1/admin/polls/${p.id}`)).body.results);
    expect(body.ballots).toHaveLength(csv.length);
    body.ballots.forEach((b: Record<string, unknown>, i: number) => {
      const r = csv[i]!;
      expect(String(b.id)).toBe(r.ballot_id);
      expect(b.time).toBe(r.time);
      expect((b.optionIds as string[]).join(' ')).toBe(r.option_ids);
      expect(guardCell(b.voterHash as string)).toBe(r.voter_hash);
      expect(guardCell(b.ipHash as string)).toBe(r.ip_hash);
      expect(guardCell(b.userAgent as string)).toBe(r.user_agent);
      expect(guardCell((b.options as string[]).join('; '))).toBe(r.options);
    });
  });

  it('an empty poll exports a header row and an empty ballots array', async () => {
    const t = await makeTestApp({}, { clock: testClock(START) });
    await createSite(t);
    const p = await createPoll(t);
    const csv = await download(t, `/v1/admin/polls/${p.id}/export?format=csv&detail=votes`);
    expect(csv.text.replace(/^\uFEFF/, '').trim()).toBe('ballot_id,time,option_ids,options,voter_hash,ip_hash,user_agent');
    const json = JSON.parse((await download(t, `/v1/admin/polls/${p.id}/export?format=json&detail=votes`)).text);
    expect(json.ballots).toEqual([]);
    expect(json.results.total).toBe(0);
  });

  it('does not hold the database: votes are accepted while an export is being read', async () => {
    const { t, p, ids } = await pollWithVotes();
    await t.sql.run(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 19999)
       INSERT INTO ballots (poll_id, voter_hash, ip_hash, user_agent, created_at) SELECT ?, 'bulk-' || i, 'iphash', 'ua', ${START} + i FROM n`,
      p.id,
    );
    const exp = await t.services.exports.poll(p.id, { format: 'csv', detail: 'votes', actor: 'test' });
    const sink = new PassThrough({ highWaterMark: 1024 });
    const done = exp.pipe(sink);
    // Read one chunk, then leave the export waiting on a full sink while someone votes.
    await new Promise((r) => sink.once('readable', r));
    sink.read(1024);
    await vote(t, p.id, [ids.a]);
    let bytes = 0;
    sink.on('data', (c: Buffer) => (bytes += c.length));
    await done;
    expect(bytes).toBeGreaterThan(20_000 * 30);
  });
});

describe('comments export', () => {
  async function commentsApp() {
    const clock = testClock(START);
    const t = await makeTestApp({}, { clock });
    await createSite(t);
    await createSite(t, { id: 'xa-b', name: 'Xã B', timezone: 'Asia/Kolkata' });
    const post = async (site: string, body: Record<string, unknown>) => {
      const res = await t.http.post(`/v1/sites/${site}/threads/ke-hoach-206-kh-hu/comments`).set('User-Agent', 'CocCoc/128').send({
        name: 'Nguyễn Văn An',
        address: 'Thôn 3, xã Tiên Ngọc',
        email: 'an.nguyen@example.vn',
        content: 'Đề nghị xã công khai tiến độ kế hoạch 206/KH-HU.',
        ...body,
      });
      expect([201, 202]).toContain(res.status);
      clock.advance(3_600_000);
      return res.body.id as string;
    };
    const ids = [
      await post('xa-a', {}),
      await post('xa-a', { name: 'Trần Thị Bình', email: 'binh@example.vn', content: '=1+2 là bao nhiêu?' }),
      await post('xa-b', { name: 'Lê Văn Cường', email: '', content: '@everyone họp thôn' }),
      await post('xa-a', { content: 'Xin cảm ơn' }),
    ];
    await t.admin.post(`/v1/admin/comments/${ids[0]}/approve`).expect(200);
    return { t, clock, ids };
  }

  it('CSV and JSON carry every private field and match the moderation API', async () => {
    const { t } = await commentsApp();
    const api = (await t.admin.get('/v1/admin/comments?limit=200')).body.comments as Record<string, unknown>[];
    expect(api).toHaveLength(4);
    const byId = new Map(api.map((c) => [c.id as string, c]));

    const csv = await download(t, '/v1/admin/comments/export?format=csv');
    expect(csv.res.status).toBe(200);
    expect(csv.res.headers['content-disposition']).toBe('attachment; filename="ykien-comments-all-2026-06-09.csv"');
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = rowsOf(csv.bytes);
    expect(rows).toHaveLength(4);
    for (const r of rows) {
      const c = byId.get(r.id!)!;
      expect(r.site).toBe(c.site);
      expect(r.thread).toBe(c.thread);
      expect(r.status).toBe(c.status);
      expect(r.name).toBe(c.name);
      expect(r.email).toBe(c.email ?? '');
      expect(r.address).toBe(c.address ?? '');
      expect(r.content).toBe(guardCell(c.content as string));
      expect(r.ip_hash).toBe(guardCell(c.ipHash as string));
      expect(r.user_agent).toBe(c.userAgent);
      expect(Date.parse(r.created_at!)).toBe(Date.parse(c.createdAt as string));
      expect(r.created_at).toMatch(c.site === 'xa-b' ? /\+05:30$/ : /\+07:00$/);
    }
    expect(rows.map((r) => r.content)).toContain("'=1+2 là bao nhiêu?");
    expect(rows.map((r) => r.content)).toContain("'@everyone họp thôn");

    const json = JSON.parse((await download(t, '/v1/admin/comments/export?format=json')).text);
    expect(json.comments).toHaveLength(4);
    for (const c of json.comments) {
      const a = byId.get(c.id)!;
      for (const k of ['site', 'thread', 'parentId', 'status', 'spamReason', 'name', 'address', 'email', 'content', 'ipHash', 'userAgent', 'moderatedBy'])
        expect(c[k]).toEqual(a[k]);
      for (const k of ['createdAt', 'updatedAt', 'moderatedAt']) expect(c[k] === null ? null : Date.parse(c[k])).toEqual(a[k] === null ? null : Date.parse(a[k] as string));
    }
  });

  it('filters by site, status and dates in the site zone', async () => {
    const { t, ids } = await commentsApp();
    const get = async (q: string) => JSON.parse((await download(t, `/v1/admin/comments/export?format=json&${q}`)).text).comments.map((c: { id: string }) => c.id);
    expect(await get('site=xa-a')).toEqual([ids[0], ids[1], ids[3]]);
    expect(await get('site=xa-a&status=pending')).toEqual([ids[1], ids[3]]);
    expect(await get('status=approved')).toEqual([ids[0]]);
    // Posted at 03:00, 04:00, 05:00 and 06:00 on 9 June, Việt Nam time.
    expect(await get('site=xa-a&from=2026-06-09T04:00:00%2B07:00&to=2026-06-09T06:00:00%2B07:00')).toEqual([ids[1]]);
    expect(await get('site=xa-a&from=2026-06-09&to=2026-06-09')).toEqual([ids[0], ids[1], ids[3]]);
    expect(await get('site=xa-a&to=2026-06-08')).toEqual([]);
    const name = (await download(t, '/v1/admin/comments/export?site=xa-a&status=pending')).res.headers['content-disposition'];
    expect(name).toBe('attachment; filename="ykien-comments-xa-a-pending-2026-06-09.csv"');
    expectProblem(await t.admin.get('/v1/admin/comments/export?status=hidden'), 400, 'validation_failed');
    expectProblem(await t.admin.get('/v1/admin/comments/export?from=yesterday'), 400, 'validation_failed');
    expectProblem(await t.admin.get('/v1/admin/comments/export?from=2026-06-10&to=2026-06-09'), 400, 'validation_failed');
    expectProblem(await t.admin.get('/v1/admin/comments/export?site=khong-co'), 404, 'not_found');
  });

  it('a moderator scoped to a site exports that site only', async () => {
    const { t, ids } = await commentsApp();
    const mod = (await t.services.keys.create({ name: 'Điều hành viên xã A', role: 'moderator', siteId: 'xa-a' })).key;
    const asMod = (url: string) => t.http.get(url).set('Authorization', `Bearer ${mod}`).buffer(true).parse(binary);
    const all = await asMod('/v1/admin/comments/export?format=json');
    expect(all.status).toBe(200);
    expect(JSON.parse((all.body as Buffer).toString()).comments.map((c: { id: string }) => c.id)).toEqual([ids[0], ids[1], ids[3]]);
    expect((await asMod('/v1/admin/comments/export')).headers['content-disposition']).toContain('ykien-comments-xa-a-');
    expectProblem(await t.http.get('/v1/admin/comments/export?site=xa-b').set('Authorization', `Bearer ${mod}`), 403, 'forbidden');
    const audit = (await t.admin.get('/v1/admin/audit?action=comment.export')).body.entries;
    expect(audit[0]).toMatchObject({ actor: 'Điều hành viên xã A', site: 'xa-a' });
  });
});

describe('CSV writer', () => {
  it('guards every formula start (= + - @ tab CR) and quotes per RFC 4180', async () => {
    for (const s of ['=1+1', '+1', '-1', '@A1', '\tx', '\rx']) expect(guardCell(s)).toBe(`'${s}`);
    for (const s of ['1+1', 'a=b', 'Bình thường', '', "'quoted"]) expect(guardCell(s)).toBe(s);
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const w = csvStringifier(['a', 'b']);
    w.pipe(out);
    w.write({ a: 'x, "y"', b: 'dòng 1\ndòng 2' });
    w.write({ a: '\tTAB', b: -5 });
    w.write({ a: '\rCR', b: null });
    w.end();
    await new Promise((r) => out.on('end', r));
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text).toBe('\uFEFFa,b\r\n"x, ""y""","dòng 1\ndòng 2"\r\n\'\tTAB,-5\r\n"\'\rCR",\r\n');
    expect(parseCsv(text, { bom: true, columns: true })).toEqual([
      { a: 'x, "y"', b: 'dòng 1\ndòng 2' },
      { a: "'\tTAB", b: '-5' },
      { a: "'\rCR", b: '' },
    ]);
  });
});

describe('export CLI', () => {
  const cli = (t: TestApp, args: string[]) => runCommand(args, { env: t.databaseEnv });

  it('export poll writes the same CSV and JSON as the API to stdout', async () => {
    const { t, p } = await pollWithVotes();
    const api = rowsOf((await download(t, `/v1/admin/polls/${p.id}/export?format=csv`)).bytes);
    const res = await cli(t, ['export', 'poll', p.id, '--format', 'csv']);
    expect(res.code).toBe(0);
    expect([...res.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(rowsOf(res.bytes)).toEqual(api);

    const votes = await cli(t, ['export', 'poll', p.id, '--format', 'json', '--detail', 'votes']);
    expect(votes.code).toBe(0);
    const apiVotes = JSON.parse((await download(t, `/v1/admin/polls/${p.id}/export?format=json&detail=votes`)).text);
    const body = JSON.parse(votes.bytes.toString());
    expect(body.ballots).toEqual(apiVotes.ballots);
    expect(body.results).toEqual(apiVotes.results);

    // `… | head` closes stdout early: a quiet success, not a stack trace.
    const closed = new Writable({ write: (_c, _e, done) => done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })) });
    const err: string[] = [];
    expect(await runCli(['export', 'poll', p.id], { ...t.databaseEnv, LOG_LEVEL: 'silent' }, () => {}, (l) => err.push(l), closed)).toBe(0);
    expect(err).toEqual([]);

    const csvVotes = await cli(t, ['export', 'poll', p.id, '--detail', 'votes']);
    expect(rowsOf(csvVotes.bytes)).toHaveLength(5);
    const audit = (await t.admin.get('/v1/admin/audit?action=poll.export')).body.entries;
    expect(audit.some((e: { actor: string }) => e.actor === 'cli')).toBe(true);
  });

  it('export survey writes the same CSV and JSON as the API, to stdout or --out, audited as cli', async () => {
    const t = await makeTestApp({}, { clock: testClock(START) });
    await createSite(t);
    const f = await createSurvey(t);
    for (let i = 0; i < 3; i++)
      await t.http.post(`/v1/surveys/${f.survey.id}/responses`).send({ respondentId: newVoter(), answers: answersFor(f, i, `Góp ý số ${i}`) }).expect(201);
    const api = rowsOf((await download(t, `/v1/admin/surveys/${f.survey.id}/export?format=csv`)).bytes);
    expect(api).toHaveLength(3);
    const res = await cli(t, ['export', 'survey', f.survey.id, '--format', 'csv']);
    expect(res.code).toBe(0);
    expect([...res.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(rowsOf(res.bytes)).toEqual(api);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ykien-export-'));
    const out = path.join(dir, 'khao-sat.json');
    const json = await cli(t, ['export', 'survey', f.survey.id, '--format', 'json', '--out', out]);
    expect(json.code).toBe(0);
    expect(json.bytes.length).toBe(0);
    const apiJson = JSON.parse((await download(t, `/v1/admin/surveys/${f.survey.id}/export?format=json`)).text);
    // The same file but for the time of export (the CLI runs on the real clock).
    expect({ ...JSON.parse(fs.readFileSync(out, 'utf8')), exportedAt: null }).toEqual({ ...apiJson, exportedAt: null });
    expect(fs.readdirSync(dir)).toEqual(['khao-sat.json']); // no temporary file left beside it

    // An unknown survey writes nothing to --out; bad usage exits 64.
    const missing = await cli(t, ['export', 'survey', 'khong-co', '--out', path.join(dir, 'x.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.err.join('\n')).toContain('khong-co');
    expect(fs.readdirSync(dir)).toEqual(['khao-sat.json']);
    expect((await cli(t, ['export', 'survey'])).code).toBe(64);
    expect((await cli(t, ['export', 'survey', f.survey.id, '--format', 'xls'])).code).toBe(64);
    const audit = (await t.admin.get('/v1/admin/audit?action=survey.export')).body.entries as { actor: string }[];
    expect(audit.filter((e) => e.actor === 'cli')).toHaveLength(2);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('export comments filters like the API; bad usage exits 64 and unknown polls exit 1', async () => {
    const t = await makeTestApp({}, { clock: testClock(START) });
    await createSite(t);
    await t.http.post('/v1/sites/xa-a/threads/bai-1/comments').send({ name: 'An', content: 'Ý kiến một', email: 'an@example.vn' }).expect(202);
    const res = await cli(t, ['export', 'comments', '--site', 'xa-a', '--status', 'pending', '--format', 'csv']);
    expect(res.code).toBe(0);
    const rows = rowsOf(res.bytes);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ site: 'xa-a', thread: 'bai-1', status: 'pending', email: 'an@example.vn', content: 'Ý kiến một' });

    const bad = await cli(t, ['export', 'poll', 'x', '--format', 'xls']);
    expect(bad.code).toBe(64);
    expect(bad.err.join('\n')).toContain('--format');
    expect((await cli(t, ['export', 'poll'])).code).toBe(64);
    expect((await cli(t, ['export', 'comments', '--status', 'hidden'])).code).toBe(64);
    const missing = await cli(t, ['export', 'poll', 'khong-co']);
    expect(missing.code).toBe(1);
    expect(missing.err.join('\n')).toContain('khong-co');
    expect(missing.bytes.length).toBe(0);
  });
});
