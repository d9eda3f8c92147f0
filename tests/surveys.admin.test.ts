import { parse as parseCsv } from 'csv-parse/sync';
import type request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createSite, expectProblem, makeTestApp, newVoter, testClock, type TestApp } from './helpers/app.js';
import { answersFor, createSurvey, EVERY_TYPE, type Fixture } from './helpers/surveys.js';

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
const download = async (t: TestApp, url: string) => {
  const res = await t.admin.get(url).buffer(true).parse(binary);
  return { res, bytes: res.body as Buffer, text: (res.body as Buffer).toString('utf8') };
};
const respond = (t: TestApp, f: Fixture, answers: Record<string, unknown>) =>
  t.http.post(`/v1/surveys/${f.survey.id}/responses`).send({ respondentId: newVoter(), answers });

async function setup(clock = testClock()) {
  const t = await makeTestApp({}, { clock });
  await createSite(t);
  return { t, f: await createSurvey(t) };
}

/** The questions of a survey as a PATCH sends them back, unchanged. */
const asPatch = (f: Fixture) =>
  f.survey.questions.map((q) => {
    const { id, type, title, section, required } = q;
    const base = { id, type, title, section, required };
    if (q.type === 'single') return { ...base, options: q.options };
    if (q.type === 'multiple') return { ...base, options: q.options, maxChoices: q.maxChoices };
    if (q.type === 'scale') return { ...base, scale: q.scale };
    if (q.type === 'matrix') return { ...base, items: q.items, scale: q.scale };
    return { ...base, multiline: q.multiline, maxLength: q.maxLength };
  });

describe('admin: creating surveys', () => {
  it('answers 201 with an id for every question, option and item, and records survey.create', async () => {
    const { t, f } = await setup();
    expect(f.survey).toMatchObject({ site: 'xa-a', template: null, status: 'open', resultsVisibility: 'always', closedAt: null, results: { responses: 0 } });
    const ids = [f.survey.id, ...f.survey.questions.flatMap((q) => [q.id, ...('options' in q ? q.options : 'items' in q ? q.items : []).map((c) => c.id)])];
    expect(ids).toHaveLength(1 + 5 + 3 + 4 + 2);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^[A-Za-z0-9_-]{8,10}$/.test(id))).toBe(true);
    expect(f.scale.scale.labels).toHaveLength(5);
    expect(f.text).toMatchObject({ multiline: true, maxLength: 50, required: false });
    const log = (await t.admin.get('/v1/admin/audit?site=xa-a')).body.entries;
    expect(log[0]).toMatchObject({ action: 'survey.create', targetId: f.survey.id });
  });

  it('refuses bad definitions with the field named', async () => {
    const { t } = await setup();
    const bad: [Record<string, unknown>, string][] = [
      [{ questions: [] }, 'questions'],
      [{ questions: [{ type: 'single', title: 'A?', options: ['Một'] }] }, 'questions.0.options'],
      [{ questions: [{ type: 'scale', title: 'A?', options: ['Một', 'Hai'] }] }, 'questions.0.options'],
      [{ questions: [{ type: 'scale', title: 'A?', scale: { min: 1, max: 5, labels: ['a', 'b'] } }] }, 'questions.0.scale.labels'],
      [{ questions: [{ type: 'scale', title: 'A?', scale: { min: 3, max: 3 } }] }, 'questions.0.scale.max'],
      [{ questions: [{ type: 'matrix', title: 'A?' }] }, 'questions.0.items'],
      [{ questions: [{ type: 'multiple', title: 'A?', options: ['a', 'b'], maxChoices: 3 }] }, 'questions.0.maxChoices'],
      [{ questions: [{ type: 'text', title: 'A?', maxLength: 100_000 }] }, 'questions.0.maxLength'],
      [{ questions: [{ type: 'essay', title: 'A?' }] }, 'questions.0.type'],
      [{ title: undefined }, 'title'],
      [{ template: 'khong-co' }, 'template'],
    ];
    for (const [change, field] of bad) {
      const res = await t.admin.post('/v1/admin/surveys', { site: 'xa-a', ...EVERY_TYPE, ...change });
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors.map((e: { field: string }) => e.field), JSON.stringify(change)).toContain(field);
    }
    expectProblem(await t.admin.post('/v1/admin/surveys', { site: 'khong-co', ...EVERY_TYPE }), 404, 'not_found');
    expect(await t.sql.value('SELECT COUNT(*) FROM surveys')).toBe(1);
  });
});

