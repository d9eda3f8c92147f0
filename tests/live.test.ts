import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createPoll, createSite, expectProblem, makeTestApp, newVoter, type TestApp } from './helpers/app.js';
import { createSurvey } from './helpers/surveys.js';

const ORIGIN = 'https://xa-a.example.vn';
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function listen(t: TestApp): Promise<string> {
  const server = t.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        t.services.live.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

interface LiveEvent {
  event: string;
  data: { id: string; results: { total?: number; respondents?: number; options?: { votes: number }[] } };
}

/** A server-sent events client, as a browser's EventSource reads the stream. */
async function stream(url: string, headers: Record<string, string> = {}) {
  const ctl = new AbortController();
  const res = await fetch(url, { headers: { Accept: 'text/event-stream', ...headers }, signal: ctl.signal });
  const events: LiveEvent[] = [];
  const comments: string[] = [];
  let ended = false;
  const reading = (async () => {
    if (!res.body || res.status !== 200) return;
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for await (const chunk of res.body) {
        buf += decoder.decode(chunk as Uint8Array, { stream: true });
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (block.startsWith(':')) comments.push(block);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
        }
      }
    } catch {
      /* aborted */
    }
    ended = true;
  })();
  closers.push(() => ctl.abort());
  return {
    res,
    events,
    comments,
    ended: () => ended,
    close: async () => {
      ctl.abort();
      await reading;
    },
    /** The latest event about `id` once `pred` holds for it. */
    until: async (pred: (e: LiveEvent) => boolean) => {
      await expect.poll(() => events.some(pred), { timeout: 5_000, interval: 20 }).toBe(true);
      return events.filter(pred).at(-1)!;
    },
  };
}

const LIVE = { LIVE_TICK_MS: 100 };

async function pollApp(overrides = {}) {
  const t = await makeTestApp({ ...LIVE, ...overrides });
  await createSite(t);
  const poll = await createPoll(t, { resultsVisibility: 'always' });
  return { t, poll, base: await listen(t) };
}

const vote = (t: { post(url: string): { send(b: object): PromiseLike<{ status: number }> } }, poll: { id: string; options: { id: string }[] }, i = 0) =>
  t.post(`/v1/polls/${poll.id}/votes`).send({ voterId: newVoter(), optionIds: [poll.options[i]!.id] });

