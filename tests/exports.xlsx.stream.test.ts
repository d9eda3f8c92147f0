// SQLite only: 200,000 ballots written straight into the SQLite file, then streamed as XLSX. PostgreSQL's twin is
// tests/postgres/exports.xlsx.stream.test.ts (the same ballots, through a cursor).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { BALLOTS, BALLOT_UA as UA, MB, retained } from './helpers/heap.js';
import { createPoll, createSite, makeTestApp } from './helpers/app.js';

/** A client that stops reading this long: long enough for an unbounded writer to pile up tens of MB. */
const STALL_MS = 2500;

describe('streaming XLSX keeps memory flat', () => {
  it(`GET …/export?format=xlsx&detail=votes streams ${BALLOTS} ballots to a client that stalls, with bounded memory growth`, { timeout: 240_000 }, async () => {
    const t = await makeTestApp();
    await createSite(t);
    const p = await createPoll(t, { maxChoices: 2 });
    const [a, b] = p.options.map((o) => o.id) as [string, string];
    const ballot = t.db.prepare('INSERT INTO ballots (poll_id, voter_hash, ip_hash, user_agent, created_at) VALUES (?, ?, ?, ?, ?)');
    const choice = t.db.prepare('INSERT INTO ballot_choices (ballot_id, option_id) VALUES (?, ?)');
    const start = Date.parse('2026-06-01T00:00:00Z');
    t.db.transaction(() => {
      for (let i = 0; i < BALLOTS; i++) {
        const id = ballot.run(p.id, `voter-hash-${i.toString(36).padStart(12, '0')}`, `ip-hash-${(i % 5000).toString(36).padStart(14, '0')}`, UA, start + i * 1000).lastInsertRowid;
        choice.run(id, i % 3 === 0 ? b : a);
        if (i % 7 === 0) choice.run(id, i % 3 === 0 ? a : b);
      }
    })();

    const server = t.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    const base = retained();
    let peak = 0;
    let nextSample = 0;
    const chunks: Buffer[] = [];
    let bytes = 0;
    const res = await new Promise<{ status: number; complete: boolean; type: string | undefined }>((resolve, reject) => {
      const path = `/v1/admin/polls/${p.id}/export?format=xlsx&detail=votes`;
      http.get({ host: '127.0.0.1', port, path, headers: { authorization: `Bearer ${t.adminKey}` } }, (stream) => {
        let stalled = false;
        stream.on('data', (c: Buffer) => {
          chunks.push(c);
          bytes += c.length;
          if (bytes >= nextSample) {
            // The file itself is kept for reading back: not part of what the server retains.
            peak = Math.max(peak, retained() - base - bytes);
            nextSample += MB;
          }
          if (!stalled) {
            stalled = true;
            stream.pause();
            setTimeout(() => {
              peak = Math.max(peak, retained() - base - bytes);
              stream.resume();
            }, STALL_MS);
          }
        });
        stream.on('end', () => resolve({ status: stream.statusCode!, complete: stream.complete, type: stream.headers['content-type'] }));
        stream.on('error', reject);
      }).on('error', reject);
    });
    server.close();
    expect(res).toMatchObject({ status: 200, complete: true, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    console.info(`sqlite xlsx export: ${BALLOTS} ballots, ${(bytes / MB).toFixed(1)} MB, peak growth ${(peak / MB).toFixed(2)} MB`);
    // Writing the sheet unbounded while the client stalls retains 50+ MB; exceljs's in-memory workbook, hundreds.
    expect(peak).toBeLessThan(24 * MB);

    // Every ballot is in the file, in order, its time a date serial: read back with exceljs's streaming reader (the file is large).
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.concat(chunks)]), { styles: 'ignore', sharedStrings: 'ignore', hyperlinks: 'ignore', worksheets: 'emit' });
    let rows = 0;
    let last = 0;
    for await (const sheet of reader) {
      for await (const row of sheet) {
        if (++rows === 1) continue;
        const id = row.getCell(1).value as number;
        expect(id).toBeGreaterThan(last);
        last = id;
        // Styles are not read here (faster): the date is its serial number, 07:00 local on 1 June.
        if (rows === 2) expect(row.getCell(2).value).toBe(Date.parse('2026-06-01T07:00:00Z') / 86_400_000 + 25_569);
      }
    }
    expect(rows).toBe(BALLOTS + 1);
  });
});
