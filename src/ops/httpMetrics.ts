import { Counter, type Metric, type Registry } from 'prom-client';

export interface RequestLabels {
  method: string;
  route: string;
  status: string;
}

/** Upper bounds of ykien_http_request_duration_seconds, in seconds (+Inf is the count). */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

interface Series {
  /** The labels as first seen, copied: prom-client formats them at scrape time only. */
  labels: RequestLabels;
  count: number;
  sum: number;
  /** Observations per bucket, not cumulative; the last slot is above the largest bound. */
  perBucket: Float64Array;
}

/**
 * HTTP request counts and latency kept as plain numbers, one entry per (method, route, status), and handed
 * to prom-client only when /metrics is scraped. prom-client's inc()/observe() validate and hash the labels
 * on every call (~10–18 µs of CPU per request, bench/results.md); here a request costs a string key, a Map
 * lookup and a few additions. The series are exactly the labels callers pass, so cardinality stays what
 * the route patterns allow (src/http/metrics.ts).
 */
export function createHttpMetrics(registry: Registry) {
  const series = new Map<string, Series>();

  new Counter({
    name: 'ykien_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const s of series.values()) this.inc(s.labels, s.count);
    },
  });
  registry.registerMetric(latencyHistogram(series) as unknown as Metric);

  return {
    requestAnswered(labels: RequestLabels, seconds: number): void {
      const key = `${labels.method} ${labels.status} ${labels.route}`;
      let s = series.get(key);
      if (!s) {
        s = { labels: { method: labels.method, route: labels.route, status: labels.status }, count: 0, sum: 0, perBucket: new Float64Array(LATENCY_BUCKETS.length + 1) };
        series.set(key, s);
      }
      s.count++;
      s.sum += seconds;
      let i = 0;
      while (i < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[i]!) i++;
      s.perBucket[i]!++;
    },
  };
}

/**
 * ykien_http_request_duration_seconds as prom-client's registry expects a metric to look (name, help, type,
 * get/getForPromString), with the samples laid out as prom-client's own Histogram lays them out: `le` first,
 * then the series' labels, cumulative buckets, +Inf, _sum, _count. prom-client's Histogram cannot be given
 * counts in bulk, hence this small object of our own.
 */
function latencyHistogram(series: Map<string, Series>) {
  const name = 'ykien_http_request_duration_seconds';
  const bounds = LATENCY_BUCKETS.map((le) => ({ le: le as number | string }));
  const inf = { le: '+Inf' };
  const sample = (labels: object, value: number, metricName: string, sharedLabels: RequestLabels) => ({ labels, sharedLabels, value, metricName });
  const samples = () => {
    const values: ReturnType<typeof sample>[] = [];
    for (const s of series.values()) {
      let acc = 0;
      for (let i = 0; i < bounds.length; i++) {
        acc += s.perBucket[i]!;
        values.push(sample(bounds[i]!, acc, `${name}_bucket`, s.labels));
      }
      values.push(sample(inf, s.count, `${name}_bucket`, s.labels));
      values.push(sample({}, s.sum, `${name}_sum`, s.labels));
      values.push(sample({}, s.count, `${name}_count`, s.labels));
    }
    return values;
  };
  const head = { name, help: 'Time to answer an HTTP request, by method, route pattern and status.', type: 'histogram', aggregator: 'sum' } as const;
  return {
    ...head,
    async getForPromString() {
      return { ...head, values: samples() };
    },
    /** The JSON form (registry.getMetricsAsJSON): labels in one object, as prom-client's get() gives them. */
    async get() {
      return {
        ...head,
        values: samples().map(({ labels, sharedLabels, value, metricName }) => ({
          labels: { ...labels, ...sharedLabels },
          value,
          metricName,
          exemplar: metricName.endsWith('_bucket') ? null : undefined,
        })),
      };
    },
    reset() {
      series.clear();
    },
  };
}
