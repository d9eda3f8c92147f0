import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import type request from 'supertest';
import { describe, expect, it } from 'vitest';
import { runCommand } from './helpers/cli.js';
import { createPoll, createSite, expectProblem, makeTestApp, newVoter, type TestApp } from './helpers/app.js';

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
const download = async (t: TestApp, url: string) => ((await t.admin.get(url).buffer(true).parse(binary)).body as Buffer).toString('utf8');
const rowsOf = (csv: string) => parseCsv(csv, { bom: true, columns: true, skip_empty_lines: true }) as Record<string, string>[];

async function vote(t: TestApp, pollId: string, optionId: string) {
  const res = await t.http.post(`/v1/polls/${pollId}/votes`).send({ optionIds: [optionId], voterId: newVoter() });
  expect(res.status).toBe(201);
}

/** Ballots are rows: every counter equals the rows it counts, whatever the starting figures say. */
async function ballotsAreRows(t: TestApp, pollId: string) {
  const choices = Number(await t.sql.value('SELECT COUNT(*) FROM ballot_choices c JOIN ballots b ON b.id = c.ballot_id WHERE b.poll_id = ?', pollId));
  const ballots = Number(await t.sql.value('SELECT COUNT(*) FROM ballots WHERE poll_id = ?', pollId));
  expect(Number(await t.sql.value('SELECT SUM(votes) FROM poll_options WHERE poll_id = ?', pollId))).toBe(choices);
  expect(Number(await t.sql.value('SELECT total_choices FROM polls WHERE id = ?', pollId))).toBe(choices);
  expect(Number(await t.sql.value('SELECT total_voters FROM polls WHERE id = ?', pollId))).toBe(ballots);
  for (const o of await t.sql.rows<{ id: string; votes: number }>('SELECT id, votes FROM poll_options WHERE poll_id = ?', pollId))
    expect(Number(o.votes)).toBe(Number(await t.sql.value('SELECT COUNT(*) FROM ballot_choices WHERE option_id = ?', o.id)));
  return { ballots, choices };
}

async function setup() {
  const t = await makeTestApp();
  await createSite(t);
  const p = await createPoll(t);
  await vote(t, p.id, p.options[0]!.id);
  await vote(t, p.id, p.options[1]!.id);
  await vote(t, p.id, p.options[1]!.id);
  const file = (name: string, text: string) => {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'figures-')), name);
    fs.writeFileSync(f, text);
    return f;
  };
  return { t, p, file, cli: (...args: string[]) => runCommand(args, { env: t.databaseEnv as Record<string, string> }) };
}