describe('admin: the template hai-long-dich-vu-cong', () => {
  it('creates the citizen-satisfaction questionnaire in Vietnamese (NFC) with every question, remembers its template, and is editable', async () => {
    const { t } = await setup();
    const res = await t.admin.post('/v1/admin/surveys', { site: 'xa-a', template: 'hai-long-dich-vu-cong' });
    expect(res.status).toBe(201);
    const s = res.body;
    expect(s.template).toBe('hai-long-dich-vu-cong');
    expect(s.title).toBe('Khảo sát mức độ hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước');
    expect(s.intro).toContain('Phiếu khảo sát không ghi tên');
    expect(s.questions.map((q: { type: string }) => q.type)).toEqual(['single', 'single', 'single', 'matrix', 'matrix', 'matrix', 'matrix', 'scale', 'text']);
    expect(s.questions.map((q: { title: string }) => q.title).slice(3, 7)).toEqual(['Tiếp cận dịch vụ', 'Thủ tục hành chính', 'Công chức giải quyết thủ tục', 'Kết quả giải quyết']);
    expect(s.questions[0]).toMatchObject({ section: 'Thông tin chung', options: expect.arrayContaining([expect.objectContaining({ label: 'Tư pháp – Hộ tịch' })]) });
    expect(s.questions[0].options).toHaveLength(6);
    expect(s.questions[3].items).toHaveLength(3);
    expect(s.questions[4].items).toHaveLength(4);
    expect(s.questions[5].items).toHaveLength(5);
    expect(s.questions[6].items.map((i: { label: string }) => i.label)).toEqual(['Kết quả đúng quy định', 'Kết quả có thông tin đầy đủ, chính xác', 'Nhận kết quả đúng hẹn']);
    expect(s.questions[3].scale).toEqual({ min: 1, max: 5, labels: ['Rất không hài lòng', 'Không hài lòng', 'Bình thường', 'Hài lòng', 'Rất hài lòng'] });
    expect(s.questions[8]).toMatchObject({ type: 'text', required: false, multiline: true, title: 'Ông/Bà có góp ý gì để cơ quan phục vụ tốt hơn?' });
    const json = JSON.stringify(s);
    expect(json.normalize('NFC')).toBe(json);
    // Every question, option and item has an id of its own.
    const ids = s.questions.flatMap((q: { id: string; options?: { id: string }[]; items?: { id: string }[] }) => [q.id, ...(q.options ?? []), ...(q.items ?? [])].map((x) => (typeof x === 'string' ? x : x.id)));
    expect(new Set(ids).size).toBe(9 + 13 + 15);

    // The body overrides the template's fields; the admin then edits it like any survey.
    const own = await t.admin.post('/v1/admin/surveys', { site: 'xa-a', template: 'hai-long-dich-vu-cong', title: 'Khảo sát hài lòng – UBND xã A', resultsVisibility: 'after_close' });
    expect(own.body).toMatchObject({ title: 'Khảo sát hài lòng – UBND xã A', resultsVisibility: 'after_close', template: 'hai-long-dich-vu-cong' });
    const edited = await t.admin.patch(`/v1/admin/surveys/${s.id}`, { intro: 'Phiếu của UBND xã A.' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ intro: 'Phiếu của UBND xã A.', template: 'hai-long-dich-vu-cong' });
    // And it takes a response answering all of it.
    const answers: Record<string, unknown> = {};
    for (const q of s.questions) {
      if (q.type === 'single') answers[q.id] = q.options[0].id;
      if (q.type === 'matrix') answers[q.id] = Object.fromEntries(q.items.map((i: { id: string }) => [i.id, 4]));
      if (q.type === 'scale') answers[q.id] = 5;
    }
    expect((await t.http.post(`/v1/surveys/${s.id}/responses`).send({ respondentId: newVoter(), answers })).status).toBe(201);
  });
});

