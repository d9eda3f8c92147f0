import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { DEMO_POLL_ID, DEMO_SITE_ID, seedDemo } from '../src/demo/seed.js';
import { start } from '../src/server.js';
import { silentLogger } from '../src/logger.js';
import { createSite, makeTestApp, tempDatabase } from './helpers/app.js';

const isDemo = (html: string) => html.includes('data-ykien-poll=') && html.includes('Xã Tiên Ngọc');
const isInfo = (html: string) => html.includes('<h1>ykien</h1>') && !html.includes('data-ykien');

describe('demo seed', () => {
  it("seeds the portal's site and poll once, with no votes, and never again after it is deleted", async () => {
    const t = await makeTestApp();
    expect(await seedDemo(t.services, ['http://localhost:8080'])).toBe(true);
    const poll = await t.http.get(`/v1/polls/${DEMO_POLL_ID}`);
    expect(poll.body).toMatchObject({ site: DEMO_SITE_ID, question: 'Xin bạn cho ý kiến về cổng thông tin của chúng tôi?', status: 'open' });
    expect(poll.body.options.map((o: { label: string }) => o.label)).toEqual(['Bình thường', 'Đẹp, tiện lợi tra cứu', 'Cần chỉnh sửa thêm']);
    expect(poll.body.results.total).toBe(0);
    expect((await t.admin.get(`/v1/admin/sites/${DEMO_SITE_ID}`)).body).toMatchObject({ timezone: 'Asia/Ho_Chi_Minh', origins: ['http://localhost:8080'] });
    await t.admin.delete(`/v1/admin/polls/${DEMO_POLL_ID}`).expect(204);
    expect(await seedDemo(t.services, ['http://localhost:8080'])).toBe(false);
    expect((await t.http.get(`/v1/polls/${DEMO_POLL_ID}`)).status).toBe(404);
  });

  it('is on by default in development only: never by default with NODE_ENV=production (or in tests)', () => {
    expect(loadConfig({}).SEED_DEMO).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development' }).SEED_DEMO).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).SEED_DEMO).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test' }).SEED_DEMO).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', SEED_DEMO: 'true' }).SEED_DEMO).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', SEED_DEMO: 'false' }).SEED_DEMO).toBe(false);
  });

  it('a production start seeds nothing and "/" says what the service is; a development start serves the demo', async () => {
    for (const [env, demo] of [['production', false], ['development', true]] as const) {
      const { file } = tempDatabase();
      const config = loadConfig({ NODE_ENV: env, DATABASE_PATH: file, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
      const running = await start(config, silentLogger());
      try {
        const res = await fetch(`${running.url}/`);
        expect(res.status).toBe(200);
        const html = await res.text();
        expect(isDemo(html), env).toBe(demo);
        expect(isInfo(html), env).toBe(!demo);
        const sites = await fetch(`${running.url}/v1/sites/${DEMO_SITE_ID}/stats`);
        expect(sites.status, env).toBe(demo ? 200 : 404);
      } finally {
        await running.stop();
      }
    }
  });

  it('"/" serves the demo article only while the seeded demo site exists', async () => {
    const t = await makeTestApp();
    expect(isInfo((await t.http.get('/')).text)).toBe(true);
    await seedDemo(t.services, ['http://localhost:8080']);
    expect(isDemo((await t.http.get('/')).text)).toBe(true);
    await t.admin.delete(`/v1/admin/sites/${DEMO_SITE_ID}?confirm=${DEMO_SITE_ID}`).expect(200);
    const info = await t.http.get('/');
    expect(info.status).toBe(200);
    expect(isInfo(info.text)).toBe(true);
    expect(info.text).toContain('<a href="/healthz">/healthz</a>');
    expect(info.text).not.toMatch(/<style|style=|<script/i);
    // An operator's real site that takes the id afterwards is not the demo: "/" does not show a fake article on it.
    await createSite(t, { id: DEMO_SITE_ID, name: 'Cổng thông tin điện tử xã Tiên Ngọc', origins: ['https://tienngoc.tienphuoc.quangnam.gov.vn'] });
    expect(isInfo((await t.http.get('/')).text)).toBe(true);
  });

  it("never adds the demo poll to an operator's own site of the same id; in production the demo is plainly named a demo", async () => {
    const t = await makeTestApp();
    await createSite(t, { id: DEMO_SITE_ID, name: 'Xã Tiên Ngọc (thật)' });
    expect(await seedDemo(t.services, ['http://localhost:8080'])).toBe(false);
    expect(await t.sql.value('SELECT COUNT(*) FROM polls')).toBe(0);
    expect((await t.admin.get(`/v1/admin/sites/${DEMO_SITE_ID}`)).body.name).toBe('Xã Tiên Ngọc (thật)');
    expect(isInfo((await t.http.get('/')).text)).toBe(true);

    const p = await makeTestApp();
    expect(await seedDemo(p.services, ['https://ykien.quangnam.gov.vn'], { production: true })).toBe(true);
    const site = (await p.admin.get(`/v1/admin/sites/${DEMO_SITE_ID}`)).body;
    expect(site.name).toBe('Trang minh hoạ ykien (không phải cổng thông tin thật)');
    expect(site.name).not.toMatch(/Tiên Ngọc|xã/i);
    const log = (await p.admin.get(`/v1/admin/audit?site=${DEMO_SITE_ID}`)).body.entries;
    // The site's creation is the seed's one entry; its poll and survey are part of it, unaudited.
    expect(log.map((e: { actor: string; actorId: string; action: string }) => [e.action, e.actor, e.actorId])).toEqual([['site.create', 'seed', 'seed']]);
  });
});