describe('poll starting figures (votes from an old system)', () => {
  it('ykien import poll-results: results and exports show them added to the ballots, percentages of the sum; ballots stay rows', async () => {
    const { t, p, file, cli } = await setup();
    // Labels as an old system's spreadsheet writes them: letter case, spacing, a thousands separator.
    const csv = file('ket-qua-cu.csv', '\uFEFFoption,votes\r\nbình thường,"1.200"\r\n"Đẹp,  tiện lợi tra cứu",797\r\n');
    const dry = await cli('import', 'poll-results', '--poll', p.id, csv, '--dry-run');
    expect(dry.err).toEqual([]);
    expect(dry.out.at(-1)).toBe('Chạy thử: chưa ghi gì vào cơ sở dữ liệu.');
    expect((await t.admin.get(`/v1/admin/polls/${p.id}`)).body.results.total).toBe(3);

    const run = await cli('import', 'poll-results', '--poll', p.id, csv);
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.out.at(-1)).toBe('Đã lưu. Tổng cộng: 2000 Phiếu.');
    // The CLI is another process: a running service sees its change within a second (src/ballots/definitions.ts).
    t.clock.advance(1_000);

    const results = (await t.http.get(`/v1/polls/${p.id}/results`)).body;
    expect(results).toMatchObject({ total: 2000, voters: 3, startingTotal: 1997 });
    expect(results.options.map((o: { votes: number; startingVotes: number; percent: number }) => [o.votes, o.startingVotes, o.percent])).toEqual([
      [1201, 1200, 60.1],
      [799, 797, 39.9], // 60.05 and 39.95, made to add up to 100.0 (largest remainder)
      [0, 0, 0],
    ]);
    // A vote after: added to the counted ballots, the starting figures unchanged.
    await vote(t, p.id, p.options[2]!.id);
    const after = (await t.admin.get(`/v1/admin/polls/${p.id}`)).body.results;
    expect(after.total).toBe(2001);
    expect(after.options.map((o: { votes: number }) => o.votes)).toEqual([1201, 799, 1]);
    expect(await ballotsAreRows(t, p.id)).toEqual({ ballots: 4, choices: 4 });

    // The results export: votes as results show them, the starting figures in their own column beside.
    const rows = rowsOf(await download(t, `/v1/admin/polls/${p.id}/export?format=csv`));
    expect(rows.map((r) => [r.votes, r['Số phiếu ban đầu (nhập từ hệ thống cũ)'], r.percent, r.total_choices, r.voters])).toEqual([
      ['1201', '1200', '60', '2001', '4'],
      ['799', '797', '39.9', '2001', '4'],
      ['1', '0', '0.1', '2001', '4'],
    ]);
    const json = JSON.parse(await download(t, `/v1/admin/polls/${p.id}/export?format=json`));
    expect(json.results).toEqual(after);
    // The per-ballot export lists the ballots cast, and nothing made up.
    expect(rowsOf(await download(t, `/v1/admin/polls/${p.id}/export?format=csv&detail=votes`))).toHaveLength(4);
    expect(JSON.parse(await download(t, `/v1/admin/polls/${p.id}/export?format=json&detail=votes`)).ballots).toHaveLength(4);

    const audit = await t.sql.rows<{ action: string; actor: string }>("SELECT action, actor FROM audit_log WHERE action = 'poll.starting_figures'");
    expect(audit).toEqual([{ action: 'poll.starting_figures', actor: 'cli' }]);

    // JSON works the same; an unknown label names the options; nothing changes then.
    const js = file('cu.json', JSON.stringify({ figures: { [p.options[2]!.id]: 5 } }));
    expect((await cli('import', 'poll-results', '--poll', p.id, js)).code).toBe(0);
    t.clock.advance(1_000);
    expect((await t.admin.get(`/v1/admin/polls/${p.id}`)).body.results).toMatchObject({ total: 9, startingTotal: 5 });
    const unknown = await cli('import', 'poll-results', '--poll', p.id, file('x.csv', 'option,votes\nKhông có,3\n'));
    expect(unknown.code).toBe(1);
    expect(unknown.err.join()).toContain('"Không có" is not an option of this poll');
    const negative = await cli('import', 'poll-results', '--poll', p.id, file('y.csv', 'option,votes\nBình thường,-3\n'));
    expect(negative.code).toBe(1);
    expect((await cli('import', 'poll-results', js)).code).toBe(64);
    expect((await t.admin.get(`/v1/admin/polls/${p.id}`)).body.results.total).toBe(9);
  });

  it('PUT /v1/admin/polls/:id/starting-figures: set, replaced, cleared; audited; bad figures refused; admins only', async () => {
    const { t, p } = await setup();
    const url = `/v1/admin/polls/${p.id}/starting-figures`;
    const set = await t.admin.put(url, { figures: { [p.options[2]!.id]: 7 } });
    expect(set.status).toBe(200);
    expect(set.body.results).toMatchObject({ total: 10, voters: 3, startingTotal: 7 });
    expect(set.body.results.options[2]).toMatchObject({ votes: 7, startingVotes: 7, percent: 70 });
    // The public answer (cached until a write) sees the change at once.
    expect((await t.http.get(`/v1/polls/${p.id}`)).body.results.total).toBe(10);
    const replaced = await t.admin.put(url, { figures: { [p.options[0]!.id]: 1 } });
    expect(replaced.body.results.options.map((o: { votes: number }) => o.votes)).toEqual([2, 2, 0]);
    const cleared = await t.admin.put(url, { figures: {} });
    expect(cleared.body.results).toEqual((await t.admin.get(`/v1/admin/polls/${p.id}`)).body.results);
    expect(cleared.body.results.startingTotal).toBeUndefined();
    expect(cleared.body.results.total).toBe(3);
    const audit = await t.sql.column<string>("SELECT detail FROM audit_log WHERE action = 'poll.starting_figures' ORDER BY id");
    expect(audit).toHaveLength(3);

    expectProblem(await t.admin.put(url, { figures: { [p.options[0]!.id]: -1 } }), 400, 'validation_failed');
    expectProblem(await t.admin.put(url, { figures: { [p.options[0]!.id]: 1.5 } }), 400, 'validation_failed');
    expectProblem(await t.admin.put(url, { figures: { [p.options[0]!.id]: 1e12 } }), 400, 'validation_failed');
    expectProblem(await t.admin.put(url, { figures: { nope: 1 } }), 422, 'unknown_option');
    expectProblem(await t.admin.put(url, {}), 400, 'validation_failed');
    expectProblem(await t.admin.put('/v1/admin/polls/khong-co/starting-figures', { figures: {} }), 404, 'not_found');
    const mod = await t.services.keys.create({ name: 'Kiểm duyệt', role: 'moderator', siteId: 'xa-a' });
    expect((await t.http.put(url).set('Authorization', `Bearer ${mod.key}`).send({ figures: {} })).status).toBe(403);
    expect((await t.admin.get(`/v1/admin/polls/${p.id}`)).body.results.total).toBe(3);
    await ballotsAreRows(t, p.id);
  });
});
