import { mkdtempSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type request from 'supertest';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { ballotsTable } from '../src/exports/exports.tables.js';
import type { BallotExportRecord } from '../src/exports/exports.store.js';
import { attachment } from '../src/exports/exports.routes.js';
import { writeXlsx, XLSX_CONTENT_TYPE } from '../src/exports/xlsx.js';
import { createPoll, createSite, expectProblem, makeTestApp, newVoter, testClock, type TestApp } from './helpers/app.js';
import { answersFor, createSurvey } from './helpers/surveys.js';

/** 20:00 UTC on 8 June is 03:00 on 9 June in Việt Nam (and 01:30 in India). */
const START = Date.parse('2026-06-08T20:00:00Z');
/** A wall time as exceljs reads a date cell back: the Date whose UTC fields are that wall time. */
const wall = (iso: string) => new Date(`${iso}Z`);

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** Reads a workbook with exceljs's own (non-streaming) reader. */
async function workbook(bytes: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  expect(wb.worksheets).toHaveLength(1);
  return wb.worksheets[0]!;
}

async function downloadXlsx(t: TestApp, url: string, filename: string) {
  const res = await t.admin.get(url).buffer(true).parse(binary);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe(XLSX_CONTENT_TYPE);
  expect(res.headers['content-disposition']).toBe(`attachment; filename="${filename}"`);
  expect(res.headers['cache-control']).toBe('no-store');
  const bytes = res.body as Buffer;
  expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK'); // a zip file
  return { bytes, sheet: await workbook(bytes) };
}

const headerOf = (sheet: ExcelJS.Worksheet) => (sheet.getRow(1).values as unknown[]).slice(1);
const rowOf = (sheet: ExcelJS.Worksheet, n: number) => (sheet.getRow(n).values as unknown[]).slice(1);

/** The layout every export shares: bold frozen header with an autofilter, every column sized. */
function expectLayout(sheet: ExcelJS.Worksheet, columns: number) {
  expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
  expect(sheet.getRow(1).getCell(columns).font?.bold).toBe(true);
  expect(sheet.autoFilter).toBe(`A1:${String.fromCharCode(64 + columns)}1`);
  for (let i = 1; i <= columns; i++) {
    const w = sheet.getColumn(i).width!;
    expect(w).toBeGreaterThanOrEqual(8);
    expect(w).toBeLessThanOrEqual(60);
  }
}

/** A text cell: a string value of type String, never a formula. */
function expectText(cell: ExcelJS.Cell, value: string) {
  expect(cell.type).toBe(ExcelJS.ValueType.String);
  expect(cell.value).toBe(value);
  expect(cell.formula).toBeUndefined();
}

function expectNumber(cell: ExcelJS.Cell, value: number) {
  expect(cell.type).toBe(ExcelJS.ValueType.Number);
  expect(cell.value).toBe(value);
}

function expectDate(cell: ExcelJS.Cell, wallTime: string) {
  expect(cell.type).toBe(ExcelJS.ValueType.Date);
  expect((cell.value as Date).toISOString()).toBe(wall(wallTime).toISOString());
  expect(cell.numFmt).toBe('dd/mm/yyyy hh:mm:ss');
}

async function vote(t: TestApp, pollId: string, optionIds: string[], ua = 'CocCoc/128') {
  const res = await t.http.post(`/v1/polls/${pollId}/votes`).set('User-Agent', ua).send({ optionIds, voterId: newVoter() });
  expect(res.status).toBe(201);
}

/** Options a spreadsheet would mistake for a number, a date or a formula. */
const TRICKY = ['0905123456', '1/2', '=HYPERLINK("http://evil.example","Bấm")', '+84 905 123 456'];

async function pollWithVotes() {
  const clock = testClock(START);
  const t = await makeTestApp({}, { clock });
  await createSite(t);
  const p = await createPoll(t, { options: TRICKY, maxChoices: 2 });
  const [a, b, c, d] = p.options.map((o) => o.id) as [string, string, string, string];
  for (const ids of [[a], [b, d], [a, c], [a]]) {
    await vote(t, p.id, ids);
    clock.advance(37 * 60_000 + 5_000);
  }
  return { t, p, ids: { a, b, c, d } };
}

describe('poll results as XLSX', () => {
  it('typed cells: the same numbers as the admin API, percentages as fractions shown as %, tricky labels as text', async () => {
    const { t, p } = await pollWithVotes();
    const { sheet } = await downloadXlsx(t, `/v1/admin/polls/${p.id}/export?format=xlsx`, `ykien-poll-${p.id}-2026-06-09.xlsx`);
    expect(sheet.name).toBe('Kết quả');
    expect(headerOf(sheet)).toEqual(['Mã cuộc thăm dò', 'Câu hỏi', 'Mã phương án', 'Phương án', 'Số lượt chọn', 'Số phiếu ban đầu (nhập từ hệ thống cũ)', 'Tỉ lệ', 'Tổng số lượt chọn', 'Số người bình chọn']);
    expect(headerOf(sheet).every((h) => h === String(h).normalize('NFC'))).toBe(true);
    expectLayout(sheet, 9);
    const api = (await t.admin.get(`/v1/admin/polls/${p.id}`)).body.results;
    expect(sheet.actualRowCount).toBe(1 + api.options.length);
    api.options.forEach((o: { id: string; label: string; votes: number; percent: number }, i: number) => {
      const r = sheet.getRow(i + 2);
      expectText(r.getCell(1), p.id);
      expectText(r.getCell(4), o.label);
      expectNumber(r.getCell(5), o.votes);
      expectNumber(r.getCell(6), 0); // no starting figures from an old system
      expectNumber(r.getCell(7), Math.round(o.percent * 10) / 1000);
      expect(r.getCell(7).numFmt).toBe('0.0%');
      expectNumber(r.getCell(8), api.total);
      expectNumber(r.getCell(9), api.voters);
    });
    // 1 of 6 choices: 16.7 % is the number 0.167, not the text "16.7".
    expect(sheet.getRow(3).getCell(7).value).toBe(0.167);
    expect(TRICKY.map((_, i) => sheet.getRow(i + 2).getCell(4).value)).toEqual(TRICKY);
    expect(sheet.getRow(4).getCell(4).formula).toBeUndefined();
  });

  it('is audited like the others; bad formats are 400, moderators 403, unknown polls 404', async () => {
    const { t, p } = await pollWithVotes();
    await downloadXlsx(t, `/v1/admin/polls/${p.id}/export?format=xlsx`, `ykien-poll-${p.id}-2026-06-09.xlsx`);
    const audit = (await t.admin.get('/v1/admin/audit?action=poll.export')).body.entries;
    expect(audit[0]).toMatchObject({ action: 'poll.export', targetId: p.id, detail: { format: 'xlsx', detail: 'results' } });
    for (const bad of ['xls', 'XLSX', 'ods', 'xlsx,csv']) expectProblem(await t.admin.get(`/v1/admin/polls/${p.id}/export?format=${bad}`), 400, 'validation_failed');
    expectProblem(await t.admin.get('/v1/admin/polls/khong-co/export?format=xlsx'), 404, 'not_found');
    const mod = (await t.services.keys.create({ name: 'Điều hành viên', role: 'moderator', siteId: 'xa-a' })).key;
    for (const q of ['format=xlsx', 'format=xlsx&detail=votes'])
      expectProblem(await t.http.get(`/v1/admin/polls/${p.id}/export?${q}`).set('Authorization', `Bearer ${mod}`), 403, 'forbidden');
  });
});

describe('ballots (detail=votes) as XLSX', () => {
  it('one row per ballot: its id a number, its time a date in the site zone named in the header, options as text', async () => {
    const { t, p, ids } = await pollWithVotes();
    const { sheet } = await downloadXlsx(t, `/v1/admin/polls/${p.id}/export?format=xlsx&detail=votes`, `ykien-poll-${p.id}-votes-2026-06-09.xlsx`);
    expect(headerOf(sheet)).toEqual(['Mã phiếu', 'Thời gian (Asia/Ho_Chi_Minh)', 'Mã phương án', 'Phương án đã chọn', 'Mã người bình chọn (băm)', 'Mạng (IP băm)', 'Trình duyệt']);
    expectLayout(sheet, 7);
    expect(sheet.actualRowCount).toBe(5);
    const first = sheet.getRow(2);
    expect(typeof first.getCell(1).value).toBe('number');
    expectDate(first.getCell(2), '2026-06-09T03:00:00');
    expectDate(sheet.getRow(3).getCell(2), '2026-06-09T03:37:05');
    expectText(first.getCell(3), ids.a);
    expectText(first.getCell(4), '0905123456');
    expectText(sheet.getRow(3).getCell(4), '1/2; +84 905 123 456');
    expectText(sheet.getRow(4).getCell(4), '0905123456; =HYPERLINK("http://evil.example","Bấm")');
    expectText(first.getCell(7), 'CocCoc/128');
    // The time column is wide enough for what it shows.
    expect(sheet.getColumn(2).width).toBeGreaterThanOrEqual(19);
    // The same ballots, in the same order, as the CSV.
    const csv = (await t.admin.get(`/v1/admin/polls/${p.id}/export?format=csv&detail=votes`).buffer(true).parse(binary)).body.toString('utf8').trim().split('\r\n').slice(1);
    expect(csv.map((l: string) => Number(l.split(',')[0]))).toEqual([2, 3, 4, 5].map((n) => sheet.getRow(n).getCell(1).value));
  });

  it('an empty poll: the header row alone, still frozen and filtered', async () => {
    const t = await makeTestApp({}, { clock: testClock(START) });
    await createSite(t);
    const p = await createPoll(t);
    const { sheet } = await downloadXlsx(t, `/v1/admin/polls/${p.id}/export?format=xlsx&detail=votes`, `ykien-poll-${p.id}-votes-2026-06-09.xlsx`);
    expect(sheet.actualRowCount).toBe(1);
    expectLayout(sheet, 7);
  });
});

describe('survey responses as XLSX', () => {
  it('scales and matrix items are numbers, choices and free text are text, the time a local date', async () => {
    const t = await makeTestApp({}, { clock: testClock(START) });
    await createSite(t);
    const f = await createSurvey(t);
    for (const text of ['0905123456', '=1+1']) expect((await t.http.post(`/v1/surveys/${f.survey.id}/responses`).send({ respondentId: newVoter(), answers: answersFor(f, 1, text) })).status).toBe(201);
    const { sheet } = await downloadXlsx(t, `/v1/admin/surveys/${f.survey.id}/export?format=xlsx`, `ykien-survey-${f.survey.id}-2026-06-09.xlsx`);
    expect(sheet.name).toBe('Phiếu trả lời');
    expect(headerOf(sheet)).toEqual([
      'Mã phiếu trả lời', 'Trả lời lúc (Asia/Ho_Chi_Minh)', '1. Bạn ở thôn nào?', '2. Bạn tra cứu gì?', '3. Bạn hài lòng ở mức nào?', '4.1 Công chức: Lịch sự', '4.2 Công chức: Lắng nghe', '5. Góp ý của bạn',
    ]);
    expectLayout(sheet, 8);
    const r = sheet.getRow(2);
    expect(typeof r.getCell(1).value).toBe('number');
    expectDate(r.getCell(2), '2026-06-09T03:00:00');
    expectText(r.getCell(3), 'Thôn Tây');
    expectText(r.getCell(4), 'Thủ tục; Lịch tiếp dân');
    expectNumber(r.getCell(5), 2);
    expectNumber(r.getCell(6), 5);
    expectNumber(r.getCell(7), 2);
    expectText(r.getCell(8), '0905123456');
    expectText(sheet.getRow(3).getCell(8), '=1+1');
    const log = (await t.admin.get('/v1/admin/audit?site=xa-a')).body.entries;
    expect(log[0]).toMatchObject({ action: 'survey.export', detail: { format: 'xlsx' } });
    expectProblem(await t.admin.get(`/v1/admin/surveys/${f.survey.id}/export?format=xls`), 400, 'validation_failed');
  });
});

describe('comments as XLSX', () => {
  async function commentsApp() {
    const clock = testClock(START);
    const t = await makeTestApp({}, { clock });
    await createSite(t);
    await createSite(t, { id: 'xa-b', name: 'Xã B', timezone: 'Asia/Kolkata' });
    const post = async (site: string, body: Record<string, unknown>) => {
      const res = await t.http.post(`/v1/sites/${site}/threads/ke-hoach-206/comments`).send({ name: 'Nguyễn Văn An', email: 'an@example.vn', content: 'Đề nghị xã công khai tiến độ.', ...body });
      expect([201, 202]).toContain(res.status);
      clock.advance(3_600_000);
      return res.body.id as string;
    };
    const ids = [await post('xa-a', { address: '0905123456', name: '1/2' }), await post('xa-a', { content: '=1+1 là bao nhiêu?' }), await post('xa-b', { content: '@everyone họp thôn' })];
    await t.admin.post(`/v1/admin/comments/${ids[0]}/approve`).expect(200);
    return { t, ids };
  }

  it('private fields as text, times as dates in the file zone, named in the headers', async () => {
    const { t, ids } = await commentsApp();
    const { sheet } = await downloadXlsx(t, '/v1/admin/comments/export?site=xa-a&format=xlsx', 'ykien-comments-xa-a-2026-06-09.xlsx');
    expect(sheet.name).toBe('Ý kiến');
    expect(headerOf(sheet)).toEqual([
      'Mã ý kiến', 'Cổng', 'Bài viết', 'Trả lời ý kiến', 'Trạng thái', 'Lý do coi là rác', 'Họ tên', 'Địa chỉ', 'Thư điện tử', 'Nội dung', 'Mạng (IP băm)', 'Trình duyệt',
      'Gửi lúc (Asia/Ho_Chi_Minh)', 'Sửa lúc (Asia/Ho_Chi_Minh)', 'Duyệt lúc (Asia/Ho_Chi_Minh)', 'Người duyệt',
    ]);
    expectLayout(sheet, 16);
    expect(sheet.actualRowCount).toBe(3);
    const first = sheet.getRow(2);
    expectText(first.getCell(1), ids[0]!);
    expectText(first.getCell(5), 'approved');
    expectText(first.getCell(7), '1/2');
    expectText(first.getCell(8), '0905123456');
    expectText(first.getCell(9), 'an@example.vn');
    expectDate(first.getCell(13), '2026-06-09T03:00:00');
    expect(first.getCell(15).type).toBe(ExcelJS.ValueType.Date);
    expectText(sheet.getRow(3).getCell(10), '=1+1 là bao nhiêu?');
    expect(sheet.getRow(3).getCell(15).value).toBeNull(); // not moderated: an empty cell
    // One site in India: its own zone, named.
    const b = await downloadXlsx(t, '/v1/admin/comments/export?site=xa-b&format=xlsx', 'ykien-comments-xa-b-2026-06-09.xlsx');
    expect(headerOf(b.sheet)[12]).toBe('Gửi lúc (Asia/Kolkata)');
    expectDate(b.sheet.getRow(2).getCell(13), '2026-06-09T03:30:00');
    // Every site: one zone for the whole file (Excel has no offsets), the default one.
    const all = await downloadXlsx(t, '/v1/admin/comments/export?format=xlsx', 'ykien-comments-all-2026-06-09.xlsx');
    expect(all.sheet.actualRowCount).toBe(4);
    expectDate(all.sheet.getRow(4).getCell(13), '2026-06-09T05:00:00');
  });

  it('a moderator of a site exports its comments as XLSX, not another site', async () => {
    const { t } = await commentsApp();
    const mod = (await t.services.keys.create({ name: 'Điều hành viên', role: 'moderator', siteId: 'xa-a' })).key;
    const res = await t.http.get('/v1/admin/comments/export?format=xlsx').set('Authorization', `Bearer ${mod}`).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX_CONTENT_TYPE);
    const sheet = await workbook(res.body as Buffer);
    expect(sheet.actualRowCount).toBe(3);
    expect(new Set([2, 3].map((n) => sheet.getRow(n).getCell(2).value))).toEqual(new Set(['xa-a']));
    expectProblem(await t.http.get('/v1/admin/comments/export?site=xa-b&format=xlsx').set('Authorization', `Bearer ${mod}`), 403, 'forbidden');
    expectProblem(await t.admin.get('/v1/admin/comments/export?format=xls'), 400, 'validation_failed');
  });
});

