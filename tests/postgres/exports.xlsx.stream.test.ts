import { Readable, Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { BALLOTS, BALLOT_UA as UA, MB, retained } from '../helpers/heap.js';
import { ballotsTable } from '../../src/exports/exports.tables.js';
import { writeXlsx } from '../../src/exports/xlsx.js';
import { openPostgresStorage, type PostgresStorage } from '../../src/storage/postgres/index.js';
import { freshPostgresUrl, seedSite } from '../storage/backends.js';

const START = Date.parse('2026-06-01T00:00:00Z');
/** Far shorter than the export lasts: the cursor's snapshot must outlive the pool's timeouts while the client stalls. */
const STATEMENT_TIMEOUT_MS = 400;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

/** 200,000 ballots written straight into PostgreSQL (as in tests/postgres/exports.stream.test.ts). */
async function bigPoll(): Promise<string> {
  const db = await freshPostgresUrl();
  const s = await openPostgresStorage(db.url, { size: 2, statementTimeoutMs: 60_000, ssl: 'off' });
  cleanup.push(async () => {
    await s.close();
    await db.drop();
  });
  await seedSite(s);
  await s.polls.create({ id: 'big', siteId: 'xa-a', question: 'Xin bạn cho ý kiến?', maxChoices: 2, opensAt: null, closesAt: null, resultsVisibility: 'always' }, [{ id: 'big-a', label: '0905123456' }, { id: 'big-b', label: '1/2' }], START, null);
  await s.pool.query(
    `INSERT INTO ballots (poll_id, voter_hash, ip_hash, user_agent, created_at)
     SELECT 'big', 'voter-hash-' || lpad(i::text, 12, '0'), 'ip-hash-' || lpad((i % 5000)::text, 14, '0'), $1, $2::bigint + i * 1000
     FROM generate_series(0, $3::int - 1) AS i`,
    [UA, START, BALLOTS],
  );
  await s.pool.query(`INSERT INTO ballot_choices (ballot_id, option_id) SELECT id, CASE WHEN id % 3 = 0 THEN 'big-b' ELSE 'big-a' END FROM ballots WHERE poll_id = 'big'`);
  return db.url;
}

describe('XLSX from PostgreSQL keeps memory flat', () => {
  it(`${BALLOTS} ballots through the cursor into a workbook, to a writer that stalls past the pool's timeouts; consumers that go away give their connection back`, { timeout: 300_000 }, async () => {
    const url = await bigPoll();
    const s: PostgresStorage = await openPostgresStorage(url, { size: 2, statementTimeoutMs: STATEMENT_TIMEOUT_MS, ssl: 'off' });
    cleanup.push(() => s.close());
    const table = ballotsTable('Asia/Ho_Chi_Minh', new Map([['big-a', '0905123456'], ['big-b', '1/2']]));
    const base = retained();
    let peak = 0;
    let bytes = 0;
    let nextSample = 0;
    let writes = 0;
    const chunks: Buffer[] = [];
    const dest = new Writable({
      highWaterMark: 64 * 1024,
      write(c: Buffer, _e, done) {
        chunks.push(c);
        bytes += c.length;
        if (bytes >= nextSample) {
          peak = Math.max(peak, retained() - base - bytes);
          nextSample += MB;
        }
        // Twice, the writer waits longer than the pool's idle-in-transaction timeout.
        if (++writes === 1 || writes === 60) setTimeout(done, STATEMENT_TIMEOUT_MS * 4);
        else setImmediate(done);
      },
    });
    await writeXlsx(table, s.exports.ballots('big'), dest);
    peak = Math.max(peak, retained() - base - bytes);
    console.info(`postgres xlsx export: ${BALLOTS} ballots, ${(bytes / MB).toFixed(1)} MB, peak growth ${(peak / MB).toFixed(2)} MB`);
    expect(peak).toBeLessThan(24 * MB);

    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.concat(chunks)]), { styles: 'ignore', sharedStrings: 'ignore', hyperlinks: 'ignore', worksheets: 'emit' });
    let rows = 0;
    for await (const sheet of reader) {
      for await (const row of sheet) {
        if (++rows !== 2) continue;
        expect(row.getCell(1).value).toBe(1);
        expect(row.getCell(2).value).toBe(Date.parse('2026-06-01T07:00:00Z') / 86_400_000 + 25_569);
        expect(row.getCell(4).value).toBe('0905123456');
      }
    }
    expect(rows).toBe(BALLOTS + 1);

    // More consumers that go away than the pool has connections: each one's cursor was closed and its connection released.
    for (let i = 0; i < 3; i++) {
      let got = 0;
      const gone = new Writable({ write: (c: Buffer, _e, done) => ((got += c.length) > 32 * 1024 ? done(new Error('socket hang up')) : done()) });
      await expect(writeXlsx(table, s.exports.ballots('big'), gone)).rejects.toThrow('socket hang up');
    }
    expect((await s.exports.ballotSlots('big', START, START + 15 * 60_000)).at(0)).toEqual({ start: START, ballots: 900 });
  });
});