describe('admin: editing', () => {
  it('before responses anything may change: remove, retype, relabel, reorder', async () => {
    const { t, f } = await setup();
    const res = await t.admin.patch(`/v1/admin/surveys/${f.survey.id}`, {
      title: 'Khảo sát (mới)',
      questions: [
        { id: f.scale.id, type: 'scale', title: 'Mức độ?', scale: { min: 0, max: 10 } },
        { id: f.single.id, type: 'multiple', title: 'Thôn?', options: [{ id: f.single.options[1]!.id, label: 'Thôn Tây (mới)' }, { label: 'Thôn Bắc' }] },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.title).toBe('Khảo sát (mới)');
    expect(res.body.questions.map((q: { id: string; type: string }) => [q.id, q.type])).toEqual([[f.scale.id, 'scale'], [f.single.id, 'multiple']]);
    expect(res.body.questions[0].scale).toEqual({ min: 0, max: 10, labels: null });
    expect(res.body.questions[1].options.map((o: { label: string }) => o.label)).toEqual(['Thôn Tây (mới)', 'Thôn Bắc']);
    expect(res.body.questions[1].maxChoices).toBe(2);
    expectProblem(await t.admin.patch(`/v1/admin/surveys/${f.survey.id}`, { questions: [{ id: 'khong-co', type: 'scale', title: 'x' }] }), 400, 'validation_failed');
  });

  it('after responses: refuses removing or retyping questions, removing or relabelling choices, a changed scale, lower limits, a new required question — 409 survey_has_responses naming each', async () => {
    const { t, f } = await setup();
    expect((await respond(t, f, answersFor(f, 0, 'Tốt'))).status).toBe(201);
    const q = asPatch(f) as Record<string, unknown>[];
    const base = `/v1/admin/surveys/${f.survey.id}`;
    const refusedFor = async (questions: unknown[]) => {
      const res = await t.admin.patch(base, { questions });
      expectProblem(res, 409, 'survey_has_responses');
      return res.body;
    };
    expect((await refusedFor(q.filter((x) => x.id !== f.text.id))).removedQuestions).toEqual([f.text.id]);
    expect((await refusedFor(q.map((x) => (x.id === f.scale.id ? { id: f.scale.id, type: 'text', title: 'x' } : x)))).retypedQuestions).toEqual([f.scale.id]);
    const single = q[0] as { options: { id: string; label: string }[] };
    expect((await refusedFor([{ ...q[0], options: single.options.slice(1) }, ...q.slice(1)])).removedChoices).toEqual([f.single.options[0]!.id]);
    expect((await refusedFor([{ ...q[0], options: single.options.map((o, i) => (i === 2 ? { ...o, label: 'Thôn Khác' } : o)) }, ...q.slice(1)])).relabelledChoices).toEqual([f.single.options[2]!.id]);
    expect((await refusedFor(q.map((x) => (x.id === f.scale.id ? { ...x, scale: { min: 1, max: 7 } } : x)))).scaleChanged).toEqual([f.scale.id]);
    expect((await refusedFor(q.map((x) => (x.id === f.matrix.id ? { ...x, scale: { min: 1, max: 5, labels: ['1', '2', '3', '4', '5'] } } : x)))).scaleChanged).toEqual([f.matrix.id]);
    expect((await refusedFor(q.map((x) => (x.id === f.multiple.id ? { ...x, maxChoices: 1 } : x)))).maxChoicesLowered).toEqual([f.multiple.id]);
    expect((await refusedFor(q.map((x) => (x.id === f.text.id ? { ...x, maxLength: 20 } : x)))).maxLengthLowered).toEqual([f.text.id]);
    expect((await refusedFor([...q, { type: 'scale', title: 'Mới?', required: true }])).newRequiredQuestions).toEqual(['questions.5']);
    // Several at once are all named.
    const many = await refusedFor(q.slice(1).map((x) => (x.id === f.multiple.id ? { ...x, maxChoices: 1 } : x)));
    expect(many).toMatchObject({ removedQuestions: [f.single.id], maxChoicesLowered: [f.multiple.id] });
    expect((await t.admin.get(base)).body.questions).toEqual(f.survey.questions);
  });

  it('after responses: titles, intro and sections may be corrected; options, items and optional questions added; limits raised', async () => {
    const { t, f } = await setup();
    expect((await respond(t, f, answersFor(f))).status).toBe(201);
    const q = asPatch(f) as Record<string, unknown>[] & { options?: unknown }[];
    const res = await t.admin.patch(`/v1/admin/surveys/${f.survey.id}`, {
      title: 'Khảo sát về cổng thông tin xã (đã sửa)',
      intro: null,
      questions: [
        { ...q[0], title: 'Bạn sống ở thôn nào?', section: 'Về bạn', options: [...(q[0] as { options: unknown[] }).options, { label: 'Thôn Bắc' }] },
        { ...q[1], maxChoices: 3 },
        q[2],
        { ...q[3], items: [...(q[3] as { items: unknown[] }).items, { label: 'Đúng hẹn' }] },
        { ...q[4], maxLength: 500 },
        { type: 'text', title: 'Bạn còn muốn nói gì?' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: 'Khảo sát về cổng thông tin xã (đã sửa)', intro: null });
    expect(res.body.questions[0]).toMatchObject({ title: 'Bạn sống ở thôn nào?', section: 'Về bạn' });
    expect(res.body.questions[0].options).toHaveLength(4);
    expect(res.body.questions[1].maxChoices).toBe(3);
    expect(res.body.questions[3].items).toHaveLength(3);
    expect(res.body.questions[4].maxLength).toBe(500);
    expect(res.body.questions[5]).toMatchObject({ type: 'text', required: false });
    // The counts of what was answered are kept.
    expect(res.body.results.responses).toBe(1);
    expect(res.body.results.questions[2].answered).toBe(1);
    const log = (await t.admin.get('/v1/admin/audit?site=xa-a')).body.entries;
    expect(log[0]).toMatchObject({ action: 'survey.update', targetId: f.survey.id });
  });

  it('a response racing an edit on another instance is checked against the survey as it is when stored', async () => {
    const { t, f } = await setup();
    // This instance has the definition cached (and will not look for others' changes within the second).
    await t.http.get(`/v1/surveys/${f.survey.id}`);
    const b = await t.otherInstance();
    const edited = await b.patch(`/v1/admin/surveys/${f.survey.id}`).set('Authorization', `Bearer ${t.adminKey}`).send({ questions: asPatch(f).filter((q) => q.id !== f.text.id) });
    expect(edited.status).toBe(200);
    const res = await respond(t, f, answersFor(f, 0, 'còn không?'));
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: `answers.${f.text.id}`, code: 'unknown_question' })]);
    expect(await t.sql.value('SELECT COUNT(*) FROM survey_responses')).toBe(0);
    // Without the removed question the same response is taken.
    expect((await respond(t, f, answersFor(f, 0))).status).toBe(201);
  });
});

