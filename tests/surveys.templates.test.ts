// GET /v1/admin/surveys/templates: the console's "from a template" choice lists what the server has,
// rather than a copy of the template ids kept in the page.
import { describe, expect, it } from 'vitest';
import { createSite, expectProblem, makeTestApp } from './helpers/app.js';

describe('admin: the survey templates', () => {
  it('lists each template with its id, title and question count, and the listed id creates that survey', async () => {
    const t = await makeTestApp();
    await createSite(t);
    const res = await t.admin.get('/v1/admin/surveys/templates');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const templates = res.body.templates as { id: string; title: string; questions: number }[];
    expect(templates).toContainEqual({ id: 'hai-long-dich-vu-cong', title: expect.stringContaining('mức độ hài lòng'), questions: 9 });
    for (const tpl of templates) {
      expect(Object.keys(tpl).sort()).toEqual(['id', 'questions', 'title']);
      const made = await t.admin.post('/v1/admin/surveys', { site: 'xa-a', template: tpl.id });
      expect(made.status).toBe(201);
      expect(made.body).toMatchObject({ template: tpl.id, title: tpl.title });
      expect(made.body.questions).toHaveLength(tpl.questions);
    }
  });

  it('is an admin\'s only, as every survey route: a moderator key is refused, no key is unauthorized', async () => {
    const t = await makeTestApp();
    await createSite(t);
    const key = (await t.services.keys.create({ name: 'Điều hành viên xã A', role: 'moderator', siteId: 'xa-a' })).key;
    expectProblem(await t.http.get('/v1/admin/surveys/templates').set('Authorization', `Bearer ${key}`), 403, 'forbidden');
    expectProblem(await t.http.get('/v1/admin/surveys/templates'), 401, 'unauthorized');
  });
});
