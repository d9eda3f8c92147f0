import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSite, expectProblem, makeTestApp, newVoter, type TestApp } from '../helpers/app.js';
import { answersFor, createSurvey, type Fixture } from '../helpers/surveys.js';

async function setup() {
  const t = await makeTestApp();
  await createSite(t);
  return { t, f: await createSurvey(t) };
}
const post = (t: TestApp, f: Fixture, body: unknown) =>
  t.http.post(`/v1/surveys/${f.survey.id}/responses`).set('Content-Type', 'application/json').send(typeof body === 'string' ? body : JSON.stringify(body));
const rows = async (t: TestApp) => Number(await t.sql.value('SELECT COUNT(*) FROM survey_answers')) + Number(await t.sql.value('SELECT COUNT(*) FROM survey_responses'));

/** Hostile response bodies: each is refused with a 4xx problem, never a 500, and writes nothing. */
describe('surveys: hostile responses', () => {
  it('prototype keys are unknown questions, never properties: __proto__, constructor, prototype', async () => {
    const { t, f } = await setup();
    const raw = `{"respondentId":"${newVoter()}","answers":{"__proto__":{"${f.single.id}":"${f.single.options[0]!.id}"},"constructor":{"prototype":{"x":1}},"${f.matrix.id}":{"__proto__":5,"${f.matrix.items[0]!.id}":5,"${f.matrix.items[1]!.id}":5}}}`;
    const res = await post(t, f, raw);
    expectProblem(res, 400, 'validation_failed');
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['answers.__proto__', 'answers.constructor', `answers.${f.matrix.id}.__proto__`, `answers.${f.single.id}`, `answers.${f.scale.id}`]));
    expect(await rows(t)).toBe(1 - 1);
    // Nothing leaked into Object.prototype for later requests.
    expect(({} as Record<string, unknown>)[f.single.id]).toBeUndefined();
    expect((await post(t, f, { respondentId: newVoter(), answers: answersFor(f) })).status).toBe(201);
  });

  it('huge answers objects, long keys, deep nesting and wrong shapes are 4xx', async () => {
    const { t, f } = await setup();
    const many = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`q${i}`, i]));
    const deep = JSON.parse('{"a":'.repeat(2_000) + '1' + '}'.repeat(2_000));
    const bodies: unknown[] = [
      { respondentId: newVoter(), answers: many },
      { respondentId: newVoter(), answers: { ...answersFor(f), [f.matrix.id]: Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`i${i}`, 3])) } },
      { respondentId: newVoter(), answers: { ['k'.repeat(10_000)]: 1 } },
      { respondentId: newVoter(), answers: { ...answersFor(f), [f.single.id]: deep } },
      { respondentId: newVoter(), answers: deep },
      { respondentId: newVoter(), answers: { ...answersFor(f), [f.multiple.id]: Array.from({ length: 10_000 }, () => f.multiple.options[0]!.id) } },
      { respondentId: newVoter(), answers: { ...answersFor(f), [f.text.id]: 'x'.repeat(90_000) } },
      { respondentId: newVoter(), answers: [] },
      { respondentId: newVoter(), answers: 'x' },
      { respondentId: newVoter(), answers: null },
      { respondentId: newVoter() },
      { answers: answersFor(f) },
      { respondentId: 'x', answers: answersFor(f) },
      { respondentId: newVoter(), answers: answersFor(f), extra: 1 },
      '[' .repeat(5_000),
      '{"respondentId":',
    ];
    for (const body of bodies) {
      const res = await post(t, f, body);
      expect(res.status, JSON.stringify(body).slice(0, 120)).toBeGreaterThanOrEqual(400);
      expect(res.status, JSON.stringify(body).slice(0, 120)).toBeLessThan(500);
      expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
    }
    expect(await rows(t)).toBe(0);
  });

  it('property: any answers object gets 201 or a 4xx problem, never a 5xx, and a refusal writes nothing', async () => {
    const { t, f } = await setup();
    const ids = [f.single.id, f.multiple.id, f.scale.id, f.matrix.id, f.text.id, '__proto__', 'x'];
    const choiceIds = [...f.single.options, ...f.multiple.options, ...f.matrix.items].map((c) => c.id);
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constantFrom(...choiceIds),
      fc.array(fc.constantFrom(...choiceIds), { maxLength: 5 }),
      fc.integer({ min: -2, max: 8 }),
      fc.double(),
      fc.dictionary(fc.constantFrom(...f.matrix.items.map((i) => i.id), '__proto__', 'y'), fc.oneof(fc.integer({ min: 0, max: 6 }), fc.string())),
      fc.string({ unit: 'grapheme', maxLength: 80 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...ids), value), async (answers) => {
        const before = await rows(t);
        const res = await post(t, f, { respondentId: newVoter(), answers });
        if (res.status >= 500) throw new Error(`${res.status} ${JSON.stringify(answers)} ${res.text}`);
        if (res.status !== 201) {
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(typeof res.body.code).toBe('string');
          expect(await rows(t)).toBe(before);
        }
      }),
      { numRuns: 150 },
    );
  });
});
