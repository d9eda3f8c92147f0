// What the streaming-export tests of both backends share (tests/exports.stream.test.ts, exports.xlsx.stream.test.ts
// and their twins in tests/postgres/): the ballots' size, the retained-heap measure, a metered slow
// consumer, and the bound an export's heap growth must stay within.
import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect } from 'vitest';

export const BALLOTS = 200_000;
export const BALLOT_UA = 'Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.122 Mobile Safari/537.36 CocCoc/128';
export const MB = 1024 * 1024;

// A full collection on demand, so heap samples measure what is retained rather than garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
export const heap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};

/** The heap plus Buffers outside it (a zip's pieces live there): what an XLSX writer retains. */
export const retained = () => {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

/** Counts a stream's bytes and lines as it is consumed, sampling the heap retained above `base` every 5 MB. */
export function meter(base: number) {
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

/** A stdout that meters what it is given; every 50th write completes late, as a pipe to a busy disk would. */
export function slowStdout(m: ReturnType<typeof meter>): Writable {
  let writes = 0;
  return new Writable({
    highWaterMark: 64 * 1024,
    write(chunk: Buffer, _enc, done) {
      m.onChunk(chunk);
      if (++writes % 50 === 0) setTimeout(done, 5);
      else setImmediate(done);
    },
  });
}

/** An export of `bytes` (over 40 MB) streamed with `peak` retained: buffering it would retain at least its size. */
export function expectFlat(bytes: number, peak: number): void {
  expect(bytes).toBeGreaterThan(40 * MB);
  expect(peak).toBeLessThan(bytes / 5);
  expect(peak).toBeLessThan(12 * MB);
}
