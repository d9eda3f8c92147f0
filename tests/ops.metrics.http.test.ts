import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createHttpMetrics, LATENCY_BUCKETS } from '../src/ops/httpMetrics.js';
import { createMetrics } from '../src/ops/metrics.js';

/** prom-client's own families, as src/ops/metrics.ts defined them before the plain counts (issue 17). */
function promClientReference() {
  const registry = new Registry();
  const requests = new Counter({ name: 'ykien_http_requests_total', help: 'HTTP requests answered, by method, route pattern and status.', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const latency = new Histogram({ name: 'ykien_http_request_duration_seconds', help: 'Time to answer an HTTP request, by method, route pattern and status.', labelNames: ['method', 'route', 'status'], buckets: [...LATENCY_BUCKETS], registers: [registry] });
  return {
    registry,
    requestAnswered(labels: { method: string; route: string; status: string }, seconds: number) {
      requests.inc(labels);
      latency.observe(labels, seconds);
    },
  };
}

const requests = () => {
  const routes = ['/v1/polls/:id', '/v1/polls/:id/votes', 'unmatched', 'other', '/v1/sites/:site/threads/:thread/comments', 'đường "lạ" \\ x'];
  const out: [{ method: string; route: string; status: string }, number][] = [];
  let seed = 17;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  // Every bound exactly (a value on a bound belongs to that bucket), above the last one, and zero.
  for (const b of [...LATENCY_BUCKETS, 0, 10.5, 1e-9]) out.push([{ method: 'GET', route: routes[0]!, status: '200' }, b]);
  for (let i = 0; i < 3000; i++) {
    const route = routes[Math.floor(next() * routes.length)]!;
    out.push([{ method: next() < 0.7 ? 'GET' : 'POST', route, status: ['200', '201', '304', '404', '429'][Math.floor(next() * 5)]! }, next() ** 4 * 12]);
  }
  return out;
};

describe('HTTP request metrics kept as plain counts (issue 17)', () => {
  it('scrape exactly as prom-client Counter + Histogram would: names, HELP/TYPE, labels, buckets, values', async () => {
    const ref = promClientReference();
    const registry = new Registry();
    const ours = createHttpMetrics(registry);
    for (const [labels, s] of requests()) {
      ref.requestAnswered(labels, s);
      ours.requestAnswered(labels, s);
    }
    const expected = await ref.registry.metrics();
    expect(expected).toContain('le="0.005",method="GET",route="/v1/polls/:id",status="200"');
    expect(await registry.metrics()).toBe(expected);
    // A second scrape counts the same (the counter's collect must not add twice), then new requests add.
    expect(await registry.metrics()).toBe(expected);
    ref.requestAnswered({ method: 'GET', route: 'other', status: '500' }, 0.3);
    ours.requestAnswered({ method: 'GET', route: 'other', status: '500' }, 0.3);
    expect(await registry.metrics()).toBe(await ref.registry.metrics());
    // The JSON form too (registry.getMetricsAsJSON), which prom-client's own tools read.
    expect(await registry.getMetricsAsJSON()).toEqual(await ref.registry.getMetricsAsJSON());
  });

  it('the labels object a caller passes may be reused or changed afterwards', async () => {
    const m = createMetrics();
    const labels = { method: 'GET', route: '/v1/polls/:id', status: '200' };
    m.requestAnswered(labels, 0.001);
    labels.status = '404';
    m.requestAnswered(labels, 0.001);
    const text = await m.text();
    expect(text).toContain('ykien_http_requests_total{method="GET",route="/v1/polls/:id",status="200"} 1');
    expect(text).toContain('ykien_http_requests_total{method="GET",route="/v1/polls/:id",status="404"} 1');
    expect(text).toContain('ykien_http_request_duration_seconds_count{method="GET",route="/v1/polls/:id",status="404"} 1');
  });
});
