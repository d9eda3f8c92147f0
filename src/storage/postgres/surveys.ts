import { SLOT_MS } from '../../exports/exports.store.js';
import type { NewResponse, ResponseState, SubmitResult, SurveyChange, SurveyCounts, SurveyDefinition, SurveysStore, TextAnswers } from '../../surveys/surveys.store.js';
import { countsBySurvey, deltasOf, emptyCounts, questionsBySurvey, toResponse, toSurvey, type ChoiceRow, type CountRow, type QuestionRow, type SurveyRow } from '../rows/surveys.js';
import { writeAudit } from './audit.js';
import type { PgDb } from './db.js';
import { inSnapshot } from './exports.js';
import { pgGroupCommit } from './groupCommit.js';
import { guard, type Client } from './pool.js';

type Rows = <R>(sql: string, params: unknown[]) => Promise<R[]>;
const on = (c: Client): Rows => async (sql, params) => (await c.query(sql, params)).rows;

const COUNTS = `
  SELECT id AS survey_id, 's' AS kind, id AS key, NULL::int AS value, total_responses AS n FROM surveys WHERE id = ANY($1)
  UNION ALL SELECT survey_id, 'q', id, NULL, answered FROM survey_questions WHERE survey_id = ANY($1)
  UNION ALL SELECT survey_id, 'c', id, NULL, count FROM survey_choices WHERE survey_id = ANY($1)
  UNION ALL SELECT survey_id, 'v', key_id, value, count FROM survey_value_counts WHERE survey_id = ANY($1)`;
const counts = async (rows: Rows, ids: readonly string[]) => countsBySurvey(await rows<CountRow>(COUNTS, [ids]));

const QUESTIONS = 'SELECT survey_id, id, type, title, section, required, settings FROM survey_questions WHERE survey_id = ANY($1) ORDER BY survey_id, position';
const CHOICES = 'SELECT question_id, id, label FROM survey_choices WHERE survey_id = ANY($1) ORDER BY question_id, position';

const RESPONSES = `
  SELECT r.id, r.created_at,
    COALESCE((SELECT json_agg(json_build_array(a.question_id, a.choice_id, a.value, a.text)) FROM survey_answers a WHERE a.response_id = r.id), '[]'::json) AS answers
  FROM survey_responses r WHERE r.survey_id = $1 ORDER BY r.created_at, r.id`;

const TEXTS = `
  SELECT q.id, q.answered AS total, t.at, t.text FROM survey_questions q
  LEFT JOIN LATERAL (
    SELECT r.created_at AS at, a.text, a.response_id FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id
    WHERE a.question_id = q.id AND a.text IS NOT NULL ORDER BY a.response_id DESC LIMIT $3) t ON TRUE
  WHERE q.survey_id = $1 AND q.id = ANY($2) AND q.type = 'text' ORDER BY q.id, t.response_id DESC`;

const SLOTS = `
  SELECT created_at / ${SLOT_MS} AS slot, COUNT(*)::int AS n FROM survey_responses
  WHERE survey_id = $1 AND created_at >= $2 AND created_at < $3 GROUP BY slot ORDER BY slot`;

