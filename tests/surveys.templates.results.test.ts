import { parse as parseCsv } from 'csv-parse/sync';
import type request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { AdminSurvey, QuestionResults, SurveyResults } from '../src/api/surveys.js';
import { createSite, expectProblem, makeTestApp, newVoter, testClock, type TestApp } from './helpers/app.js';
import { createSurvey } from './helpers/surveys.js';
import { haiLongDichVuCong } from '../src/surveys/templates/hai-long-dich-vu-cong.js';

const TEMPLATE = 'hai-long-dich-vu-cong';
const DAY = 24 * 60 * 60_000;

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** Makes the template's survey on `site`. */
async function fromTemplate(t: TestApp, site: string, over: Record<string, unknown> = {}): Promise<AdminSurvey> {
  const res = await t.admin.post('/v1/admin/surveys', { site, template: TEMPLATE, ...over });
  if (res.status !== 201) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body as AdminSurvey;
}

/** Answers every question: option `n` of each single question, `score` on every scale and matrix item. */
async function respond(t: TestApp, s: AdminSurvey, n: number, score: number) {
  const answers: Record<string, unknown> = {};
  for (const q of s.questions) {
    if (q.type === 'single') answers[q.id] = q.options[n % q.options.length]!.id;
    else if (q.type === 'scale') answers[q.id] = score;
    else if (q.type === 'matrix') answers[q.id] = Object.fromEntries(q.items.map((i) => [i.id, score]));
    else if (q.type === 'text' && n % 2) answers[q.id] = 'Cần thêm ghế chờ.';
  }
  const res = await t.http.post(`/v1/surveys/${s.id}/responses`).send({ respondentId: newVoter(), answers });
  expect(res.status).toBe(201);
}

/** A question's figures with the ids left out: what two results of the same question must share. */
const figures = (q: QuestionResults) => {
  switch (q.type) {
    case 'single':
    case 'multiple':
      return { answered: q.answered, total: q.total, options: q.options.map((o) => [o.label, o.count, o.percent]) };
    case 'scale':
      return { answered: q.answered, mean: q.mean, distribution: q.distribution.map((d) => [d.value, d.count, d.percent]) };
    case 'matrix':
      return { answered: q.answered, items: q.items.map((i) => [i.label, i.answered, i.mean]) };
    case 'text':
      return { answered: q.answered };
  }
};

async function province() {
  const t = await makeTestApp({}, { clock: testClock(Date.parse('2026-06-08T20:00:00Z')) });
  await createSite(t, { id: 'xa-a', name: 'Xã An Bình' });
  await createSite(t, { id: 'xa-b', name: 'Xã Bình Minh', origins: ['https://xa-b.example.vn'] });
  await createSite(t, { id: 'xa-c', name: 'Xã Cát Tiên', origins: ['https://xa-c.example.vn'] });
  const a = await fromTemplate(t, 'xa-a');
  const b = await fromTemplate(t, 'xa-b', { title: 'Khảo sát hài lòng – UBND xã Bình Minh' });
  // One happy respondent in xa-a; three unhappy ones in xa-b: the mean of means is not the province's mean.
  await respond(t, a, 0, 5);
  for (let n = 1; n <= 3; n++) await respond(t, b, n, n === 3 ? 2 : 1);
  // Not from the template: left out.
  await createSurvey(t, { site: 'xa-c' });
  return { t, a, b };
}

