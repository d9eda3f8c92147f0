// SQLite only: 200,000 ballots written straight into the SQLite file, then streamed. PostgreSQL's twin is
// tests/postgres/exports.stream.test.ts (the same ballots, through a cursor, by the API's store and the CLI).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { createPoll, createSite, makeTestApp, type TestApp } from './helpers/app.js';

// A full collection on demand, so heap samples measure what is retained rather than garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};

const BALLOTS = 200_000;
const UA = 'Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.122 Mobile Safari/537.36 CocCoc/128';
const MB = 1024 * 1024;

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

/** Consumes a stream slowly (it stalls once for a while), sampling the retained heap as it goes. */
function meter(base: number) {
  let bytes = 0;
  let lines = 0;
  let nextSample = 0;
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, heap() - base);
  };
  const onChunk = (c: Buffer) => {
    bytes += c.length;
    for (let i = c.indexOf(10); i !== -1; i = c.indexOf(10, i + 1)) lines++;
    if (bytes >= nextSample) {
      sample();
      nextSample += 5 * MB;
    }
  };
  return { onChunk, sample, result: () => ({ bytes, lines, peak }) };
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
    expect(bytes).toBeGreaterThan(40 * MB);
    // Buffering the export would retain at least its size (more, as UTF-16 strings).
    expect(peak).toBeLessThan(bytes / 5);
    expect(peak).toBeLessThan(12 * MB);
  });

  it(`JSON export of ${BALLOTS} ballots through the CLI writes to a slow stdout with bounded heap growth`, async () => {
    const { t, pollId } = await bigPoll();
    const base = heap();
    const m = meter(base);
    let writes = 0;
    const stdout = new Writable({
      highWaterMark: 64 * 1024,
      write(chunk: Buffer, _enc, done) {
        m.onChunk(chunk);
        // Every 50th write completes late, as a pipe to a busy disk would.
        if (++writes % 50 === 0) setTimeout(done, 5);
        else setImmediate(done);
      },
    });
    const err: string[] = [];
    const code = await runCli(['export', 'poll', pollId, '--format', 'json', '--detail', 'votes'], { DATABASE_PATH: t.file, LOG_LEVEL: 'silent', SEED_DEMO: 'false' }, () => {}, (l) => err.push(l), stdout);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const { bytes, lines, peak } = m.result();
    expect(lines).toBe(BALLOTS + 2); // the opening line, one per ballot, the closing "]}"
    expect(bytes).toBeGreaterThan(40 * MB);
    expect(peak).toBeLessThan(bytes / 5);
    expect(peak).toBeLessThan(12 * MB);
  });
});
