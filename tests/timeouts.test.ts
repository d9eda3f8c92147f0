import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { testConfig, type Config } from '../src/config.js';
import { silentLogger } from '../src/logger.js';
import { start, type Running } from '../src/server.js';
import { tempDatabase } from './helpers/app.js';

/**
 * Slow and huge clients against the real server (src/server.ts start(), real sockets): a client
 * that dribbles its headers or its body is answered 408 and disconnected, an idle keep-alive
 * connection is closed, a body over BODY_LIMIT_BYTES is refused with 413 before it is read,
 * and the server keeps answering everyone else throughout. Timeouts are shortened through
 * config so the test waits well under a second for each.
 */
let running: Running | undefined;
const intervals: NodeJS.Timeout[] = [];
afterEach(async () => {
  while (intervals.length) clearInterval(intervals.pop());
  await running?.stop();
  running = undefined;
});

async function serve(overrides: Partial<Config> = {}) {
  const { file } = tempDatabase();
  running = await start(
    testConfig({ DATABASE_PATH: file, HOST: '127.0.0.1', PORT: 0, HEADERS_TIMEOUT_MS: 400, REQUEST_TIMEOUT_MS: 1_000, KEEP_ALIVE_TIMEOUT_MS: 300, ...overrides }),
    silentLogger(),
  );
  const port = new URL(running.url).port;
  return { port: Number(port), base: `http://127.0.0.1:${port}` };
}

/** A raw TCP client: everything the server sent, and a promise that settles when it closes the connection. */
function connect(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => (received += d));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { socket, closed, connected, received: () => received };
}

const healthy = async (base: string) => (await fetch(`${base}/healthz`)).status;

describe('slow and huge clients', () => {
  it('answers 408 and disconnects a client that sends its headers slowly, and serves others meanwhile', { timeout: 15_000 }, async () => {
    const { port, base } = await serve();
    const slow = connect(port);
    await slow.connected;
    slow.socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n');
    let n = 0;
    intervals.push(setInterval(() => !slow.socket.destroyed && slow.socket.write(`X-Slow-${++n}: 1\r\n`), 50));
    expect(await healthy(base)).toBe(200);
    await slow.closed;
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(await healthy(base)).toBe(200);
  });

  it('answers 408 and disconnects a client that sends its body slowly', { timeout: 15_000 }, async () => {
    const { port, base } = await serve();
    const slow = connect(port);
    await slow.connected;
    slow.socket.write('POST /v1/polls/p/votes HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n{"voterId":"');
    intervals.push(setInterval(() => !slow.socket.destroyed && slow.socket.write('a'), 50));
    expect(await healthy(base)).toBe(200);
    await slow.closed;
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(await healthy(base)).toBe(200);
  });

  it('closes an idle keep-alive connection', { timeout: 15_000 }, async () => {
    const { port, base } = await serve();
    const idle = connect(port);
    await idle.connected;
    idle.socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n');
    await idle.closed;
    expect(idle.received()).toMatch(/^HTTP\/1\.1 200 /);
    expect(idle.received()).toMatch(/Keep-Alive: timeout=\d+/i);
    expect(await healthy(base)).toBe(200);
  });

  it('refuses a body over BODY_LIMIT_BYTES with 413 problem+json before reading it', { timeout: 15_000 }, async () => {
    const { port, base } = await serve({ REQUEST_TIMEOUT_MS: 30_000, HEADERS_TIMEOUT_MS: 10_000 });
    // Announced size: refused from the headers alone, the body never sent.
    const huge = connect(port);
    await huge.connected;
    huge.socket.write(
      'POST /v1/polls/p/votes HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n\r\n{"voterId":"',
    );
    while (!/\r\n\r\n[\s\S]*\}/.test(huge.received())) await new Promise((r) => setTimeout(r, 10));
    expect(huge.received()).toMatch(/^HTTP\/1\.1 413 /);
    expect(huge.received()).toMatch(/content-type: application\/problem\+json/i);
    expect(huge.received()).toContain('"code":"body_too_large"');
    huge.socket.destroy();

    // Chunked, no length announced: cut off once the limit is passed.
    const body = JSON.stringify({ optionIds: ['a'], voterId: 'voter-123456', pad: 'x'.repeat(64 * 1024) });
    const chunked = await fetch(`${base}/v1/polls/p/votes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode(body));
          c.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(((await chunked.json()) as { code: string }).code).toBe('body_too_large');

    // Just under the limit is parsed (and then refused by validation, not by size).
    const fits = await fetch(`${base}/v1/polls/p/votes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ optionIds: ['a'], voterId: 'voter-123456', pad: 'x'.repeat(8 * 1024) }),
    });
    expect(fits.status).not.toBe(413);
    expect(fits.status).toBeLessThan(500);
    expect(await healthy(base)).toBe(200);
  });
});