describe('GET /v1/admin/surveys/templates/:template/results', () => {
  it("puts every site's survey side by side, each equal to the survey's own results, and pools the province", async () => {
    const { t, a, b } = await province();
    const res = await t.admin.get(`/v1/admin/surveys/templates/${TEMPLATE}/results`);
    expect(res.status).toBe(200);
    expect(res.body.template).toEqual({ id: TEMPLATE, title: a.title });
    expect(res.body.questions.map((q: { id: string }) => q.id)).toEqual(['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7', 'q8', 'q9']);
    const rows = res.body.surveys as { site: string; siteName: string; surveyId: string; results: SurveyResults }[];
    expect(rows.map((r) => [r.site, r.siteName, r.surveyId])).toEqual([['xa-a', 'Xã An Bình', a.id], ['xa-b', 'Xã Bình Minh', b.id]]);
    for (const row of rows) {
      const own = (await t.admin.get(`/v1/admin/surveys/${row.surveyId}/results`)).body as SurveyResults;
      expect(row.results.responses).toBe(own.responses);
      expect(row.results.questions.map(figures)).toEqual(own.questions.map(figures));
    }
    const p = res.body.province as SurveyResults;
    expect(p.responses).toBe(4);
    const overall = p.questions[7]!;
    // Pooled from the counts: (5 + 1 + 1 + 2) / 4, not (5 + 1.33) / 2.
    expect(overall).toMatchObject({ type: 'scale', answered: 4, mean: 2.25 });
    if (overall.type !== 'scale') throw new Error('q8 is the overall scale');
    expect(overall.distribution.map((d) => d.count)).toEqual([2, 1, 0, 0, 1]);
    const field = p.questions[0]!;
    if (field.type !== 'single') throw new Error('q1 is a single choice');
    expect(field.options.map((o) => o.count)).toEqual([1, 1, 1, 1, 0, 0]);
    expect(field.options.reduce((n, o) => n + o.percent, 0)).toBeCloseTo(100, 5);
    const matrix = p.questions[3]!;
    if (matrix.type !== 'matrix') throw new Error('q4 is a matrix');
    expect(matrix.items.map((i) => i.mean)).toEqual([2.25, 2.25, 2.25]);
    expect(p.questions[8]).toMatchObject({ type: 'text', answered: 2 });
  });

  it('narrows to sites and to the surveys running in a date range; leaves a rewritten question empty', async () => {
    const { t, a, b } = await province();
    const only = await t.admin.get(`/v1/admin/surveys/templates/${TEMPLATE}/results?site=xa-b`);
    expect(only.body.surveys.map((r: { site: string }) => r.site)).toEqual(['xa-b']);
    expect(only.body.province.responses).toBe(3);
    const both = await t.admin.get(`/v1/admin/surveys/templates/${TEMPLATE}/results?site=xa-a&site=xa-b`);
    expect(both.body.surveys).toHaveLength(2);
    // Both were made on 9 June (Vietnam); xa-a's closes; a range that starts after it leaves it out.
    await t.admin.post(`/v1/admin/surveys/${a.id}/close`);
    t.clock.advance(3 * DAY);
    const later = await t.admin.get(`/v1/admin/surveys/templates/${TEMPLATE}/results?from=2026-06-11`);
    expect(later.body.surveys.map((r: { surveyId: string }) => r.surveyId)).toEqual([b.id]);
    const before = await t.admin.get(`/v1/admin/surveys/templates/${TEMPLATE}/results?to=2026-06-08`);
    expect(before.body.surveys).toEqual([]);
    expect(before.body.province.responses).toBe(0);
    // A survey made from the template with the overall question reworded has no figures for it.
    const questions = haiLongDichVuCong.questions.map((q, i) => (i === 7 ? { ...q, title: 'Ông/Bà chấm điểm chung cho cơ quan?' } : q));
    const c = await fromTemplate(t, 'xa-c', { questions });
    expect(c.template).toBe(TEMPLATE);
    await respond(t, c, 0, 4);
    const res = await t.admin.get(`/v1/admin/surveys/templates/${TEMPLATE}/results?site=xa-c`);
    const row = res.body.surveys[0].results as SurveyResults;
    expect(row.questions[7]).toMatchObject({ type: 'scale', answered: 0, mean: null });
    expect(row.questions[6]).toMatchObject({ type: 'matrix', answered: 1 });
  });

  it('refuses an unknown template, a bad date, a moderator', async () => {
    const { t } = await province();
    expectProblem(await t.admin.get('/v1/admin/surveys/templates/khong-co/results'), 404, 'template_not_found');
    expectProblem(await t.admin.get(`/v1/admin/surveys/templates/${TEMPLATE}/results?from=hom-qua`), 400, 'validation_failed');
    expectProblem(await t.admin.get(`/v1/admin/surveys/templates/${TEMPLATE}/results?site=Xa A`), 400, 'validation_failed');
    expectProblem(await t.admin.get(`/v1/admin/surveys/templates/${TEMPLATE}/results/export?format=xml`), 400, 'validation_failed');
    const { key } = await t.services.keys.create({ name: 'Biên tập xã A', role: 'moderator', siteId: 'xa-a' });
    expectProblem(await t.http.get(`/v1/admin/surveys/templates/${TEMPLATE}/results`).set('Authorization', `Bearer ${key}`), 403, 'forbidden');
    expectProblem(await t.http.get(`/v1/admin/surveys/templates/${TEMPLATE}/results/export`).set('Authorization', `Bearer ${key}`), 403, 'forbidden');
  });
});