async function definitionOn(c: Client, id: string, lock: boolean): Promise<SurveyDefinition | undefined> {
  const r = (await c.query<SurveyRow>(`SELECT * FROM surveys WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id])).rows[0];
  if (!r) return undefined;
  const qs = (await c.query<QuestionRow>(QUESTIONS, [[id]])).rows;
  const cs = (await c.query<ChoiceRow>(CHOICES, [[id]])).rows;
  return { survey: toSurvey(r), questions: questionsBySurvey(qs, cs).get(id) ?? [] };
}

async function apply(c: Client, current: SurveyDefinition, ch: SurveyChange, at: number): Promise<void> {
  const id = current.survey.id;
  if (ch.remove) {
    await c.query('DELETE FROM surveys WHERE id = $1', [id]);
    return;
  }
  if (ch.questions) {
    const kept = ch.questions.filter((q) => !q.isNew).map((q) => q.id);
    await c.query('DELETE FROM survey_questions WHERE survey_id = $1 AND NOT (id = ANY($2))', [id, kept]);
    // Positions are unique at COMMIT (DEFERRABLE): questions and choices may trade places here.
    for (const [i, q] of ch.questions.entries()) {
      if (q.isNew)
        await c.query('INSERT INTO survey_questions (id, survey_id, position, type, title, section, required, settings) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
          q.id, id, i, q.type, q.title, q.section, q.required, JSON.stringify(q.settings),
        ]);
      else
        await c.query('UPDATE survey_questions SET position = $3, type = $4, title = $5, section = $6, required = $7, settings = $8 WHERE id = $1 AND survey_id = $2', [
          q.id, id, i, q.type, q.title, q.section, q.required, JSON.stringify(q.settings),
        ]);
      if (!q.isNew) await c.query('DELETE FROM survey_choices WHERE question_id = $1 AND NOT (id = ANY($2))', [q.id, q.choices.filter((x) => !x.isNew).map((x) => x.id)]);
      for (const [j, x] of q.choices.entries()) {
        if (x.isNew) await c.query('INSERT INTO survey_choices (id, question_id, survey_id, position, label) VALUES ($1, $2, $3, $4, $5)', [x.id, q.id, id, j, x.label]);
        else await c.query('UPDATE survey_choices SET position = $3, label = $4 WHERE id = $1 AND question_id = $2', [x.id, q.id, j, x.label]);
      }
    }
  }
  const s = { ...current.survey, ...ch.fields };
  await c.query(
    'UPDATE surveys SET title = $2, intro = $3, opens_at = $4, closes_at = $5, closed_at = $6, results_visibility = $7, updated_at = GREATEST($8, updated_at + 1) WHERE id = $1',
    [id, s.title, s.intro, s.opensAt, s.closesAt, s.closedAt, s.resultsVisibility, at],
  );
}

interface Unit {
  response: NewResponse;
  ipSince: number | null;
  admit: (state: ResponseState) => void;
  resolve(r: SubmitResult): void;
  reject(err: unknown): void;
}

/** Count deltas of one batch, added up so each counter row is locked once per batch, in key order. */
interface Deltas {
  surveys: Map<string, number>;
  questions: Map<string, number>;
  choices: Map<string, number>;
  /** key `${keyId}\0${value}` */
  values: Map<string, { surveyId: string; questionId: string; key: string; value: number; n: number }>;
}

const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
const sorted = <V>(m: Map<string, V>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * Responses are group-committed per instance, as ballots are (groupCommit.ts): each response's rules see
 * the state read in the batch's transaction, its answers are written with it, and the counts are added at
 * the end of the batch. Across instances the respondent's uniqueness is the UNIQUE constraint, and the
 * per-network cap is taken under an advisory lock on (survey, network).
 */
function responseWriter(db: PgDb) {
  async function submitOne(c: Client, u: Unit, d: Deltas): Promise<(done: Map<string, SurveyCounts>) => void> {
    const r = u.response;
    const capped = u.ipSince !== null && r.ipHash !== null;
    if (capped) await c.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`survey/${r.surveyId}/${r.ipHash}`]);
    const st = (
      await c.query<SurveyRow & { responded: boolean; from_ip: number | null }>(
        `SELECT s.*, EXISTS (SELECT 1 FROM survey_responses WHERE survey_id = s.id AND voter_hash = $2) AS responded,
           CASE WHEN $3::bigint IS NULL THEN NULL
                ELSE (SELECT COUNT(*) FROM survey_responses WHERE survey_id = s.id AND ip_hash = $4 AND created_at > $3)::int END AS from_ip
         FROM surveys s WHERE s.id = $1`,
        [r.surveyId, r.voterHash, capped ? u.ipSince : null, r.ipHash],
      )
    ).rows[0];
    const survey = st && toSurvey(st);
    try {
      u.admit({ survey, alreadyResponded: st?.responded ?? false, responsesFromIp: st ? st.from_ip : null });
    } catch (err) {
      return () => u.reject(err);
    }
    const inserted = await c.query<{ id: number }>(
      `INSERT INTO survey_responses (survey_id, voter_hash, ip_hash, user_agent, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (survey_id, voter_hash) DO NOTHING RETURNING id`,
      [r.surveyId, r.voterHash, r.ipHash, r.userAgent, r.at],
    );
    const responseId = inserted.rows[0]?.id;
    if (responseId === undefined) return () => u.resolve({ outcome: 'duplicate' });
    if (r.answers.length)
      await c.query(
        `INSERT INTO survey_answers (response_id, question_id, choice_id, value, text)
         SELECT $1, q, ch, v, t FROM unnest($2::text[], $3::text[], $4::int[], $5::text[]) AS a(q, ch, v, t)`,
        [responseId, r.answers.map((a) => a.questionId), r.answers.map((a) => a.choiceId ?? ''), r.answers.map((a) => a.value), r.answers.map((a) => a.text)],
      );
    const delta = deltasOf(r.answers);
    add(d.surveys, r.surveyId);
    for (const q of delta.questions) add(d.questions, q);
    for (const ch of delta.choices) add(d.choices, ch);
    for (const v of delta.values) {
      const k = `${v.key}\0${v.value}`;
      const e = d.values.get(k);
      if (e) e.n += 1;
      else d.values.set(k, { surveyId: r.surveyId, questionId: v.questionId, key: v.key, value: v.value, n: 1 });
    }
    return (done) => u.resolve({ outcome: 'ok', survey: survey!, counts: done.get(r.surveyId) ?? emptyCounts() });
  }

  const queue = pgGroupCommit<Unit, Deltas, Map<string, SurveyCounts>>(db, {
    begin: () => ({ surveys: new Map(), questions: new Map(), choices: new Map(), values: new Map() }),
    run: submitOne,
    async end(c, d) {
      const surveys = sorted(d.surveys);
      if (!surveys.length) return new Map();
      const bump = async (table: string, column: string, entries: [string, number][]) => {
        if (entries.length)
          await c.query(`UPDATE ${table} AS t SET ${column} = t.${column} + d.n FROM unnest($1::text[], $2::bigint[]) AS d(id, n) WHERE t.id = d.id`, [
            entries.map(([k]) => k),
            entries.map(([, n]) => n),
          ]);
      };
      await bump('surveys', 'total_responses', surveys);
      await bump('survey_questions', 'answered', sorted(d.questions));
      await bump('survey_choices', 'count', sorted(d.choices));
      const values = sorted(d.values).map(([, v]) => v);
      if (values.length)
        await c.query(
          `INSERT INTO survey_value_counts (survey_id, question_id, key_id, value, count)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::bigint[])
           ON CONFLICT (key_id, value) DO UPDATE SET count = survey_value_counts.count + EXCLUDED.count`,
          [values.map((v) => v.surveyId), values.map((v) => v.questionId), values.map((v) => v.key), values.map((v) => v.value), values.map((v) => v.n)],
        );
      // Read in the same transaction: the counts as this batch leaves them.
      return counts(on(c), surveys.map(([id]) => id));
    },
    order: (a, b) => (a.response.surveyId + (a.response.ipHash ?? '')).localeCompare(b.response.surveyId + (b.response.ipHash ?? '')),
  });

  return (response: NewResponse, ipSince: number | null, admit: (state: ResponseState) => void) =>
    new Promise<SubmitResult>((resolve, reject) => queue({ response, ipSince, admit, resolve, reject }, reject));
}

export function pgSurveysStore(db: PgDb): SurveysStore {
  const submit = responseWriter(db);
  const responded = async (id: string, voterHash: string) => (await db.rows('SELECT 1 FROM survey_responses WHERE survey_id = $1 AND voter_hash = $2', [id, voterHash])).length > 0;
  return {
    definition: (id) => db.read((c) => definitionOn(c, id, false)),
    async list(sites) {
      const surveys = (await db.rows<SurveyRow>('SELECT * FROM surveys WHERE ($1::text[] IS NULL OR site_id = ANY($1)) ORDER BY created_at DESC, id', [sites])).map(toSurvey);
      const ids = surveys.map((s) => s.id);
      const [qs, cs, counted] = await Promise.all([db.rows<QuestionRow>(QUESTIONS, [ids]), db.rows<ChoiceRow>(CHOICES, [ids]), counts(db.rows, ids)]);
      const byId = questionsBySurvey(qs, cs);
      return surveys.map((s) => ({ survey: s, questions: byId.get(s.id) ?? [], counts: counted.get(s.id) ?? emptyCounts() }));
    },
    async state(id, voterHash) {
      const [c, r] = await Promise.all([counts(db.rows, [id]), voterHash ? responded(id, voterHash) : false]);
      return { counts: c.get(id) ?? emptyCounts(), responded: r };
    },
    hasResponded: responded,
    create: (s, questions, at, audit) =>
      db.write(async (c) => {
        const r = await c.query(
          `INSERT INTO surveys (id, site_id, title, intro, template, opens_at, closes_at, closed_at, results_visibility, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) ON CONFLICT (id) DO NOTHING`,
          [s.id, s.siteId, s.title, s.intro, s.template, s.opensAt, s.closesAt, s.closedAt, s.resultsVisibility, at],
        );
        if (r.rowCount !== 1) return false;
        for (const [i, q] of questions.entries()) {
          await c.query('INSERT INTO survey_questions (id, survey_id, position, type, title, section, required, settings) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
            q.id, s.id, i, q.type, q.title, q.section, q.required, JSON.stringify(q.settings),
          ]);
          if (q.choices.length)
            await c.query(
              'INSERT INTO survey_choices (id, question_id, survey_id, position, label) SELECT id, $2, $3, pos - 1, label FROM unnest($1::text[], $4::text[]) WITH ORDINALITY AS x(id, label, pos)',
              [q.choices.map((x) => x.id), q.id, s.id, q.choices.map((x) => x.label)],
            );
        }
        await writeAudit(c, audit);
        return true;
      }),
    change: (id, at, plan) =>
      db.write(async (c) => {
        const current = await definitionOn(c, id, true);
        const { change: ch, result } = plan(current);
        if (current && (ch.remove || ch.fields || ch.questions)) await apply(c, current, ch, at);
        await writeAudit(c, ch.audit);
        return result;
      }),
    submit,
    async texts(surveyId, questionIds, limit) {
      const out = new Map<string, TextAnswers>();
      for (const r of await db.rows<{ id: string; total: number; at: number | null; text: string | null }>(TEXTS, [surveyId, questionIds, limit])) {
        let e = out.get(r.id);
        if (!e) out.set(r.id, (e = { total: Number(r.total), latest: [] }));
        if (r.text !== null) e.latest.push({ at: Number(r.at), text: r.text });
      }
      return out;
    },
    responses: (surveyId) => inSnapshot(db, RESPONSES, [surveyId], toResponse),
    async responseSlots(surveyId, from, to) {
      const rows = await db.rows<{ slot: number; n: number }>(SLOTS, [surveyId, from, to]);
      return rows.map((r) => ({ start: Number(r.slot) * SLOT_MS, ballots: r.n }));
    },
  };
}