describe('export CLI with --format xlsx', () => {
  const cli = async (t: TestApp, args: string[], stdout: Writable) => {
    const err: string[] = [];
    const code = await runCli(args, { ...t.databaseEnv, LOG_LEVEL: 'silent', SEED_DEMO: 'false' }, () => {}, (l) => err.push(l), stdout);
    return { code, err };
  };
  const sink = (tty: boolean) => {
    const chunks: Buffer[] = [];
    const w = new Writable({ write: (c: Buffer, _e, done) => (chunks.push(c), done()) });
    if (tty) Object.assign(w, { isTTY: true });
    return { w, bytes: () => Buffer.concat(chunks) };
  };

  it('--out FILE writes the same workbook as the API; xlsx to a terminal is refused before anything is exported', async () => {
    const { t, p } = await pollWithVotes();
    const dir = mkdtempSync(join(tmpdir(), 'ykien-xlsx-'));
    const file = join(dir, 'phieu.xlsx');
    const res = await cli(t, ['export', 'poll', p.id, '--format', 'xlsx', '--detail', 'votes', '--out', file], sink(true).w);
    expect(res).toEqual({ code: 0, err: [] });
    expect(readdirSync(dir)).toEqual(['phieu.xlsx']); // no .part left behind
    const sheet = await workbook(readFileSync(file));
    expect(sheet.actualRowCount).toBe(5);
    expectDate(sheet.getRow(2).getCell(2), '2026-06-09T03:00:00');

    const auditBefore = (await t.admin.get('/v1/admin/audit?action=poll.export')).body.entries.length;
    const tty = sink(true);
    const refused = await cli(t, ['export', 'poll', p.id, '--format', 'xlsx'], tty.w);
    expect(refused.code).toBe(64);
    expect(refused.err.join('\n')).toContain('--out');
    expect(tty.bytes().length).toBe(0);
    expect((await t.admin.get('/v1/admin/audit?action=poll.export')).body.entries.length).toBe(auditBefore);

    // Redirected stdout (not a terminal): the workbook itself.
    const piped = sink(false);
    expect((await cli(t, ['export', 'poll', p.id, '--format', 'xlsx'], piped.w)).code).toBe(0);
    expect((await workbook(piped.bytes())).actualRowCount).toBe(5);
    // CSV to a terminal stays allowed, as before.
    expect((await cli(t, ['export', 'poll', p.id, '--format', 'csv'], sink(true).w)).code).toBe(0);
  });

  it('export survey and export comments take --format xlsx --out FILE too; a failed export leaves no file', async () => {
    const t = await makeTestApp({}, { clock: testClock(START) });
    await createSite(t);
    const f = await createSurvey(t);
    await t.http.post(`/v1/surveys/${f.survey.id}/responses`).send({ respondentId: newVoter(), answers: answersFor(f, 0, '0905123456') }).expect(201);
    await t.http.post('/v1/sites/xa-a/threads/bai-1/comments').send({ name: 'An', address: '0905123456', content: 'Ý kiến một' });
    const dir = mkdtempSync(join(tmpdir(), 'ykien-xlsx-'));
    expect((await cli(t, ['export', 'survey', f.survey.id, '--format', 'xlsx', '--out', join(dir, 's.xlsx')], sink(true).w)).code).toBe(0);
    expectText((await workbook(readFileSync(join(dir, 's.xlsx')))).getRow(2).getCell(8), '0905123456');
    expect((await cli(t, ['export', 'comments', '--site', 'xa-a', '--format', 'xlsx', '--out', join(dir, 'c.xlsx')], sink(true).w)).code).toBe(0);
    expectText((await workbook(readFileSync(join(dir, 'c.xlsx')))).getRow(2).getCell(8), '0905123456');
    const missing = await cli(t, ['export', 'survey', 'khong-co', '--format', 'xlsx', '--out', join(dir, 'x.xlsx')], sink(true).w);
    expect(missing.code).toBe(1);
    expect(existsSync(join(dir, 'x.xlsx'))).toBe(false);
    expect((await cli(t, ['export', 'survey', f.survey.id, '--format', 'xls', '--out', join(dir, 'y.xlsx')], sink(true).w)).code).toBe(64);
    expect(readdirSync(dir).sort()).toEqual(['c.xlsx', 's.xlsx']);
  });
});