describe('GET /v1/admin/surveys/templates/:template/results/export', () => {
  it('writes one row per commune and the province, in Vietnamese, with a BOM and the formula guard, audited', async () => {
    const { t, a } = await province();
    await t.admin.patch('/v1/admin/sites/xa-a', { name: '=HYPERLINK("http://evil.example","Xã A")' });
    const res = await t.admin.get(`/v1/admin/surveys/templates/${TEMPLATE}/results/export?format=csv`).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    // 20:00 UTC on 8 June is 9 June in Vietnam.
    expect(res.headers['content-disposition']).toBe(`attachment; filename="ykien-mau-${TEMPLATE}-2026-06-09.csv"`);
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r['Đơn vị'])).toEqual(["'=HYPERLINK(\"http://evil.example\",\"Xã A\")", 'Xã Bình Minh', 'Toàn tỉnh']);
    const [ra, rb, all] = rows as [Record<string, string>, Record<string, string>, Record<string, string>];
    expect(ra['Mã khảo sát']).toBe(a.id);
    expect(ra['Ngày tạo']).toMatch(/^2026-06-09T03:00:00\+07:00$/);
    expect([ra['Số phiếu'], rb['Số phiếu'], all['Số phiếu']]).toEqual(['1', '3', '4']);
    const overall = 'Nhìn chung, Ông/Bà hài lòng ở mức nào với sự phục vụ của cơ quan? (điểm trung bình)';
    expect([ra[`8. ${overall}`], rb[`8. ${overall}`], all[`8. ${overall}`]]).toEqual(['5', '1.33', '2.25']);
    expect(all['4.1 Tiếp cận dịch vụ: Nơi ngồi chờ có đủ chỗ ngồi (điểm trung bình)']).toBe('2.25');
    expect(all['1. Ông/Bà đã giải quyết thủ tục hành chính thuộc lĩnh vực nào?: Đất đai (%)']).toBe('25');
    const audit = (await t.admin.get('/v1/admin/audit?action=survey.template.export')).body.entries;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ targetType: 'template', targetId: TEMPLATE, site: null, detail: { format: 'csv', surveys: 2 } });
  });

  it('parses back as JSON with the same figures, times in Vietnam', async () => {
    const { t, b } = await province();
    const res = await t.admin.get(`/v1/admin/surveys/templates/${TEMPLATE}/results/export?format=json&site=xa-b`).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    const body = JSON.parse((res.body as Buffer).toString('utf8'));
    const api = (await t.admin.get(`/v1/admin/surveys/templates/${TEMPLATE}/results?site=xa-b`)).body;
    expect(body).toMatchObject({ template: api.template, timezone: 'Asia/Ho_Chi_Minh', questions: api.questions, province: api.province });
    expect(body.exportedAt).toBe('2026-06-09T03:00:00+07:00');
    expect(body.surveys).toHaveLength(1);
    expect(body.surveys[0]).toMatchObject({ surveyId: b.id, createdAt: '2026-06-09T03:00:00+07:00', results: api.surveys[0].results });
  });
});

describe('GET /v1/admin/surveys/templates', () => {
  it('lists the templates a province can compare across sites', async () => {
    const t = await makeTestApp();
    const res = await t.admin.get('/v1/admin/surveys/templates');
    expect(res.status).toBe(200);
    expect(res.body.templates).toEqual([{ id: TEMPLATE, title: haiLongDichVuCong.title, questions: 9 }]);
  });
});
