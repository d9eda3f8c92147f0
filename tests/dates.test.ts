import { describe, expect, it } from 'vitest';
import { createPoll, createSite, expectProblem, makeTestApp } from './helpers/app.js';

describe('dates with years before 100 or after 9999 (issue 10 §6)', () => {
  it('are refused with 400 in the date and date-time filters of exports and timelines', async () => {
    // Attack: from=0050-01-01 was read as 1950 (JavaScript's two-digit-year rule) and printed with a "+16655047:07" offset.
    const t = await makeTestApp();
    await createSite(t);
    const p = await createPoll(t);
    for (const bad of ['0050-01-01', '0000-01-01', '0099-12-31', '0050-01-01T00:00:00Z', '0099-12-31T23:59:59+07:00', '10000-01-01', '+010000-01-01T00:00:00Z', '-000001-01-01T00:00:00Z']) {
      const q = encodeURIComponent(bad);
      for (const url of [`/v1/admin/polls/${p.id}/timeline?from=${q}`, `/v1/admin/polls/${p.id}/timeline?to=${q}`, `/v1/admin/comments/export?site=xa-a&from=${q}`, `/v1/admin/comments/export?site=xa-a&to=${q}`]) {
        const res = await t.admin.get(url);
        expectProblem(res, 400, 'validation_failed');
        expect(res.body.errors[0].field).toMatch(/^(from|to)$/);
      }
    }
    for (const ok of ['0100-01-01', '2026-06-08', '9999-12-31', '2026-06-08T00:00:00+07:00'])
      expect((await t.admin.get(`/v1/admin/polls/${p.id}/timeline?from=${encodeURIComponent(ok)}`)).status, ok).toBe(200);
  });

  it('are refused with 400 in poll dates', async () => {
    const t = await makeTestApp();
    await createSite(t);
    for (const bad of ['0050-01-01T00:00:00Z', '0099-12-31T23:59:59+07:00', '+010000-01-01T00:00:00Z']) {
      expectProblem(await t.admin.post('/v1/admin/polls', { site: 'xa-a', question: 'Câu hỏi?', options: ['Có', 'Không'], closesAt: bad }), 400, 'validation_failed');
      expectProblem(await t.admin.post('/v1/admin/polls', { site: 'xa-a', question: 'Câu hỏi?', options: ['Có', 'Không'], opensAt: bad }), 400, 'validation_failed');
    }
    expect(await t.sql.value('SELECT COUNT(*) FROM polls')).toBe(0);
    const p = await createPoll(t, { closesAt: '9999-12-31T23:59:59Z' });
    expect(p.status).toBe('open');
    expectProblem(await t.admin.patch(`/v1/admin/polls/${p.id}`, { closesAt: '0050-06-01T00:00:00Z' }), 400, 'validation_failed');
  });
});
