import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import type { PostgresStorage } from '../../src/storage/postgres/index.js';
import type { SqliteStorage } from '../../src/storage/sqlite/index.js';
import { AppError } from '../../src/errors.js';
import type { NewResponse, QuestionRecord, ResponseExportRecord, ResponseState, StoredAnswer } from '../../src/surveys/surveys.store.js';
import type { Storage } from '../../src/storage/storage.js';
import { auditOf, forEachBackend, openAnother, seedSite } from './backends.js';

const T0 = 1_780_000_000_000;
const SCALE = { min: 1, max: 5, labels: ['Rất không hài lòng', 'Không hài lòng', 'Bình thường', 'Hài lòng', 'Rất hài lòng'] };
const QUESTIONS: QuestionRecord[] = [
  { id: 'q1', type: 'single', title: 'Lĩnh vực?', section: 'Thông tin chung', required: true, settings: {}, choices: [{ id: 'o1', label: 'Đất đai' }, { id: 'o2', label: 'Tư pháp – Hộ tịch' }] },
  { id: 'q2', type: 'multiple', title: 'Cách nộp?', section: null, required: false, settings: { maxChoices: 2 }, choices: [{ id: 'm1', label: 'Trực tiếp' }, { id: 'm2', label: 'Bưu chính' }, { id: 'm3', label: 'Trực tuyến' }] },
  { id: 'q3', type: 'scale', title: 'Nhìn chung?', section: 'Đánh giá', required: true, settings: { scale: SCALE }, choices: [] },
  { id: 'q4', type: 'matrix', title: 'Công chức', section: null, required: false, settings: { scale: SCALE }, choices: [{ id: 'i1', label: 'Lịch sự' }, { id: 'i2', label: 'Lắng nghe' }] },
  { id: 'q5', type: 'text', title: 'Góp ý?', section: null, required: false, settings: { multiline: true, maxLength: 2000 }, choices: [] },
];
const SURVEY = { id: 's1', siteId: 'xa-a', title: 'Khảo sát mức độ hài lòng', intro: 'Phiếu không ghi tên.', template: 'hai-long-dich-vu-cong', opensAt: null, closesAt: null, closedAt: null, resultsVisibility: 'always' as const };

async function withSurvey(open: () => Promise<Storage>) {
  const s = await open();
  await seedSite(s);
  expect(await s.surveys.create(SURVEY, QUESTIONS, T0, auditOf('survey.create'))).toBe(true);
  return s;
}

const A = (questionId: string, over: Partial<StoredAnswer> = {}): StoredAnswer => ({ questionId, choiceId: null, value: null, text: null, ...over });
/** The answers of respondent i: every type, varied by i. */
const answersOf = (i: number): StoredAnswer[] => [
  A('q1', { choiceId: i % 2 ? 'o1' : 'o2' }),
  ...(i % 3 ? [A('q2', { choiceId: 'm1' }), A('q2', { choiceId: 'm3' })] : []),
  A('q3', { value: 1 + (i % 5) }),
  A('q4', { choiceId: 'i1', value: 5 - (i % 2) }),
  ...(i % 4 ? [A('q4', { choiceId: 'i2', value: 3 })] : []),
  ...(i % 5 === 0 ? [A('q5', { text: `Góp ý số ${i}` })] : []),
];
const response = (voter: string, answers: StoredAnswer[], over: Partial<NewResponse> = {}): NewResponse => ({
  surveyId: 's1', answers, voterHash: voter, ipHash: 'net-1', userAgent: 'UA', at: T0 + 1000, ...over,
});
const admitAll = () => {};
const all = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

