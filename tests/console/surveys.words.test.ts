// The survey builder shows the server's refusals in words at the field they name. These feed the console's
// mapping (console/surveys.errors.ts) the REAL problems the API answers — so a change of their shape or
// wording on the server shows here, not as "Giá trị chưa hợp lệ." or a raw id in front of an admin.
import { describe, expect, it } from 'vitest';
import type request from 'supertest';
import { ApiError } from '../../console/api.js';
import { vi as words } from '../../console/strings/surveys.js';
import { fieldErrors, refusedChanges } from '../../console/surveys.errors.js';
import { createSite, makeTestApp, newVoter } from '../helpers/app.js';
import { answersFor, createSurvey } from '../helpers/surveys.js';

const asApiError = (res: request.Response) => new ApiError(res.status, res.body.code, res.body.detail ?? '', res.body);
const q = (over: Record<string, unknown>) => ({ type: 'single', title: 'Bạn ở thôn nào?', options: ['Thôn Đông', 'Thôn Tây'], ...over });

describe('the builder\'s words for the server\'s validation errors', () => {
  const cases: [string, Record<string, unknown>, string, keyof typeof words][] = [
    ['an empty option', { questions: [q({ options: ['Thôn Đông', ''] })] }, 'questions.0.options.1', 'v.required'],
    ['an empty title', { title: '', questions: [q({})] }, 'title', 'v.required'],
    ['an empty question', { questions: [q({ title: '  ' })] }, 'questions.0.title', 'v.required'],
    ['a title too long', { title: 'Dài '.repeat(200), questions: [q({})] }, 'title', 'v.tooLong'],
    ['one option', { questions: [q({ options: ['Thôn Đông'] })] }, 'questions.0.options', 'v.needOptions'],
    ['the same option twice', { questions: [q({ options: ['Thôn Đông', 'thôn đông'] })] }, 'questions.0.options', 'v.distinct'],
    ['a matrix without items', { questions: [{ type: 'matrix', title: 'Công chức', items: [], scale: { min: 1, max: 5 } }] }, 'questions.0.items', 'v.needItems'],
    ['a scale upside down', { questions: [{ type: 'scale', title: 'Mức độ', scale: { min: 5, max: 3 } }] }, 'questions.0.scale.max', 'v.maxAboveMin'],
    ['a scale of 0–10 is the widest', { questions: [{ type: 'scale', title: 'Mức độ', scale: { min: 0, max: 11 } }] }, 'questions.0.scale.max', 'v.tooBig'],
    ['labels not naming every point', { questions: [{ type: 'scale', title: 'Mức độ', scale: { min: 1, max: 3, labels: ['Kém', 'Tốt'] } }] }, 'questions.0.scale.labels', 'v.labelsEvery'],
    ['a fractional scale point', { questions: [{ type: 'scale', title: 'Mức độ', scale: { min: 1.5, max: 5 } }] }, 'questions.0.scale.min', 'v.wholeNumber'],
    ['more choices than options', { questions: [q({ type: 'multiple', maxChoices: 3 })] }, 'questions.0.maxChoices', 'v.maxChoices'],
    ['a text longer than allowed', { questions: [{ type: 'text', title: 'Góp ý', maxLength: 6000 }] }, 'questions.0.maxLength', 'v.tooBig'],
    ['closing before opening', { opensAt: '2026-07-01T08:00:00+07:00', closesAt: '2026-06-30T08:00:00+07:00', questions: [q({})] }, 'closesAt', 'v.closesAfter'],
  ];
  it.each(cases)('%s: named at its input, in words', async (_, body, path, key) => {
    const t = await makeTestApp();
    await createSite(t);
    const res = await t.admin.post('/v1/admin/surveys', { site: 'xa-a', title: 'Khảo sát', resultsVisibility: 'always', ...body });
    expect(res.status).toBe(400);
    const fields = fieldErrors(asApiError(res))!;
    expect(fields[path], JSON.stringify(res.body.errors)).toContain(words[key]);
    expect(Object.values(fields).join(' ')).not.toContain(words['v.invalid']);
  });

  it('an edit\'s choice paths ("…options.1.label") are the same input as a creation\'s', async () => {
    const t = await makeTestApp();
    await createSite(t);
    const f = await createSurvey(t);
    const res = await t.admin.patch(`/v1/admin/surveys/${f.survey.id}`).send({ questions: [{ id: f.single.id, type: 'single', title: 'Thôn?', options: [{ id: f.single.options[0]!.id, label: '' }, { label: 'Thôn Bắc' }] }] });
    expect(res.status).toBe(400);
    expect(fieldErrors(asApiError(res))).toEqual({ 'questions.0.options.0': words['v.required'] });
  });
});

describe('the edit rules\' refusal (409 survey_has_responses) in words', () => {
  it('names every refused change by the question\'s number and title or the choice\'s label, never an id or a code', async () => {
    const t = await makeTestApp();
    await createSite(t);
    const f = await createSurvey(t);
    expect((await t.http.post(`/v1/surveys/${f.survey.id}/responses`).send({ respondentId: newVoter(), answers: answersFor(f, 0, 'Tốt') })).status).toBe(201);
    const { single, multiple, scale, matrix, text } = f;
    const patch = (questions: unknown[]) => t.admin.patch(`/v1/admin/surveys/${f.survey.id}`).send({ questions });

    const first = await patch([
      { id: single.id, type: 'single', title: single.title, options: [{ id: single.options[0]!.id, label: 'Thôn Đông mới' }, { id: single.options[1]!.id, label: single.options[1]!.label }] },
      { id: multiple.id, type: 'multiple', title: multiple.title, options: multiple.options, maxChoices: 1 },
      // the scale question is left out: removed
      { id: matrix.id, type: 'matrix', title: matrix.title, items: matrix.items, scale: { min: 1, max: 4 } },
      { id: text.id, type: 'text', title: text.title, maxLength: 10 },
      { type: 'single', title: 'Câu mới bắt buộc', required: true, options: [{ label: 'Có' }, { label: 'Không' }] },
    ]);
    expect(first.status, JSON.stringify(first.body)).toBe(409);
    const said = refusedChanges(asApiError(first), f.survey)!;
    expect(said).toEqual([
      `bỏ câu hỏi 3 (“${scale.title}”)`,
      `bỏ phương án hoặc tiêu chí “${single.options[2]!.label}” (Câu 1)`,
      `đổi tên phương án hoặc tiêu chí “${single.options[0]!.label}” (Câu 1)`,
      `đổi thang điểm của câu 4 (“${matrix.title}”)`,
      `giảm số phương án được chọn của câu 2 (“${multiple.title}”)`,
      `giảm số ký tự tối đa của câu 5 (“${text.title}”)`,
      'thêm câu hỏi bắt buộc mới (Câu 5); câu mới phải là câu không bắt buộc',
    ]);

    const second = await patch(f.survey.questions.map((x) => (x.id === text.id ? { id: text.id, type: 'scale', title: text.title, scale: { min: 1, max: 5 } } : x)));
    expect(second.status).toBe(409);
    expect(refusedChanges(asApiError(second), f.survey)).toEqual([`đổi loại câu hỏi 5 (“${text.title}”)`]);
    for (const s of [...said]) expect(s).not.toMatch(/[a-z0-9]{8}|survey_has_responses|Questions|Choices/);
  });
});
