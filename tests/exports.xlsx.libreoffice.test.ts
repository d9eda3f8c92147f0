// SQLite only: this proves the file format (what LibreOffice makes of our cells), which does not depend on the
// backend; tests/exports.xlsx.test.ts runs the same exports on both. Needs Debian's libreoffice-calc-nogui (.ci/run).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createPoll, createSite, makeTestApp, newVoter, testClock, type TestApp } from './helpers/app.js';

const run = promisify(execFile);
/** 20:00 UTC on 8 June is 03:00 on 9 June in Việt Nam. */
const START = Date.parse('2026-06-08T20:00:00Z');
const ROWS = 1000;

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/**
 * The lines of the CSV LibreOffice writes from the workbook: UTF-8 (76), every TEXT cell quoted (the 7th token),
 * cells "as shown" with their number formats (the 9th). So a quoted cell is a text cell, an unquoted one a number or date.
 */
async function throughLibreOffice(t: TestApp, url: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ykien-soffice-'));
  const res = await t.admin.get(url).buffer(true).parse(binary);
  expect(res.status).toBe(200);
  writeFileSync(join(dir, 'export.xlsx'), res.body as Buffer);
  await run('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,true,true,true', '--outdir', dir, join(dir, 'export.xlsx')], { timeout: 120_000 });
  return readFileSync(join(dir, 'export.csv'), 'utf8').trimEnd().split(/\r?\n/);
}

describe('XLSX exports opened by LibreOffice', () => {
  it(`keeps numbers numbers, "0905123456" and "1/2" text, and times local dates, over ${ROWS} ballots`, { timeout: 180_000 }, async () => {
    const t = await makeTestApp({}, { clock: testClock(START) });
    await createSite(t);
    const p = await createPoll(t, { options: ['0905123456', '1/2', '=1+1'], maxChoices: 1 });
    const [a, b] = p.options.map((o) => o.id) as [string, string];
    expect((await t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: [b], voterId: newVoter() })).status).toBe(201);
    const ballot = t.db.prepare('INSERT INTO ballots (poll_id, voter_hash, ip_hash, user_agent, created_at) VALUES (?, ?, ?, ?, ?)');
    const choice = t.db.prepare('INSERT INTO ballot_choices (ballot_id, option_id) VALUES (?, ?)');
    t.db.transaction(() => {
      for (let i = 1; i < ROWS; i++) choice.run(ballot.run(p.id, `voter-${i}`, null, '+84 CocCoc', START + i * 60_000).lastInsertRowid, a);
    })();
    t.db.prepare('UPDATE polls SET total_voters = ?, total_choices = ? WHERE id = ?').run(ROWS, ROWS, p.id);
    t.db.prepare('UPDATE poll_options SET votes = ? WHERE id = ?').run(ROWS - 1, a);

    const votes = await throughLibreOffice(t, `/v1/admin/polls/${p.id}/export?format=xlsx&detail=votes`);
    expect(votes).toHaveLength(ROWS + 1);
    expect(votes[0]).toBe('"Mã phiếu","Thời gian (Asia/Ho_Chi_Minh)","Mã phương án","Phương án đã chọn","Mã người bình chọn (băm)","Mạng (IP băm)","Trình duyệt"');
    expect(votes[1]).toMatch(/^1,09\/06\/2026 03:00:00,"[^"]+","1\/2","[^"]+","[^"]+",$/); // no user agent: an empty cell
    expect(votes[2]).toMatch(/^2,09\/06\/2026 03:01:00,"[^"]+","0905123456","voter-1",,"\+84 CocCoc"$/);
    expect(votes[ROWS]).toMatch(new RegExp(`^${ROWS},09/06/2026 19:39:00,`));

    const results = await throughLibreOffice(t, `/v1/admin/polls/${p.id}/export?format=xlsx`);
    expect(results).toHaveLength(4);
    expect(results[1]).toMatch(/,"0905123456",999,0,99\.9%,1000,1000$/);
    expect(results[2]).toMatch(/,"1\/2",1,0,0\.1%,1000,1000$/);
    expect(results[3]).toMatch(/,"=1\+1",0,0,0\.0%,1000,1000$/);
  });
});
