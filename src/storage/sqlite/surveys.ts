import type { AuditRecord } from '../../audit/audit.store.js';
import { SLOT_MS } from '../../exports/exports.store.js';
import type { NewResponse, NewSurvey, QuestionRecord, ResponseState, SurveyChange, SurveyCounts, SurveyDefinition, SurveysStore, TextAnswers } from '../../surveys/surveys.store.js';
import { countsBySurvey, deltasOf, emptyCounts, questionsBySurvey, toResponse, toSurvey, type ChoiceRow, type CountRow, type ExportRow, type QuestionRow, type SurveyRow } from '../rows/surveys.js';
import { auditWriter } from './audit.js';
import { inSnapshot } from './exports.js';
import type { GroupCommit } from './groupCommit.js';
import type { Db } from './open.js';
import { isUniqueViolation, sitesFilter } from './util.js';

const COUNTS = (where: string) => `
  SELECT id AS survey_id, 's' AS kind, id AS key, NULL AS value, total_responses AS n FROM surveys WHERE id ${where}
  UNION ALL SELECT survey_id, 'q', id, NULL, answered FROM survey_questions WHERE survey_id ${where}
  UNION ALL SELECT survey_id, 'c', id, NULL, count FROM survey_choices WHERE survey_id ${where}
  UNION ALL SELECT survey_id, 'v', key_id, value, count FROM survey_value_counts WHERE survey_id ${where}`;

const RESPONSES = `
  SELECT r.id, r.created_at,
    (SELECT json_group_array(json_array(a.question_id, a.choice_id, a.value, a.text)) FROM survey_answers a WHERE a.response_id = r.id) AS answers
  FROM survey_responses r WHERE r.survey_id = ? ORDER BY r.created_at, r.id`;