describe('GET /v1/sites/:site/live', () => {
  it('sends the current results at once, then each change, to every stream of the poll', async () => {
    const { t, poll, base } = await pollApp({ LIVE_MAX_PER_CLIENT: 100 }); // the test's readers share one address
    const url = `${base}/v1/sites/xa-a/live?poll=${poll.id}`;
    const readers = await Promise.all(Array.from({ length: 40 }, () => stream(url, { Origin: ORIGIN })));
    for (const r of readers) {
      expect(r.res.status).toBe(200);
      expect(r.res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(r.res.headers.get('x-accel-buffering')).toBe('no');
      expect(r.res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect((await r.until((e) => e.data.id === poll.id)).data.results.total).toBe(0);
    }
    expect((await vote(t.http, poll, 1)).status).toBe(201);
    for (const r of readers) {
      const e = await r.until((x) => x.data.results.total === 1);
      expect(e.event).toBe('poll');
      expect(e.data.results.options!.map((o) => o.votes)).toEqual([0, 1, 0]);
    }
    expect(t.services.live.size).toBe(40);
    const metrics = await t.admin.get('/metrics');
    expect(metrics.text).toMatch(/^ykien_live_streams 40$/m);
    await Promise.all(readers.map((r) => r.close()));
    await expect.poll(() => t.services.live.size).toBe(0);
  });

  it('hears a vote taken by another instance on the same database', async () => {
    const { t, poll, base } = await pollApp();
    const r = await stream(`${base}/v1/sites/xa-a/live?poll=${poll.id}`);
    await r.until((e) => e.data.results.total === 0);
    const other = await t.otherInstance();
    expect((await vote(other, poll, 2)).status).toBe(201);
    await r.until((e) => e.data.results.total === 1);
  });

  it('streams a survey\'s results with its polls, in one stream', async () => {
    const { t, poll, base } = await pollApp();
    const { survey } = await createSurvey(t, { resultsVisibility: 'always' });
    const r = await stream(`${base}/v1/sites/xa-a/live?poll=${poll.id}&survey=${survey.id}`);
    await r.until((e) => e.event === 'survey' && e.data.id === survey.id);
    await r.until((e) => e.event === 'poll' && e.data.id === poll.id);
  });

  it('keeps a quiet stream open with comment lines, and ends every stream at shutdown', async () => {
    const { t, poll, base } = await pollApp({ LIVE_HEARTBEAT_MS: 1_000 });
    const r = await stream(`${base}/v1/sites/xa-a/live?poll=${poll.id}`);
    await expect.poll(() => r.comments.length, { timeout: 5_000 }).toBeGreaterThan(0);
    t.services.live.close();
    await expect.poll(() => r.ended(), { timeout: 5_000 }).toBe(true);
    expect(t.services.live.size).toBe(0);
  });

  it('bounds the streams of one network, and of the instance, with problems a page can fall back on', async () => {
    const { t, poll, base } = await pollApp({ LIVE_MAX_PER_CLIENT: 2, LIVE_MAX_STREAMS: 3 });
    const url = `${base}/v1/sites/xa-a/live?poll=${poll.id}`;
    const a = await stream(url);
    const b = await stream(url);
    const refused = await fetch(url);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect((await refused.json()).code).toBe('live_limit');
    await a.close();
    await expect.poll(() => t.services.live.size).toBe(1);
    const again = await stream(url);
    expect(again.res.status).toBe(200);
    await b.close();
    await again.close();
    await expect.poll(() => t.services.live.size).toBe(0);
  });

  it('opens no stream for what the reader may not see, or that is not there', async () => {
    const t = await makeTestApp(LIVE);
    await createSite(t);
    await createSite(t, { id: 'xa-b', origins: ['https://xa-b.example.vn'] });
    const hidden = await createPoll(t, { resultsVisibility: 'after_vote' });
    const elsewhere = await createPoll(t, { site: 'xa-b', resultsVisibility: 'always' });
    const live = (q: string) => t.http.get(`/v1/sites/xa-a/live?${q}`);
    expectProblem(await live(`poll=${hidden.id}`), 403, 'results_hidden');
    expectProblem(await live(`poll=${elsewhere.id}`), 404, 'not_found');
    expectProblem(await live('poll=khongco'), 404, 'not_found');
    expectProblem(await live(''), 400, 'validation_failed');
    expectProblem(await live('poll=%3Cscript%3E'), 400, 'validation_failed');
    expectProblem(await live(Array.from({ length: 21 }, (_, i) => `poll=p${i}`).join('&')), 400, 'validation_failed');
    expectProblem(await live('poll=a%00b'), 400, 'validation_failed');
    expectProblem(await t.http.get(`/v1/sites/xa-a/live?poll=${hidden.id}`).set('Origin', 'https://evil.example'), 403, 'origin_not_allowed');

    // Having voted, the reader sees the results, so the stream opens.
    const base = await listen(t);
    const voterId = newVoter();
    expect((await t.http.post(`/v1/polls/${hidden.id}/votes`).send({ voterId, optionIds: [hidden.options[0]!.id] })).status).toBe(201);
    const r = await stream(`${base}/v1/sites/xa-a/live?poll=${hidden.id}&voterId=${voterId}`);
    expect(r.res.status).toBe(200);
    await r.until((e) => e.data.results.total === 1);
  });
});

describe('GET /v1/admin/live', () => {
  it('streams the admin results, hidden ones too, to an admin only', async () => {
    const t = await makeTestApp(LIVE);
    await createSite(t);
    const poll = await createPoll(t, { resultsVisibility: 'after_close' });
    const base = await listen(t);
    const url = `${base}/v1/admin/live?poll=${poll.id}`;
    const r = await stream(url, { Authorization: `Bearer ${t.adminKey}` });
    expect(r.res.status).toBe(200);
    await r.until((e) => e.event === 'poll' && e.data.results.total === 0);
    expect((await vote(t.http, poll)).status).toBe(201);
    await r.until((e) => e.data.results.total === 1);

    const moderator = (await t.services.keys.create({ name: 'Biên tập xã A', role: 'moderator', siteId: 'xa-a' })).key;
    expectProblem(await t.http.get(`/v1/admin/live?poll=${poll.id}`).set('Authorization', `Bearer ${moderator}`), 403, 'forbidden');
    expectProblem(await t.http.get(`/v1/admin/live?poll=${poll.id}`), 401, 'unauthorized');
    expectProblem(await t.http.get('/v1/admin/live?poll=khongco').set('Authorization', `Bearer ${t.adminKey}`), 404, 'not_found');
    expectProblem(await t.http.get('/v1/admin/live').set('Authorization', `Bearer ${t.adminKey}`), 400, 'validation_failed');
    // The public stream still refuses what the public may not see.
    expectProblem(await t.http.get(`/v1/sites/xa-a/live?poll=${poll.id}`), 403, 'results_hidden');
  });
});