describe('admin: close, reopen, delete, list, results', () => {
  it('closes and reopens (audited), deletes with every row (204, then 404)', async () => {
    const { t, f } = await setup();
    await respond(t, f, answersFor(f, 0, 'x'));
    const closed = await t.admin.post(`/v1/admin/surveys/${f.survey.id}/close`);
    expect(closed.body).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
    const reopened = await t.admin.post(`/v1/admin/surveys/${f.survey.id}/reopen`);
    expect(reopened.body).toMatchObject({ status: 'open', closedAt: null });
    expect((await t.admin.delete(`/v1/admin/surveys/${f.survey.id}`)).status).toBe(204);
    expectProblem(await t.admin.get(`/v1/admin/surveys/${f.survey.id}`), 404, 'not_found');
    expectProblem(await t.admin.delete(`/v1/admin/surveys/${f.survey.id}`), 404, 'not_found');
    for (const table of ['surveys', 'survey_questions', 'survey_choices', 'survey_value_counts', 'survey_responses', 'survey_answers'])
      expect(await t.sql.value(`SELECT COUNT(*) FROM ${table}`), table).toBe(0);
    const actions = (await t.admin.get('/v1/admin/audit?site=xa-a')).body.entries.map((e: { action: string }) => e.action);
    expect(actions.slice(0, 4)).toEqual(['survey.delete', 'survey.reopen', 'survey.close', 'survey.create']);
  });

  it('lists the surveys of a site, newest first, with results', async () => {
    const { t, f } = await setup();
    await createSite(t, { id: 'xa-b', origins: [] });
    const g = await createSurvey(t, { site: 'xa-b' });
    await respond(t, f, answersFor(f));
    expect((await t.admin.get('/v1/admin/surveys?site=xa-a')).body.surveys.map((s: { id: string; results: { responses: number } }) => [s.id, s.results.responses])).toEqual([[f.survey.id, 1]]);
    expect((await t.admin.get('/v1/admin/surveys')).body.surveys.map((s: { id: string }) => s.id).sort()).toEqual([f.survey.id, g.survey.id].sort());
  });

  it('admin results carry the free texts: newest first, the latest 100, with the total', async () => {
    const clock = testClock();
    const { t, f } = await setup(clock);
    for (let i = 0; i < 103; i++) {
      clock.advance(1000);
      expect((await respond(t, f, answersFor(f, i, `Góp ý ${i}`))).status).toBe(201);
    }
    await respond(t, f, answersFor(f, 0));
    const r = (await t.admin.get(`/v1/admin/surveys/${f.survey.id}/results`)).body;
    const text = r.questions[4];
    expect(text).toMatchObject({ type: 'text', answered: 103, texts: { total: 103 } });
    expect(text.texts.latest).toHaveLength(100);
    expect(text.texts.latest[0]).toEqual({ at: new Date(clock.now()).toISOString(), text: 'Góp ý 102' });
    expect(text.texts.latest.at(-1).text).toBe('Góp ý 3');
  });
});