/** What the counts must be after respondents 0..n-1 (each once). */
function expected(n: number) {
  const choices: Record<string, number> = {};
  const answered: Record<string, number> = {};
  const values: Record<string, Record<number, number>> = {};
  for (let i = 0; i < n; i++) {
    const a = answersOf(i);
    for (const q of new Set(a.map((x) => x.questionId))) answered[q] = (answered[q] ?? 0) + 1;
    for (const x of a) {
      if (x.choiceId) choices[x.choiceId] = (choices[x.choiceId] ?? 0) + 1;
      if (x.value !== null) {
        const k = x.choiceId ?? x.questionId;
        (values[k] ??= {})[x.value] = (values[k]![x.value] ?? 0) + 1;
      }
    }
  }
  return { responses: n, answered, choices, values };
}
const plain = (c: Awaited<ReturnType<Storage['surveys']['state']>>['counts']) => ({
  responses: c.responses,
  answered: Object.fromEntries([...c.answered].filter(([, n]) => n > 0)),
  choices: Object.fromEntries([...c.choices].filter(([, n]) => n > 0)),
  values: Object.fromEntries([...c.values].map(([k, m]) => [k, Object.fromEntries(m)])),
});

forEachBackend('surveys store', (open) => {
  it('creates a survey with its questions and choices in order, refuses a taken id, and records the audit entry', async () => {
    const s = await withSurvey(open);
    const def = await s.surveys.definition('s1');
    expect(def?.survey).toMatchObject({ ...SURVEY, responses: 0, createdAt: T0, updatedAt: T0 });
    expect(def?.questions).toEqual(QUESTIONS);
    expect(await s.surveys.create(SURVEY, QUESTIONS, T0, null)).toBe(false);
    expect(await s.surveys.definition('nope')).toBeUndefined();
    expect((await s.audit.list({ sites: null, limit: 10 })).map((a) => a.action)).toEqual(['survey.create']);
    const listed = await s.surveys.list(['xa-a']);
    expect(listed.map((l) => [l.survey.id, l.questions.length, l.counts.responses])).toEqual([['s1', 5, 0]]);
    expect(await s.surveys.list(['xa-b'])).toEqual([]);
  });

  it('applies an edit: reorders, relabels, adds and removes questions and choices, in one transaction with its audit entry', async () => {
    const s = await withSurvey(open);
    const [q1, q2, q3, q4] = QUESTIONS;
    await s.surveys.change('s1', T0 + 5, (current) => ({
      change: {
        fields: { title: 'Khảo sát (sửa)', intro: null },
        questions: [
          { ...q3!, isNew: false, choices: [] },
          { ...q1!, title: 'Lĩnh vực nào?', isNew: false, choices: [{ id: 'o2', label: 'Tư pháp', isNew: false }, { id: 'o9', label: 'Xây dựng', isNew: true }, { id: 'o1', label: 'Đất đai', isNew: false }] },
          { id: 'q9', type: 'text', title: 'Mới', section: null, required: false, settings: { multiline: false, maxLength: 200 }, isNew: true, choices: [] },
          { ...q4!, isNew: false, choices: [{ id: 'i2', label: 'Lắng nghe', isNew: false }] },
          { ...q2!, isNew: false, choices: q2!.choices.map((c) => ({ ...c, isNew: false })) },
        ],
        audit: auditOf('survey.update'),
      },
      result: current!.questions.length,
    }));
    const def = (await s.surveys.definition('s1'))!;
    expect(def.survey).toMatchObject({ title: 'Khảo sát (sửa)', intro: null, updatedAt: T0 + 5 });
    expect(def.questions.map((q) => q.id)).toEqual(['q3', 'q1', 'q9', 'q4', 'q2']);
    expect(def.questions[1]!.title).toBe('Lĩnh vực nào?');
    expect(def.questions[1]!.choices).toEqual([{ id: 'o2', label: 'Tư pháp' }, { id: 'o9', label: 'Xây dựng' }, { id: 'o1', label: 'Đất đai' }]);
    expect(def.questions[3]!.choices).toEqual([{ id: 'i2', label: 'Lắng nghe' }]);
    // A plan that throws changes nothing.
    await expect(s.surveys.change('s1', T0 + 6, () => { throw new AppError(409, 'survey_has_responses', 'no'); })).rejects.toMatchObject({ code: 'survey_has_responses' });
    expect((await s.surveys.definition('s1'))!.survey.updatedAt).toBe(T0 + 5);
    expect((await s.audit.list({ sites: null, limit: 10 })).map((a) => a.action)).toEqual(['survey.update', 'survey.create']);
  });

  it('stores each respondent exactly once however their responses race, and the counts equal the rows', async () => {
    const s = await withSurvey(open);
    const N = 60;
    const results = await Promise.all(Array.from({ length: N }, (_, i) => [0, 1, 2].map(() => s.surveys.submit(response(`v${i}`, answersOf(i)), null, admitAll))).flat());
    expect(results.filter((r) => r.outcome === 'ok')).toHaveLength(N);
    expect(results.filter((r) => r.outcome === 'duplicate')).toHaveLength(2 * N);
    const { counts, responded } = await s.surveys.state('s1', 'v7');
    expect(responded).toBe(true);
    expect(plain(counts)).toEqual(expected(N));
    expect((await s.surveys.definition('s1'))!.survey.responses).toBe(N);
    expect(await s.surveys.hasResponded('s1', 'nobody')).toBe(false);
    // The counts are those of the rows: every answer streamed back adds up to them.
    const rows = await all(s.surveys.responses('s1'));
    expect(rows).toHaveLength(N);
    expect(rows.reduce((n, r) => n + r.answers.length, 0)).toBe(Array.from({ length: N }, (_, i) => answersOf(i).length).reduce((a, b) => a + b, 0));
    const listed = await s.surveys.list(null);
    expect(plain(listed[0]!.counts)).toEqual(expected(N));
  });

  it('two instances racing the same respondents store each once', async () => {
    const a = await withSurvey(open);
    const b = await openAnother(a);
    const N = 30;
    const results = await Promise.all(Array.from({ length: N }, (_, i) => [a, b, a, b].map((s) => s.surveys.submit(response(`v${i}`, answersOf(i)), null, admitAll))).flat());
    expect(results.filter((r) => r.outcome === 'ok')).toHaveLength(N);
    expect(plain((await b.surveys.state('s1', null)).counts)).toEqual(expected(N));
  });

  it('answers a response with the counts it produced; a refusal, or a failing answer, stores nothing of it', async () => {
    const s = await withSurvey(open);
    const ok = await s.surveys.submit(response('a', answersOf(1)), null, admitAll);
    expect(ok.outcome === 'ok' && ok.counts.responses).toBe(1);
    expect(ok.outcome === 'ok' && ok.survey.id).toBe('s1');
    await expect(s.surveys.submit(response('b', answersOf(2)), null, () => { throw new AppError(409, 'survey_closed', 'closed'); })).rejects.toMatchObject({ code: 'survey_closed' });
    // An answer to a question that is not there (an edit raced the response): the response fails whole.
    await expect(s.surveys.submit(response('c', [...answersOf(3), A('q-gone', { text: 'x' })]), null, admitAll)).rejects.toBeDefined();
    // Others in the same batch are not harmed.
    const [d, e] = await Promise.allSettled([
      s.surveys.submit(response('d', [A('q-gone', { value: 1 })]), null, admitAll),
      s.surveys.submit(response('e', answersOf(5)), null, admitAll),
    ]);
    expect(d.status).toBe('rejected');
    expect(e.status === 'fulfilled' && e.value.outcome).toBe('ok');
    const { counts } = await s.surveys.state('s1', null);
    expect(counts.responses).toBe(2);
    expect((await all(s.surveys.responses('s1'))).map((r) => r.answers.length)).toEqual([answersOf(1).length, answersOf(5).length]);
    expect(await s.surveys.hasResponded('s1', 'c')).toBe(false);
    expect(await s.surveys.hasResponded('s1', 'b')).toBe(false);
  });

  it('lets the rules see the survey, the respondent and the network in the response transaction', async () => {
    const s = await withSurvey(open);
    const seen: ResponseState[] = [];
    const see = (st: ResponseState) => void seen.push(st);
    await s.surveys.submit(response('a', answersOf(0), { ipHash: 'net-1', at: T0 + 10 }), T0, see);
    await s.surveys.submit(response('b', answersOf(0), { ipHash: 'net-1', at: T0 + 20 }), T0, see);
    await s.surveys.submit(response('c', answersOf(0), { ipHash: 'net-2', at: T0 + 30 }), T0, see);
    await s.surveys.submit(response('d', answersOf(0), { ipHash: 'net-1', at: T0 + 40 }), T0 + 15, see);
    await s.surveys.submit(response('e', answersOf(0), { ipHash: 'net-1', at: T0 + 50 }), null, see);
    expect(seen.map((st) => st.responsesFromIp)).toEqual([0, 1, 0, 1, null]);
    expect(seen.every((st) => st.survey?.id === 's1' && !st.alreadyResponded)).toBe(true);
    expect(await s.surveys.submit(response('a', answersOf(0)), null, see)).toEqual({ outcome: 'duplicate' });
    expect(seen.at(-1)!.alreadyResponded).toBe(true);
    await s.surveys.submit(response('z', [], { surveyId: 'nope' }), null, see).catch(() => undefined);
    expect(seen.at(-1)!.survey).toBeUndefined();
  });

  it('gives the free texts of a question, newest first, with their total', async () => {
    const s = await withSurvey(open);
    for (let i = 0; i < 5; i++) await s.surveys.submit(response(`v${i}`, [A('q5', { text: `Góp ý ${i}` })], { at: T0 + i }), null, admitAll);
    const texts = await s.surveys.texts('s1', ['q5', 'q1'], 3);
    expect(texts.get('q5')).toEqual({ total: 5, latest: [{ at: T0 + 4, text: 'Góp ý 4' }, { at: T0 + 3, text: 'Góp ý 3' }, { at: T0 + 2, text: 'Góp ý 2' }] });
    expect(texts.has('q1')).toBe(false);
  });

  it('streams responses oldest first from one snapshot, and a consumer that stops early releases it', async () => {
    const s = await withSurvey(open);
    const N = 1_500;
    for (let i = 0; i < N; i += 500)
      await Promise.all(Array.from({ length: 500 }, (_, j) => s.surveys.submit(response(`v${i + j}`, answersOf(i + j), { at: T0 + (i + j) * 1000 }), null, admitAll)));
    const seen: ResponseExportRecord[] = [];
    let written = 0;
    for await (const r of s.surveys.responses('s1')) {
      seen.push(r);
      if (seen.length === 1) for (; written < 20; written++) await s.surveys.submit(response(`new-${written}`, answersOf(written), { at: T0 + 10 * N * 1000 }), null, admitAll);
    }
    expect(seen).toHaveLength(N);
    expect(seen.map((r) => r.at)).toEqual(Array.from({ length: N }, (_, i) => T0 + i * 1000));
    const sample = seen[7]!.answers.map((a) => [a.questionId, a.choiceId, a.value, a.text]).sort();
    expect(sample).toEqual(answersOf(7).map((a) => [a.questionId, a.choiceId, a.value, a.text]).sort());
    for await (const r of s.surveys.responses('s1')) {
      expect(r.at).toBe(T0);
      break;
    }
    await s.surveys.submit(response('after', answersOf(1)), null, admitAll);
    expect(await all(s.surveys.responses('s1'))).toHaveLength(N + 21);
    const slots = await s.surveys.responseSlots('s1', T0, T0 + 15 * 60_000);
    expect(slots.reduce((n, x) => n + x.ballots, 0)).toBe(15 * 60 + 1); // one a second, and "after" at T0 + 1000
  });

  it('deleting a survey, or its site, takes every row it holds', async () => {
    const s = await withSurvey(open);
    for (let i = 0; i < 5; i++) await s.surveys.submit(response(`v${i}`, answersOf(i)), null, admitAll);
    await s.surveys.change('s1', T0 + 9, () => ({ change: { remove: true, audit: auditOf('survey.delete') }, result: undefined }));
    expect(await s.surveys.definition('s1')).toBeUndefined();
    expect(await all(s.surveys.responses('s1'))).toEqual([]);
    expect((await s.surveys.state('s1', 'v1')).responded).toBe(false);

    expect(await s.surveys.create({ ...SURVEY, id: 's2' }, QUESTIONS.map((q) => ({ ...q, id: `${q.id}b`, choices: q.choices.map((c) => ({ ...c, id: `${c.id}b` })) })), T0, null)).toBe(true);
    await s.surveys.submit(response('v1', [A('q1b', { choiceId: 'o1b' }), A('q3b', { value: 3 })], { surveyId: 's2' }), null, admitAll);
    await s.sites.remove('xa-a', () => auditOf('site.delete'));
    expect(await s.surveys.list(null)).toEqual([]);
    expect(await all(s.surveys.responses('s2'))).toEqual([]);
  });
});

