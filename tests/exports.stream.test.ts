// SQLite only: 200,000 ballots written straight into the SQLite file, then streamed. PostgreSQL's twin is
// tests/postgres/exports.stream.test.ts (the same ballots, through a cursor, by the API's store and the CLI).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { createPoll, createSite, makeTestApp, type TestApp } from './helpers/app.js';
import { BALLOTS, BALLOT_UA as UA, expectFlat, heap, meter, slowStdout } from './helpers/heap.js';

/** 200 000 ballots written straight into SQLite in one transaction (the API would take minutes). */
async function bigPoll(): Promise<{ t: TestApp; pollId: string }> {
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
  return { t, pollId: p.id };
}

describe('streaming exports keep memory flat', () => {
  it(`GET …/export?detail=votes streams ${BALLOTS} ballots with bounded heap growth`, async () => {
    const { t, pollId } = await bigPoll();
    // A real socket (supertest's parser sees the body only after it started reading it).
    const server = t.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    const base = heap();
    const m = meter(base);
    const res = await new Promise<{ status: number; complete: boolean }>((resolve, reject) => {
      const path = `/v1/admin/polls/${pollId}/export?format=csv&detail=votes`;
      http.get({ host: '127.0.0.1', port, path, headers: { authorization: `Bearer ${t.adminKey}` } }, (stream) => {
        let stalled = false;
        stream.on('data', (c: Buffer) => {
          m.onChunk(c);
          if (!stalled) {
            // A slow client: the server must wait for it, not buffer the rest of the export.
            stalled = true;
            stream.pause();
            setTimeout(() => {
              m.sample();
              stream.resume();
            }, 300);
          }
        });
        stream.on('end', () => resolve({ status: stream.statusCode!, complete: stream.complete }));
        stream.on('error', reject);
      }).on('error', reject);
    });
    server.close();
    expect(res.complete).toBe(true);
    expect(res.status).toBe(200);
    const { bytes, lines, peak } = m.result();
    expect(lines).toBe(BALLOTS + 1);
    expectFlat(bytes, peak);
  });

  it(`JSON export of ${BALLOTS} ballots through the CLI writes to a slow stdout with bounded heap growth`, async () => {
    const { t, pollId } = await bigPoll();
    const base = heap();
    const m = meter(base);
    const stdout = slowStdout(m);
    const err: string[] = [];
    const code = await runCli(['export', 'poll', pollId, '--format', 'json', '--detail', 'votes'], { DATABASE_PATH: t.file, LOG_LEVEL: 'silent', SEED_DEMO: 'false' }, () => {}, (l) => err.push(l), stdout);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const { bytes, lines, peak } = m.result();
    expect(lines).toBe(BALLOTS + 2); // the opening line, one per ballot, the closing "]}"
    expectFlat(bytes, peak);
  });
});
