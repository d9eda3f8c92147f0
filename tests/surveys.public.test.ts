import { describe, expect, it } from 'vitest';
import { createSite, expectProblem, makeTestApp, newVoter, type TestApp } from './helpers/app.js';
import { answersFor, createSurvey, type Fixture } from './helpers/surveys.js';

const respond = (t: TestApp, id: string, answers: Record<string, unknown>, respondentId = newVoter()) =>
  t.http.post(`/v1/surveys/${id}/responses`).send({ respondentId, answers });

async function setup(overrides = {}, body: Record<string, unknown> = {}) {
  const t = await makeTestApp(overrides);
  await createSite(t);
  const f = await createSurvey(t, body);
  return { t, f };
}

/** Rows of every survey table: a refused response must leave them all as they were. */
const rowCounts = async (t: TestApp) =>
  Object.fromEntries(
    await Promise.all(
      ['survey_responses', 'survey_answers', 'survey_value_counts'].map(async (table) => [table, Number(await t.sql.value(`SELECT COUNT(*) FROM ${table}`))]),
    ),
  );

describe('surveys: the public definition', () => {
  it('shows every question with its ids, sections and settings, and whether this respondent has responded', async () => {
    const { t, f } = await setup();
    const res = await t.http.get(`/v1/surveys/${f.survey.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: f.survey.id, site: 'xa-a', title: 'Khảo sát về cổng thông tin xã', intro: 'Xin bạn dành một phút.', status: 'open', responded: false, resultsVisible: true });
    expect(res.body.questions.map((q: { type: string }) => q.type)).toEqual(['single', 'multiple', 'scale', 'matrix', 'text']);
    expect(res.body.questions[0]).toMatchObject({ section: 'Thông tin chung', required: true, options: [{ label: 'Thôn Đông' }, { label: 'Thôn Tây' }, { label: 'Thôn Nam' }] });
    expect(res.body.questions[1]).toMatchObject({ section: null, required: false, maxChoices: 2 });
    expect(res.body.questions[3]).toMatchObject({ items: [{ label: 'Lịch sự' }, { label: 'Lắng nghe' }], scale: { min: 1, max: 5, labels: null } });
    expect(res.body.questions[4]).toMatchObject({ multiline: true, maxLength: 50 });
    const me = newVoter();
    expect((await respond(t, f.survey.id, answersFor(f), me)).status).toBe(201);
    expect((await t.http.get(`/v1/surveys/${f.survey.id}?respondentId=${me}`)).body.responded).toBe(true);
    expect((await t.http.get(`/v1/surveys/${f.survey.id}?respondentId=${newVoter()}`)).body.responded).toBe(false);
    expectProblem(await t.http.get('/v1/surveys/khong-co'), 404, 'not_found');
    expectProblem(await t.http.get(`/v1/surveys/${f.survey.id}?respondentId=x`), 400, 'validation_failed');
  });
});

describe('surveys: a response', () => {
  it('answers every question type, counts them, and the results add up (percentages 100, mean, distribution)', async () => {
    const { t, f } = await setup();
    const first = await respond(t, f.survey.id, answersFor(f, 0, '  Cần thêm   giờ tiếp dân  '));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ surveyId: f.survey.id, responded: true, resultsVisible: true });
    for (let n = 1; n < 7; n++) expect((await respond(t, f.survey.id, answersFor(f, n))).status).toBe(201);
    const r = (await t.http.get(`/v1/surveys/${f.survey.id}/results`)).body;
    expect(r.responses).toBe(7);
    const [single, multiple, scale, matrix, text] = r.questions;
    expect(single.answered).toBe(7);
    expect(single.options.map((o: { count: number }) => o.count)).toEqual([3, 2, 2]);
    expect(single.options.reduce((a: number, o: { percent: number }) => a + o.percent, 0)).toBeCloseTo(100, 10);
    expect(single.options.map((o: { percent: number }) => o.percent)).toEqual([42.8, 28.6, 28.6]);
    expect(multiple).toMatchObject({ answered: 7, total: 14 });
    expect(multiple.options.map((o: { count: number }) => o.count)).toEqual([7, 3, 2, 2]);
    expect(multiple.options.reduce((a: number, o: { percent: number }) => a + o.percent, 0)).toBeCloseTo(100, 10);
    // Scale: values 1,2,3,4,5,1,2 → mean 18/7.
    expect(scale).toMatchObject({ answered: 7, mean: 2.57 });
    expect(scale.distribution.map((d: { value: number; count: number; label: string }) => [d.value, d.count, d.label])).toEqual([
      [1, 2, 'Rất không hài lòng'], [2, 2, 'Không hài lòng'], [3, 1, 'Bình thường'], [4, 1, 'Hài lòng'], [5, 1, 'Rất hài lòng'],
    ]);
    expect(scale.distribution.reduce((a: number, d: { percent: number }) => a + d.percent, 0)).toBeCloseTo(100, 10);
    expect(matrix.answered).toBe(7);
    expect(matrix.items[0]).toMatchObject({ answered: 7, mean: 5, distribution: [{ count: 0 }, { count: 0 }, { count: 0 }, { count: 0 }, { count: 7, percent: 100 }] });
    expect(matrix.items[1]).toMatchObject({ answered: 7, mean: 2.57 });
    expect(text).toEqual({ questionId: f.text.id, type: 'text', answered: 1 });
    // Stored as typed, normalised: trimmed.
    expect(await t.sql.column('SELECT text FROM survey_answers WHERE text IS NOT NULL')).toEqual(['Cần thêm   giờ tiếp dân']);
  });

  it('leaves optional questions and matrix items unanswered, and counts only what was answered', async () => {
    const { t, f } = await setup();
    const res = await respond(t, f.survey.id, { [f.single.id]: f.single.options[0]!.id, [f.scale.id]: 3, [f.matrix.id]: { [f.matrix.items[0]!.id]: 4, [f.matrix.items[1]!.id]: 4 }, [f.multiple.id]: [], [f.text.id]: '   ' });
    expect(res.status).toBe(201);
    const r = res.body.results;
    expect(r.questions[1]).toMatchObject({ answered: 0, total: 0 });
    expect(r.questions[1].options.every((o: { percent: number }) => o.percent === 0)).toBe(true);
    expect(r.questions[4].answered).toBe(0);
    expect(await t.sql.value('SELECT COUNT(*) FROM survey_answers')).toBe(4);
  });

  it('refuses a response whole, naming every bad answer, and writes no row', async () => {
    const { t, f } = await setup();
    const before = await rowCounts(t);
    const res = await respond(t, f.survey.id, {
      [f.single.id]: 'khong-co', // unknown option
      [f.multiple.id]: [f.multiple.options[0]!.id, f.multiple.options[1]!.id, f.multiple.options[2]!.id], // too many choices
      [f.scale.id]: 2.5, // not a whole number
      [f.matrix.id]: { [f.matrix.items[0]!.id]: 6, 'item-la': 3 }, // out of range, unknown item, and a required item missing
      [f.text.id]: 'x'.repeat(51), // too long
      'cau-hoi-la': 1, // unknown question
    });
    expectProblem(res, 400, 'validation_failed');
    const fields = res.body.errors.map((e: { field: string; code: string }) => `${e.field} ${e.code}`).sort();
    expect(fields).toEqual(
      [
        `answers.${f.single.id} unknown_option`,
        `answers.${f.multiple.id} too_many_choices`,
        `answers.${f.scale.id} out_of_range`,
        `answers.${f.matrix.id}.${f.matrix.items[0]!.id} out_of_range`,
        `answers.${f.matrix.id}.${f.matrix.items[1]!.id} required`,
        `answers.${f.matrix.id}.item-la unknown_item`,
        `answers.${f.text.id} too_long`,
        'answers.cau-hoi-la unknown_question',
      ].sort(),
    );
    expect(await rowCounts(t)).toEqual(before);
    expect(await t.sql.value('SELECT total_responses FROM surveys')).toBe(0);
    // The same respondent may then send a corrected response.
    expect((await respond(t, f.survey.id, answersFor(f))).status).toBe(201);
  });

  it('refuses each kind of bad answer on its own', async () => {
    const { t, f } = await setup();
    const ok = answersFor(f);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ [f.single.id]: undefined }, f.single.id, 'required'],
      [{ [f.single.id]: [f.single.options[0]!.id] }, f.single.id, 'invalid_type'],
      [{ [f.multiple.id]: [f.multiple.options[0]!.id, f.multiple.options[0]!.id] }, f.multiple.id, 'repeated_option'],
      [{ [f.multiple.id]: ['la'] }, f.multiple.id, 'unknown_option'],
      [{ [f.multiple.id]: f.multiple.options[0]!.id }, f.multiple.id, 'invalid_type'],
      [{ [f.scale.id]: 0 }, f.scale.id, 'out_of_range'],
      [{ [f.scale.id]: 6 }, f.scale.id, 'out_of_range'],
      [{ [f.scale.id]: '3' }, f.scale.id, 'out_of_range'],
      [{ [f.scale.id]: null }, f.scale.id, 'required'],
      [{ [f.matrix.id]: { [f.matrix.items[0]!.id]: 2 } }, `${f.matrix.id}.${f.matrix.items[1]!.id}`, 'required'],
      [{ [f.matrix.id]: { [f.matrix.items[0]!.id]: 1.5, [f.matrix.items[1]!.id]: 2 } }, `${f.matrix.id}.${f.matrix.items[0]!.id}`, 'out_of_range'],
      [{ [f.matrix.id]: [1, 2] }, f.matrix.id, 'invalid_type'],
      [{ [f.text.id]: 42 }, f.text.id, 'invalid_type'],
      [{ [f.text.id]: 'a\u0000b' }, f.text.id, 'invalid_text'],
    ];
    for (const [change, field, code] of cases) {
      const res = await respond(t, f.survey.id, { ...ok, ...change });
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors, JSON.stringify(change)).toEqual([expect.objectContaining({ field: `answers.${field}`, code })]);
    }
    expect(await t.sql.value('SELECT COUNT(*) FROM survey_responses')).toBe(0);
  });

  it('takes one response per respondent: a second one is 409 already_responded, also when raced', async () => {
    const { t, f } = await setup();
    const me = newVoter();
    expect((await respond(t, f.survey.id, answersFor(f), me)).status).toBe(201);
    expectProblem(await respond(t, f.survey.id, answersFor(f, 1), me), 409, 'already_responded');
    const other = newVoter();
    const raced = await Promise.all(Array.from({ length: 6 }, () => respond(t, f.survey.id, answersFor(f, 2), other)));
    expect(raced.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect(await t.sql.value('SELECT COUNT(*) FROM survey_responses')).toBe(2);
    expect(await t.sql.value('SELECT total_responses FROM surveys')).toBe(2);
  });

  it('refuses responses to a closed survey (409 survey_closed) and to one not open yet (409 survey_not_open)', async () => {
    const t = await makeTestApp();
    await createSite(t);
    const later = new Date(t.clock.now() + 86_400_000).toISOString();
    const f = await createSurvey(t, { opensAt: later });
    const res = await respond(t, f.survey.id, answersFor(f));
    expectProblem(res, 409, 'survey_not_open');
    expect(res.body.opensAt).toBe(later);
    expect((await t.http.get(`/v1/surveys/${f.survey.id}`)).body.status).toBe('scheduled');
    const g = await createSurvey(t);
    expect((await t.admin.post(`/v1/admin/surveys/${g.survey.id}/close`)).status).toBe(200);
    expectProblem(await respond(t, g.survey.id, answersFor(g)), 409, 'survey_closed');
    expect(await t.sql.value('SELECT COUNT(*) FROM survey_responses')).toBe(0);
  });

  it('caps responses per network and day like votes: 429 ip_response_limit, the /64 for IPv6', async () => {
    const { t, f } = await setup({ VOTE_LIMIT_PER_IP: 3, TRUST_PROXY: 'loopback' });
    const from = (ip: string) => t.http.post(`/v1/surveys/${f.survey.id}/responses`).set('X-Forwarded-For', ip).send({ respondentId: newVoter(), answers: answersFor(f) });
    for (const ip of ['2405:4800:10a:2b3c::1', '2405:4800:10a:2b3c::2', '2405:4800:10a:2b3c::3']) expect((await from(ip)).status).toBe(201);
    expectProblem(await from('2405:4800:10a:2b3c::abcd'), 429, 'ip_response_limit');
    expect((await from('2405:4800:10a:2b3d::1')).status).toBe(201);
    expect((await from('203.0.113.9')).status).toBe(201);
    expect(await t.sql.value('SELECT COUNT(*) FROM survey_responses')).toBe(5);
    const metrics = await t.admin.get('/metrics');
    expect(metrics.text).toMatch(/ykien_rate_limited_total\{tier="response_per_ip"\} 1/);
    expect(metrics.text).toMatch(/ykien_survey_responses_total\{site="xa-a"\} 5/);
  });
});

describe('surveys: results visibility and free text', () => {
  it('after_vote: results only for one who responded; after_close: once closed', async () => {
    const { t, f } = await setup({}, { resultsVisibility: 'after_vote' });
    const me = newVoter();
    expect((await t.http.get(`/v1/surveys/${f.survey.id}?respondentId=${me}`)).body).toMatchObject({ resultsVisible: false, results: null });
    expectProblem(await t.http.get(`/v1/surveys/${f.survey.id}/results`), 403, 'results_hidden');
    const res = await respond(t, f.survey.id, answersFor(f), me);
    expect(res.body).toMatchObject({ resultsVisible: true, results: { responses: 1 } });
    expect((await t.http.get(`/v1/surveys/${f.survey.id}/results?respondentId=${me}`)).status).toBe(200);

    const g = await createSurvey(t, { resultsVisibility: 'after_close' });
    const answered = await respond(t, g.survey.id, answersFor(g), me);
    expect(answered.body).toMatchObject({ resultsVisible: false, results: null });
    await t.admin.post(`/v1/admin/surveys/${g.survey.id}/close`);
    expect((await t.http.get(`/v1/surveys/${g.survey.id}/results`)).body.responses).toBe(1);
  });

  it('never shows a free-text answer in any public answer', async () => {
    const { t, f } = await setup();
    const PLANTED = 'Bí mật-7f3a9c';
    const me = newVoter();
    const answered = await respond(t, f.survey.id, answersFor(f, 0, PLANTED), me);
    const publicAnswers = [
      answered,
      await t.http.get(`/v1/surveys/${f.survey.id}`),
      await t.http.get(`/v1/surveys/${f.survey.id}?respondentId=${me}`),
      await t.http.get(`/v1/surveys/${f.survey.id}/results`),
      await t.http.get(`/v1/surveys/${f.survey.id}/results?respondentId=${me}`),
    ];
    for (const r of publicAnswers) {
      expect(r.status).toBeLessThan(300);
      expect(r.text).not.toContain(PLANTED);
      expect(r.text).not.toContain('7f3a9c');
    }
    // Admins read it.
    expect((await t.admin.get(`/v1/admin/surveys/${f.survey.id}/results`)).text).toContain(PLANTED);
  });
});

describe('surveys: CORS per site, like polls', () => {
  it('lets the site\'s origin read and respond, refuses a foreign origin\'s response', async () => {
    const { t, f } = await setup();
    const own = await t.http.get(`/v1/surveys/${f.survey.id}`).set('Origin', 'https://xa-a.example.vn');
    expect(own.headers['access-control-allow-origin']).toBe('https://xa-a.example.vn');
    const pre = await t.http.options(`/v1/surveys/${f.survey.id}/responses`).set('Origin', 'https://xa-a.example.vn').set('Access-Control-Request-Method', 'POST');
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-methods']).toContain('POST');
    const posted = await t.http.post(`/v1/surveys/${f.survey.id}/responses`).set('Origin', 'https://xa-a.example.vn').send({ respondentId: newVoter(), answers: answersFor(f) });
    expect(posted.status).toBe(201);
    const foreign = await t.http.post(`/v1/surveys/${f.survey.id}/responses`).set('Origin', 'https://evil.example').send({ respondentId: newVoter(), answers: answersFor(f) });
    expectProblem(foreign, 403, 'origin_not_allowed');
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    expectProblem(await t.http.get(`/v1/surveys/${f.survey.id}`).set('Origin', 'https://evil.example'), 403, 'origin_not_allowed');
    expect(await t.sql.value('SELECT COUNT(*) FROM survey_responses')).toBe(1);
  });
});

describe('surveys: the response cache', () => {
  it('serves a fresh definition and results after a response or an edit', async () => {
    const { t, f }: { t: TestApp; f: Fixture } = await setup();
    const a = await t.http.get(`/v1/surveys/${f.survey.id}`);
    await respond(t, f.survey.id, answersFor(f));
    const b = await t.http.get(`/v1/surveys/${f.survey.id}`);
    expect(a.body.results.responses).toBe(0);
    expect(b.body.results.responses).toBe(1);
    await t.admin.patch(`/v1/admin/surveys/${f.survey.id}`, { title: 'Tên mới' });
    expect((await t.http.get(`/v1/surveys/${f.survey.id}`)).body.title).toBe('Tên mới');
  });
});