// A full collection on demand, so heap samples measure what is retained rather than garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};
const MB = 1024 * 1024;

/** `n` responses of three answers each (a choice, a matrix value, a text), written straight in SQL (the API would take minutes). */
async function seedResponses(s: Storage, n: number): Promise<void> {
  if (s.backend === 'sqlite') {
    const db = (s as SqliteStorage).db;
    db.exec(`WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ${n})
      INSERT INTO survey_responses (id, survey_id, voter_hash, ip_hash, user_agent, created_at) SELECT i, 's1', 'v' || i, NULL, NULL, ${T0} + i FROM k`);
    db.exec(`INSERT INTO survey_answers (response_id, question_id, choice_id, value, text)
      SELECT id, 'q1', 'o1', NULL, NULL FROM survey_responses UNION ALL SELECT id, 'q4', 'i1', 4, NULL FROM survey_responses
      UNION ALL SELECT id, 'q5', '', NULL, 'Góp ý khá dài về thủ tục hành chính, số ' || id FROM survey_responses`);
  } else {
    // The storage's 5 s statement timeout is for requests; a loaded CI machine took longer than that to write
    // 180,000 answers in one statement, so the seeding runs in a transaction that lifts it on both ends.
    const client = await (s as PostgresStorage).pool.connect();
    // node-postgres reads query_timeout from a query's config, which its types leave out.
    const seed = (text: string) => client.query({ text, query_timeout: 600_000 } as { text: string });
    try {
      await seed('BEGIN');
      await seed('SET LOCAL statement_timeout = 0');
      await seed(`INSERT INTO survey_responses (survey_id, voter_hash, created_at) SELECT 's1', 'v' || i, ${T0}::bigint + i FROM generate_series(1, ${n}) AS i`);
      await seed(`INSERT INTO survey_answers (response_id, question_id, choice_id, value, text)
        SELECT id, 'q1', 'o1', NULL, NULL FROM survey_responses UNION ALL SELECT id, 'q4', 'i1', 4, NULL FROM survey_responses
        UNION ALL SELECT id, 'q5', '', NULL, 'Góp ý khá dài về thủ tục hành chính, số ' || id FROM survey_responses`);
      await seed('COMMIT');
    } finally {
      client.release();
    }
  }
}