export function sqliteSurveysStore(db: Db, commit: GroupCommit): SurveysStore {
  const writeAudit = auditWriter(db);
  const SITES = '(@all = 1 OR site_id IN (SELECT value FROM json_each(@sites)))';
  const s = {
    insertSurvey: db.prepare(
      `INSERT INTO surveys (id, site_id, title, intro, template, opens_at, closes_at, closed_at, results_visibility, created_at, updated_at)
       VALUES (@id, @siteId, @title, @intro, @template, @opensAt, @closesAt, @closedAt, @resultsVisibility, @at, @at)`,
    ),
    insertQuestion: db.prepare(
      'INSERT INTO survey_questions (id, survey_id, position, type, title, section, required, settings) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    updateQuestion: db.prepare('UPDATE survey_questions SET position = ?, type = ?, title = ?, section = ?, required = ?, settings = ? WHERE id = ? AND survey_id = ?'),
    moveQuestion: db.prepare('UPDATE survey_questions SET position = ? WHERE id = ?'),
    deleteQuestion: db.prepare('DELETE FROM survey_questions WHERE id = ? AND survey_id = ?'),
    insertChoice: db.prepare('INSERT INTO survey_choices (id, question_id, survey_id, position, label) VALUES (?, ?, ?, ?, ?)'),
    updateChoice: db.prepare('UPDATE survey_choices SET position = ?, label = ? WHERE id = ? AND question_id = ?'),
    moveChoice: db.prepare('UPDATE survey_choices SET position = ? WHERE id = ?'),
    deleteChoice: db.prepare('DELETE FROM survey_choices WHERE id = ? AND question_id = ?'),
    getSurvey: db.prepare('SELECT * FROM surveys WHERE id = ?'),
    questions: db.prepare('SELECT survey_id, id, type, title, section, required, settings FROM survey_questions WHERE survey_id = ? ORDER BY position'),
    choices: db.prepare('SELECT question_id, id, label FROM survey_choices WHERE survey_id = ? ORDER BY question_id, position'),
    listSurveys: db.prepare(`SELECT * FROM surveys WHERE ${SITES} ORDER BY created_at DESC, id`),
    listQuestions: db.prepare(
      `SELECT survey_id, id, type, title, section, required, settings FROM survey_questions
       WHERE survey_id IN (SELECT id FROM surveys WHERE ${SITES}) ORDER BY survey_id, position`,
    ),
    listChoices: db.prepare(
      `SELECT question_id, id, label FROM survey_choices WHERE survey_id IN (SELECT id FROM surveys WHERE ${SITES}) ORDER BY question_id, position`,
    ),
    counts: db.prepare(COUNTS('= @id')),
    listCounts: db.prepare(COUNTS(`IN (SELECT id FROM surveys WHERE ${SITES})`)),
    updateSurvey: db.prepare(
      `UPDATE surveys SET title = @title, intro = @intro, opens_at = @opensAt, closes_at = @closesAt, closed_at = @closedAt,
         results_visibility = @resultsVisibility, updated_at = MAX(@at, updated_at + 1) WHERE id = @id`,
    ),
    deleteSurvey: db.prepare('DELETE FROM surveys WHERE id = ?'),
    hasResponded: db.prepare('SELECT 1 FROM survey_responses WHERE survey_id = ? AND voter_hash = ?').pluck(),
    fromIp: db.prepare('SELECT COUNT(*) FROM survey_responses WHERE survey_id = ? AND ip_hash = ? AND created_at > ?').pluck(),
    insertResponse: db.prepare('INSERT INTO survey_responses (survey_id, voter_hash, ip_hash, user_agent, created_at) VALUES (?, ?, ?, ?, ?)'),
    insertAnswer: db.prepare('INSERT INTO survey_answers (response_id, question_id, choice_id, value, text) VALUES (?, ?, ?, ?, ?)'),
    bumpSurvey: db.prepare('UPDATE surveys SET total_responses = total_responses + 1 WHERE id = ?'),
    bumpQuestion: db.prepare('UPDATE survey_questions SET answered = answered + 1 WHERE id = ?'),
    bumpChoice: db.prepare('UPDATE survey_choices SET count = count + 1 WHERE id = ?'),
    bumpValue: db.prepare(
      `INSERT INTO survey_value_counts (survey_id, question_id, key_id, value, count) VALUES (?, ?, ?, ?, 1)
       ON CONFLICT (key_id, value) DO UPDATE SET count = count + 1`,
    ),
    textTotal: db.prepare("SELECT answered FROM survey_questions WHERE id = ? AND survey_id = ? AND type = 'text'").pluck(),
    texts: db.prepare(
      `SELECT r.created_at AS at, a.text FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id
       WHERE a.question_id = ? AND a.text IS NOT NULL ORDER BY a.response_id DESC LIMIT ?`,
    ),
    slots: db.prepare(
      `SELECT created_at / ${SLOT_MS} AS slot, COUNT(*) AS n FROM survey_responses
       WHERE survey_id = ? AND created_at >= ? AND created_at < ? GROUP BY slot ORDER BY slot`,
    ),
  };

  const survey = (id: string) => {
    const r = s.getSurvey.get(id) as SurveyRow | undefined;
    return r && toSurvey(r);
  };
  const definition = (id: string): SurveyDefinition | undefined => {
    const sv = survey(id);
    if (!sv) return undefined;
    const qs = questionsBySurvey(s.questions.all(id) as QuestionRow[], s.choices.all(id) as ChoiceRow[]);
    return { survey: sv, questions: qs.get(id) ?? [] };
  };
  const counts = (id: string): SurveyCounts => countsBySurvey(s.counts.all({ id }) as CountRow[]).get(id) ?? emptyCounts();

  const state = db.transaction((id: string, voterHash: string | null) => ({
    counts: counts(id),
    responded: voterHash ? s.hasResponded.get(id, voterHash) === 1 : false,
  }));

  const insertQuestions = (surveyId: string, questions: readonly QuestionRecord[]) =>
    questions.forEach((q, i) => {
      s.insertQuestion.run(q.id, surveyId, i, q.type, q.title, q.section, q.required ? 1 : 0, JSON.stringify(q.settings));
      q.choices.forEach((c, j) => s.insertChoice.run(c.id, q.id, surveyId, j, c.label));
    });

  const create = db.transaction((sv: NewSurvey, questions: readonly QuestionRecord[], at: number, audit: AuditRecord | null) => {
    if (s.getSurvey.get(sv.id)) return false;
    s.insertSurvey.run({ ...sv, at });
    insertQuestions(sv.id, questions);
    writeAudit(audit);
    return true;
  });

  function apply(current: SurveyDefinition, c: SurveyChange, at: number): void {
    const id = current.survey.id;
    if (c.remove) {
      s.deleteSurvey.run(id);
      return;
    }
    if (c.questions) {
      const kept = new Set(c.questions.filter((q) => !q.isNew).map((q) => q.id));
      for (const q of current.questions) if (!kept.has(q.id)) s.deleteQuestion.run(q.id, id);
      // Out of the way first: (survey_id, position) and (question_id, position) are unique.
      c.questions.forEach((q, i) => !q.isNew && s.moveQuestion.run(-1 - i, q.id));
      const before = new Map(current.questions.map((q) => [q.id, q]));
      c.questions.forEach((q, i) => {
        if (q.isNew) {
          s.insertQuestion.run(q.id, id, i, q.type, q.title, q.section, q.required ? 1 : 0, JSON.stringify(q.settings));
          q.choices.forEach((ch, j) => s.insertChoice.run(ch.id, q.id, id, j, ch.label));
          return;
        }
        s.updateQuestion.run(i, q.type, q.title, q.section, q.required ? 1 : 0, JSON.stringify(q.settings), q.id, id);
        const keptChoices = new Set(q.choices.filter((ch) => !ch.isNew).map((ch) => ch.id));
        for (const ch of before.get(q.id)!.choices) if (!keptChoices.has(ch.id)) s.deleteChoice.run(ch.id, q.id);
        q.choices.forEach((ch, j) => !ch.isNew && s.moveChoice.run(-1 - j, ch.id));
        q.choices.forEach((ch, j) => (ch.isNew ? s.insertChoice.run(ch.id, q.id, id, j, ch.label) : s.updateChoice.run(j, ch.label, ch.id, q.id)));
      });
    }
    s.updateSurvey.run({ ...current.survey, ...c.fields, at });
  }

  const change = db.transaction((id: string, at: number, plan: (current: SurveyDefinition | undefined) => { change: SurveyChange; result: unknown }): unknown => {
    const current = definition(id);
    const { change: c, result } = plan(current);
    if (current && (c.remove || c.fields || c.questions)) apply(current, c, at);
    writeAudit(c.audit);
    return result;
  });

  /** One response, run by the group commit inside its own savepoint: all of it or none. */
  function submit(r: NewResponse, ipSince: number | null, admit: (state: ResponseState) => void) {
    const sv = survey(r.surveyId);
    const alreadyResponded = sv ? s.hasResponded.get(r.surveyId, r.voterHash) === 1 : false;
    const responsesFromIp = sv && ipSince !== null && r.ipHash ? (s.fromIp.get(r.surveyId, r.ipHash, ipSince) as number) : null;
    admit({ survey: sv, alreadyResponded, responsesFromIp });
    let responseId: number | bigint;
    try {
      responseId = s.insertResponse.run(r.surveyId, r.voterHash, r.ipHash, r.userAgent, r.at).lastInsertRowid;
    } catch (err) {
      if (isUniqueViolation(err)) return { outcome: 'duplicate' as const };
      throw err;
    }
    for (const a of r.answers) s.insertAnswer.run(responseId, a.questionId, a.choiceId ?? '', a.value, a.text);
    const d = deltasOf(r.answers);
    s.bumpSurvey.run(r.surveyId);
    for (const q of d.questions) s.bumpQuestion.run(q);
    for (const ch of d.choices) s.bumpChoice.run(ch);
    for (const v of d.values) s.bumpValue.run(r.surveyId, v.questionId, v.key, v.value);
    return { outcome: 'ok' as const, survey: sv!, counts: counts(r.surveyId) };
  }

  const texts = db.transaction((surveyId: string, questionIds: readonly string[], limit: number) => {
    const out = new Map<string, TextAnswers>();
    for (const q of questionIds) {
      const total = s.textTotal.get(q, surveyId) as number | undefined;
      if (total === undefined) continue;
      out.set(q, { total, latest: s.texts.all(q, limit) as { at: number; text: string }[] });
    }
    return out;
  });

  return {
    definition: async (id) => definition(id),
    async list(sites) {
      const filter = sitesFilter(sites);
      const surveys = (s.listSurveys.all(filter) as SurveyRow[]).map(toSurvey);
      const qs = questionsBySurvey(s.listQuestions.all(filter) as QuestionRow[], s.listChoices.all(filter) as ChoiceRow[]);
      const cs = countsBySurvey(s.listCounts.all(filter) as CountRow[]);
      return surveys.map((sv) => ({ survey: sv, questions: qs.get(sv.id) ?? [], counts: cs.get(sv.id) ?? emptyCounts() }));
    },
    state: async (id, voterHash) => state(id, voterHash),
    hasResponded: async (id, voterHash) => s.hasResponded.get(id, voterHash) === 1,
    create: async (sv, questions, at, audit) => create.immediate(sv, questions, at, audit),
    change: async (id, at, plan) => change.immediate(id, at, plan) as never,
    submit: (r, ipSince, admit) => commit(() => submit(r, ipSince, admit)),
    texts: async (surveyId, questionIds, limit) => texts(surveyId, questionIds, limit),
    responses: (surveyId) =>
      inSnapshot(db, function* (conn) {
        for (const r of conn.prepare(RESPONSES).iterate(surveyId) as IterableIterator<ExportRow>) yield toResponse(r);
      }),
    async responseSlots(surveyId, from, to) {
      const rows = s.slots.all(surveyId, from, to) as { slot: number; n: number }[];
      return rows.map((r) => ({ start: r.slot * SLOT_MS, ballots: r.n }));
    },
  };
}
