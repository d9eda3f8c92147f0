import http from 'node:http';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request on a keep-alive agent, the whole answer read as text (load and crash tests). */
export function request(agent: http.Agent, url: string, method: string, body?: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { agent, method, headers: { ...(body ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * A keep-alive agent for load and crash tests. Its idle sockets are dropped after 2 s, well before
 * the service closes them (KEEP_ALIVE_TIMEOUT_MS, 5 s): reusing a socket at the moment the server
 * closes it is a "socket hang up" for a request the service never saw (nodejs/node#47130), the
 * same reason docs/deploy.md keeps nginx's upstream keepalive_timeout at 4 s.
 */
export function keepAliveAgent(maxSockets = Infinity): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, timeout: 2_000 });
}