describe('admin: exports and timeline', () => {
  /** 20:00 UTC on 8 June is 03:00 on 9 June in Việt Nam. */
  const START = Date.parse('2026-06-08T20:00:00Z');

  it('CSV: BOM, one row per response, a column per question or matrix item, labels joined with "; ", times in the site zone, formula guard', async () => {
    const { t, f } = await setup(testClock(START));
    await t.admin.patch(`/v1/admin/surveys/${f.survey.id}`, { questions: asPatch(f).map((q) => (q.id === f.text.id ? { ...q, title: '=Góp ý' } : q)) });
    expect((await respond(t, f, answersFor(f, 0, '=HYPERLINK("http://evil")'))).status).toBe(201);
    expect((await respond(t, f, { [f.single.id]: f.single.options[2]!.id, [f.scale.id]: 4, [f.matrix.id]: { [f.matrix.items[0]!.id]: 3, [f.matrix.items[1]!.id]: 2 } })).status).toBe(201);
    const { res, bytes } = await download(t, `/v1/admin/surveys/${f.survey.id}/export?format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="ykien-survey-${f.survey.id}-2026-06-09.csv"`);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes, { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([
      'response_id', 'answered_at', '1. Bạn ở thôn nào?', '2. Bạn tra cứu gì?', '3. Bạn hài lòng ở mức nào?', '4.1 Công chức: Lịch sự', '4.2 Công chức: Lắng nghe', '5. =Góp ý',
    ]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ answered_at: '2026-06-09T03:00:00+07:00', '1. Bạn ở thôn nào?': 'Thôn Đông', '2. Bạn tra cứu gì?': 'Thủ tục; Tin tức', '3. Bạn hài lòng ở mức nào?': '1', '4.1 Công chức: Lịch sự': '5', '4.2 Công chức: Lắng nghe': '1' });
    expect(rows[0]!['5. =Góp ý']).toBe('\'=HYPERLINK("http://evil")');
    expect(rows[1]).toMatchObject({ '1. Bạn ở thôn nào?': 'Thôn Nam', '2. Bạn tra cứu gì?': '', '5. =Góp ý': '' });
    const log = (await t.admin.get('/v1/admin/audit?site=xa-a')).body.entries;
    expect(log[0]).toMatchObject({ action: 'survey.export', detail: { format: 'csv' } });
  });

  it('JSON: the survey, its questions and results, and every response with its answers as the API takes them', async () => {
    const { t, f } = await setup(testClock(START));
    const answers = answersFor(f, 1, 'Tốt lắm');
    await respond(t, f, answers);
    const { res, text } = await download(t, `/v1/admin/surveys/${f.survey.id}/export?format=json`);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = JSON.parse(text);
    expect(body).toMatchObject({ survey: { id: f.survey.id, site: 'xa-a' }, timezone: 'Asia/Ho_Chi_Minh', results: { responses: 1 } });
    expect(body.questions).toHaveLength(5);
    expect(body.responses).toEqual([{ id: expect.any(Number), answeredAt: '2026-06-09T03:00:00+07:00', answers }]);
    expectProblem(await t.admin.get(`/v1/admin/surveys/${f.survey.id}/export?format=xml`), 400, 'validation_failed');
    expectProblem(await t.admin.get('/v1/admin/surveys/khong-co/export'), 404, 'not_found');
  });

  it('timeline: responses per local hour, zero-filled, like the poll timeline', async () => {
    const clock = testClock(START);
    const { t, f } = await setup(clock);
    await respond(t, f, answersFor(f));
    clock.advance(2 * 3_600_000 + 60_000);
    await respond(t, f, answersFor(f));
    await respond(t, f, answersFor(f));
    const res = await t.admin.get(`/v1/admin/surveys/${f.survey.id}/timeline`);
    expect(res.body).toEqual({
      surveyId: f.survey.id,
      bucket: 'hour',
      timezone: 'Asia/Ho_Chi_Minh',
      total: 3,
      buckets: [
        { start: '2026-06-09T03:00:00+07:00', responses: 1 },
        { start: '2026-06-09T04:00:00+07:00', responses: 0 },
        { start: '2026-06-09T05:00:00+07:00', responses: 2 },
      ],
    });
    expect((await t.admin.get(`/v1/admin/surveys/${f.survey.id}/timeline?bucket=day`)).body.buckets).toEqual([{ start: '2026-06-09T00:00:00+07:00', responses: 3 }]);
    expectProblem(await t.admin.get(`/v1/admin/surveys/${f.survey.id}/timeline?from=2026-06-10&to=2026-06-09`), 400, 'validation_failed');
  });
});

