import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createPoll, createSite, makeTestApp, newVoter, type TestApp } from './helpers/app.js';

const scrape = async (t: TestApp) => {
  const res = await t.admin.get('/metrics');
  expect(res.status).toBe(200);
  return res.text;
};
/** Sample lines (one per series), without comments. */
const series = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('#'));

/** Requests to sites, polls, threads and pages that do not exist, and to paths that match nothing. */
async function madeUp(t: TestApp, tag: string) {
  const site = `x-${tag}`;
  await t.http.get(`/v1/sites/${site}/captcha`);
  await t.http.get(`/v1/sites/${site}/threads/bai-${tag}/comments`);
  await t.http.post(`/v1/sites/${site}/threads/bai-${tag}/comments`).send({ name: 'A', content: 'B' });
  await t.http.get(`/v1/sites/xa-a/threads/bai-${tag}/comments`);
  await t.http.options(`/v1/sites/${site}/threads/bai-${tag}/comments`).set('Origin', `https://${tag}.example`);
  await t.http.get(`/v1/sites/${site}/pages/trang-${tag}/views`);
  await t.http.post(`/v1/sites/${site}/pages/trang-${tag}/views`).send({ visitorId: newVoter() });
  await t.http.get(`/v1/sites/${site}/stats`);
  await t.http.get(`/v1/polls/p-${tag}`);
  await t.http.get(`/v1/polls/p-${tag}/results`);
  await t.http.post(`/v1/polls/p-${tag}/votes`).send({ optionIds: ['o'], voterId: newVoter() });
  await t.http.get(`/p/p-${tag}`);
  await t.http.get(`/khong-co/${tag}`);
  await t.http.get(`/v1/${tag}`);
  await t.http.get(`/v1/sites/${site}/${tag}`);
  await t.http.get(`/widget.${tag}.js`);
  await t.admin.get(`/v1/admin/sites/${site}`);
  await t.admin.get(`/v1/admin/sites/${site}/webhook`);
  await t.admin.get(`/v1/admin/polls/p-${tag}`);
  await t.admin.get(`/v1/admin/comments/c${tag}`);
  await t.http.get(`/v1/admin/sites/${site}`);
}

describe('/metrics series stay bounded (issue 10 §5)', () => {
  it('made-up sites, polls, threads and paths add no series: route labels are patterns', async () => {
    // Attack: each made-up site id (/v1/sites/x-123/captcha) or thread used to add ~15 series,
    // ~36,000 an hour from one IP within the read limit, until Prometheus or the process gives out.
    const t = await makeTestApp();
    await createSite(t);
    await createPoll(t);
    const tag = (i: number) => `a${i}${Math.random().toString(36).slice(2, 8).padEnd(6, '0')}`;
    await madeUp(t, tag(0));
    await madeUp(t, tag(1));
    const before = series(await scrape(t));
    for (let i = 2; i < 7; i++) await madeUp(t, tag(i));
    const after = series(await scrape(t));
    const labels = (lines: string[]) => lines.map((l) => l.replace(/ [^ ]+$/, '')).filter((l) => !l.includes('/metrics'));
    expect(labels(after)).toEqual(labels(before));
    const text = after.join('\n');
    for (const leak of ['x-a', 'bai-a', 'trang-a', 'p-a', 'khong-co', 'widget.a']) expect(text).not.toContain(leak);
    // The patterns themselves are there.
    expect(text).toContain('route="/v1/sites/:site/captcha"');
    expect(text).toContain('route="/v1/sites/:site/threads/:thread/comments"');
    expect(text).toContain('route="/v1/admin/sites/:site/webhook"');
    expect(text).toContain('route="unmatched"');
  });
});

describe('/metrics output is valid for Prometheus', () => {
  it('passes `promtool check metrics`, with the process metrics on', async () => {
    const found = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
    if (found.error)
      throw new Error('promtool is not installed: apt-get install -y --no-install-recommends prometheus (Debian\'s package ships /usr/bin/promtool)');
    const t = await makeTestApp({ NODE_ENV: 'development' });
    await createSite(t);
    const p = await createPoll(t);
    await t.http.post(`/v1/polls/${p.id}/votes`).send({ optionIds: [p.options[0]!.id], voterId: newVoter() }).expect(201);
    await t.http.get('/khong-co').expect(404);
    await scrape(t);
    const text = await scrape(t);
    expect(text).toContain('ykien_process_cpu_user_seconds_total');
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(`${check.stdout}${check.stderr}`.trim()).toBe('');
    expect(check.status).toBe(0);
  });
});
