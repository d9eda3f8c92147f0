import { describe, expect, it } from 'vitest';
import { DEMO_POLL_ID, DEMO_SITE_ID, seedDemo } from '../src/demo/seed.js';
import { makeTestApp } from './helpers/app.js';

describe('demo seed', () => {
  it("seeds the portal's site and poll once, with no votes, and never again after it is deleted", async () => {
    const t = makeTestApp();
    expect(seedDemo(t.services, ['http://localhost:8080'])).toBe(true);
    const poll = await t.http.get(`/v1/polls/${DEMO_POLL_ID}`);
    expect(poll.body).toMatchObject({ site: DEMO_SITE_ID, question: 'Xin bạn cho ý kiến về cổng thông tin của chúng tôi?', status: 'open' });
    expect(poll.body.options.map((o: { label: string }) => o.label)).toEqual(['Bình thường', 'Đẹp, tiện lợi tra cứu', 'Cần chỉnh sửa thêm']);
    expect(poll.body.results.total).toBe(0);
    expect((await t.admin.get(`/v1/admin/sites/${DEMO_SITE_ID}`)).body).toMatchObject({ timezone: 'Asia/Ho_Chi_Minh', origins: ['http://localhost:8080'] });
    await t.admin.delete(`/v1/admin/polls/${DEMO_POLL_ID}`).expect(204);
    expect(seedDemo(t.services, ['http://localhost:8080'])).toBe(false);
    expect((await t.http.get(`/v1/polls/${DEMO_POLL_ID}`)).status).toBe(404);
  });
});