describe('admin: access', () => {
  it('moderator keys (of this site or another) and no key are refused everywhere; nothing changes', async () => {
    const { t, f } = await setup();
    await createSite(t, { id: 'xa-b', origins: [] });
    const own = (await t.services.keys.create({ name: 'Điều hành viên xã A', role: 'moderator', siteId: 'xa-a' })).key;
    const other = (await t.services.keys.create({ name: 'Điều hành viên xã B', role: 'moderator', siteId: 'xa-b' })).key;
    const id = f.survey.id;
    const calls: [string, string, object?][] = [
      ['get', '/v1/admin/surveys'], ['get', `/v1/admin/surveys/${id}`], ['get', `/v1/admin/surveys/${id}/results`], ['get', `/v1/admin/surveys/${id}/export`],
      ['get', `/v1/admin/surveys/${id}/timeline`], ['post', '/v1/admin/surveys', { site: 'xa-a', template: 'hai-long-dich-vu-cong' }], ['patch', `/v1/admin/surveys/${id}`, { title: 'x' }],
      ['post', `/v1/admin/surveys/${id}/close`], ['post', `/v1/admin/surveys/${id}/reopen`], ['delete', `/v1/admin/surveys/${id}`],
    ];
    for (const [method, url, body] of calls) {
      for (const key of [own, other]) {
        const req = (t.http as unknown as Record<string, (u: string) => request.Test>)[method]!(url).set('Authorization', `Bearer ${key}`);
        expectProblem(await (body ? req.send(body) : req), 403, 'forbidden');
      }
      const anon = (t.http as unknown as Record<string, (u: string) => request.Test>)[method]!(url);
      expectProblem(await (body ? anon.send(body) : anon), 401, 'unauthorized');
    }
    expect(await t.sql.value('SELECT COUNT(*) FROM surveys')).toBe(1);
    expect((await t.admin.get(`/v1/admin/surveys/${id}`)).body.title).toBe(f.survey.title);
  });
});
