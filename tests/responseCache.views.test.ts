import { describe, expect, it } from 'vitest';
import { approve, base, form, newCaptcha, post } from './comments.fixtures.js';
import { createPoll, createSite, makeTestApp, newVoter, testClock, type TestApp } from './helpers/app.js';

/**
 * A counted view is a write, but no cached answer is built from the view counters (their reads are
 * no-store): on a busy portal, views must not empty the cached polls and threads (issue 13). Every other
 * write still does, and the counters themselves stay exact at once. Observed through the cache's own
 * metric, ykien_response_cache_lookups_total.
 */
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

async function app() {
  const t = await makeTestApp({ METRICS_TOKEN }, { clock: testClock() });
  await createSite(t);
  return t;
}

/** Hits and misses so far (read with the metrics token: an admin key's use is a write of its own). */
async function lookups(t: TestApp): Promise<{ hit: number; miss: number }> {
  const text = (await t.http.get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200)).text;
  const count = (result: string) => Number(new RegExp(`^ykien_response_cache_lookups_total\\{result="${result}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  return { hit: count('hit'), miss: count('miss') };
}

const view = (t: TestApp, visitorId: string, page = 'trang-chu') =>
  t.http.post(`/v1/sites/xa-a/pages/${page}/views`).set('User-Agent', CHROME).send({ visitorId });
const figures = async (t: TestApp, page = 'trang-chu') => (await t.http.get(`/v1/sites/xa-a/pages/${page}/views`).expect(200)).body;

/** Counted views of new and returning visitors over several seconds: pages, days, visits and presence all move. */
async function views(t: TestApp, check: (n: number) => Promise<void>) {
  const visitors = [newVoter(), newVoter(), newVoter()];
  let n = 0;
  for (const [i, visitor] of [...visitors, visitors[0]!, visitors[1]!].entries()) {
    t.clock.advance(1_500);
    const page = i < 3 ? 'trang-chu' : 'tin-tuc';
    expect((await view(t, visitor, page)).status).toBe(200);
    n++;
    await check(n);
  }
}

describe('counted views and the response cache', () => {
  it('a cached poll and its results stay hits across counted views; a vote empties them at once', async () => {
    const t = await app();
    const p = await createPoll(t);
    const read = () => t.http.get(`/v1/polls/${p.id}/results`).expect(200);
    const poll = () => t.http.get(`/v1/polls/${p.id}`).expect(200);
    await read();
    await poll();
    const warm = await lookups(t);
    await views(t, async (n) => {
      // The counters see each view at once (their answers are not cached)...
      const f = await figures(t);
      expect(f.views).toBe(Math.min(n, 3));
      expect(f.online).toBe(Math.min(n, 3));
      // ...and the poll's answers are still served from the cache.
      expect((await read()).body.total).toBe(0);
      expect((await poll()).body.status).toBe('open');
    });
    expect(await figures(t, 'tin-tuc')).toMatchObject({ views: 2, siteVisits: 3, online: 3 });
    const afterViews = await lookups(t);
    expect(afterViews.miss).toBe(warm.miss);
    expect(afterViews.hit).toBe(warm.hit + 5 * 2);

    // A vote is not a view: the next read is built again, with the vote in it.
    await t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: [p.options[0]!.id], voterId: newVoter() }).expect(201);
    expect((await read()).body.total).toBe(1);
    expect((await lookups(t)).miss).toBe(afterViews.miss + 1);
    // And views after it leave the new answer cached.
    const rewarmed = await lookups(t);
    expect((await view(t, newVoter())).status).toBe(200);
    expect((await read()).body.total).toBe(1);
    expect(await lookups(t)).toEqual({ hit: rewarmed.hit + 1, miss: rewarmed.miss });
  });

  it('a cached comment thread stays a hit across counted views; an approval shows at once', async () => {
    const t = await app();
    const id = await post(t);
    const thread = () => t.http.get(base()).expect(200);
    expect((await thread()).body.comments).toEqual([]);
    const warm = await lookups(t);
    await views(t, async (n) => {
      expect((await figures(t)).views).toBe(Math.min(n, 3));
      expect((await thread()).body.comments).toEqual([]);
    });
    const afterViews = await lookups(t);
    expect(afterViews).toEqual({ hit: warm.hit + 5, miss: warm.miss });

    await approve(t, id);
    expect((await thread()).body.comments.map((c: { id: string }) => c.id)).toEqual([id]);
    expect((await lookups(t)).miss).toBe(afterViews.miss + 1);
  });

  it('a repeated view (not counted, but the visitor seen) keeps the cache too, and the figures stay exact', async () => {
    const t = await app();
    const p = await createPoll(t);
    await t.http.get(`/v1/polls/${p.id}/results`).expect(200);
    const visitor = newVoter();
    expect((await view(t, visitor)).body).toEqual({ views: 1, siteVisits: 1, online: 1 });
    const warm = await lookups(t);
    // The same visitor again within the dedup window: not counted, but seen (presence moves with the clock).
    for (let i = 0; i < 3; i++) {
      t.clock.advance(1_100);
      expect((await view(t, visitor)).body).toEqual({ views: 1, siteVisits: 1, online: 1 });
      expect((await t.http.get(`/v1/polls/${p.id}/results`).expect(200)).body.total).toBe(0);
    }
    expect(await lookups(t)).toEqual({ hit: warm.hit + 3, miss: warm.miss });
  });

  it('a cached poll stays a hit across captchas issued and checked (no cached answer reads them); a comment empties it', async () => {
    const t = await makeTestApp({ METRICS_TOKEN, CAPTCHA: 'svg' }, { clock: testClock() });
    await createSite(t);
    const p = await createPoll(t);
    const read = () => t.http.get(`/v1/polls/${p.id}/results`).expect(200);
    await read();
    const warm = await lookups(t);
    for (let i = 0; i < 3; i++) {
      const c = await newCaptcha(t);
      t.clock.advance(5_000);
      // A wrong answer: the captcha is used up (and its proof of work spent), no comment is stored.
      const wrong = await t.http.post(base()).send(form({ captchaId: c.id, captchaAnswer: 'zzzzzz', pow: c.pow }));
      expect(wrong.status).toBe(400);
      await read();
    }
    expect(await t.sql.value('SELECT COUNT(*) FROM captchas')).toBe(0);
    expect(await lookups(t)).toEqual({ hit: warm.hit + 3, miss: warm.miss });
    // A right answer stores a comment: a write a cached answer may read, so the poll is built again.
    const c = await newCaptcha(t);
    t.clock.advance(5_000);
    expect((await t.http.post(base()).send(form({ captchaId: c.id, captchaAnswer: c.answer, pow: c.pow }))).status).toBeLessThan(300);
    await read();
    expect((await lookups(t)).miss).toBe(warm.miss + 1);
  });
});