describe('the XLSX writer', () => {
  const ballot = (i: number): BallotExportRecord => ({ id: i, at: START + i * 1000, optionIds: ['a'], voterHash: `v${i}`, ipHash: null, userAgent: 'CocCoc/128' });
  const table = ballotsTable('Asia/Ho_Chi_Minh', new Map([['a', 'Bình thường']]));
  const collect = () => {
    const chunks: Buffer[] = [];
    return { dest: new Writable({ write: (c: Buffer, _e, done) => (chunks.push(c), done()) }), bytes: () => Buffer.concat(chunks) };
  };

  it('a failure half-way rejects and never finishes the file: what was sent does not open as a workbook', async () => {
    async function* failing() {
      for (let i = 1; i <= 5000; i++) yield ballot(i);
      throw Object.assign(new Error('database went away'), { status: 503, code: 'storage_unavailable' });
    }
    const { dest, bytes } = collect();
    await expect(writeXlsx(table, failing(), dest)).rejects.toMatchObject({ code: 'storage_unavailable' });
    expect(dest.destroyed).toBe(true);
    await expect(workbook(bytes())).rejects.toThrow();
  });

  it('a failure before the first row rejects before anything is written (the route can still answer with its problem)', async () => {
    async function* failing(): AsyncGenerator<BallotExportRecord> {
      throw Object.assign(new Error('database went away'), { status: 503, code: 'storage_unavailable' });
    }
    const { dest, bytes } = collect();
    await expect(writeXlsx(table, failing(), dest)).rejects.toMatchObject({ code: 'storage_unavailable' });
    expect(bytes().length).toBe(0);
    expect(dest.destroyed).toBe(false);
  });

  it('a consumer that goes away stops the rows being read (the store releases its snapshot)', async () => {
    let read = 0;
    let released = false;
    async function* rows() {
      try {
        for (let i = 1; i <= 1_000_000; i++) {
          read++;
          yield ballot(i);
        }
      } finally {
        released = true;
      }
    }
    let got = 0;
    const dest = new Writable({
      highWaterMark: 16 * 1024,
      write(c: Buffer, _e, done) {
        got += c.length;
        // The client disconnects after the first 64 KB.
        if (got > 64 * 1024) done(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
        else setImmediate(done);
      },
    });
    await expect(writeXlsx(table, rows(), dest)).rejects.toThrow();
    expect(released).toBe(true);
    expect(read).toBeLessThan(200_000);
  });

  it('control characters that XML cannot hold are dropped, Vietnamese is NFC, long text is cut to what Excel takes', async () => {
    const nfd = 'Bình thường'.normalize('NFD');
    const rows = [{ ...ballot(1), userAgent: `A\u0001B\u0007C\uFFFE${nfd}` }, { ...ballot(2), userAgent: 'x'.repeat(40_000) }];
    const { dest, bytes } = collect();
    await writeXlsx(table, rows, dest);
    const sheet = await workbook(bytes());
    expect(sheet.getRow(2).getCell(7).value).toBe('ABCBình thường'.normalize('NFC'));
    expect((sheet.getRow(3).getCell(7).value as string).length).toBe(32_767);
    expect(sheet.getColumn(7).width).toBe(60);
    expect(rowOf(sheet, 1)).toHaveLength(7);
  });

  it('Content-Disposition: the name as is when ASCII, else an ASCII fallback and the exact name in UTF-8', () => {
    expect(attachment('ykien-poll-a-2026-06-09.xlsx')).toBe('attachment; filename="ykien-poll-a-2026-06-09.xlsx"');
    expect(attachment('kết-quả "1".xlsx')).toBe(`attachment; filename="k_t-qu_ _1_.xlsx"; filename*=UTF-8''k%E1%BA%BFt-qu%E1%BA%A3%20%221%22.xlsx`);
  });
});