forEachBackend('surveys store: the export stream', (open) => {
  it('streams 60,000 responses with their answers in flat memory', { timeout: 120_000 }, async () => {
    const s = await withSurvey(open);
    const N = 60_000;
    await seedResponses(s, N);
    const base = heap();
    let peak = 0;
    let n = 0;
    let bytes = 0;
    for await (const r of s.surveys.responses('s1')) {
      expect(r.answers).toHaveLength(3);
      bytes += JSON.stringify(r).length;
      if (++n % 10_000 === 0) peak = Math.max(peak, heap() - base);
    }
    peak = Math.max(peak, heap() - base);
    expect(n).toBe(N);
    expect(bytes).toBeGreaterThan(10 * MB);
    // Buffering the responses would retain at least their size as JSON.
    expect(peak).toBeLessThan(bytes / 4);
  });
});

forEachBackend('retention store: survey responses', (open) => {
  it('erases the IP hash and user agent of responses older than the cutoff, keeping the responses and their answers', async () => {
    const s = await withSurvey(open);
    await s.surveys.submit(response('old', answersOf(1), { at: T0 }), null, admitAll);
    await s.surveys.submit(response('new', answersOf(2), { at: T0 + 10_000 }), null, admitAll);
    expect(await s.retention.eraseBefore(T0 + 5_000)).toEqual({ ballots: 0, comments: 0, surveyResponses: 1 });
    expect(await s.retention.eraseBefore(T0 + 5_000)).toEqual({ ballots: 0, comments: 0, surveyResponses: 0 });
    expect((await all(s.surveys.responses('s1'))).map((r) => r.answers.length)).toEqual([answersOf(1).length, answersOf(2).length]);
    // The one-response check still holds for the erased one.
    expect(await s.surveys.submit(response('old', answersOf(1)), null, admitAll)).toEqual({ outcome: 'duplicate' });
  });
});
