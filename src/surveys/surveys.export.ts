import { z } from 'zod';
import type { ActorRef } from '../audit/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import { foldTimeline, jsonFile, jsonWithArray, tableFile, timelineRange, type ExportFile, type ExportFormat, type TimelineQuery } from '../exports/exports.service.js';
import { column, type CellValue, type Column, type Table } from '../exports/table.js';
import { dateInZone, isoInZone, isoInZoneOrNull, zonedIsoFormatter } from '../exports/zone.js';
import type { SitesService } from '../sites/sites.service.js';
import type { SurveysService } from './surveys.service.js';
import type { QuestionRecord, ResponseExportRecord, SurveyDefinition } from './surveys.store.js';
import { surveyNotFound } from './surveys.domain.js';
import { questionView } from './surveys.views.js';

export const surveyExportQuery = z.strictObject({ format: z.enum(['csv', 'json', 'xlsx']).default('csv') });

/** A question's column: its header, what it holds, and how a response's answers fill it. */
interface QuestionColumn {
  header: string;
  kind: 'text' | 'number';
  cell(answers: ResponseExportRecord['answers']): CellValue;
}

/**
 * A column per question, or per matrix item, headed by its number and title ("4.2 Thủ tục hành chính: Thành
 * phần hồ sơ đúng quy định"), so two questions with the same title stay two columns. Multiple choices are
 * the chosen labels joined with "; " in the options' order.
 */
function columnsOf(questions: readonly QuestionRecord[]): QuestionColumn[] {
  const cols: QuestionColumn[] = [];
  questions.forEach((q, i) => {
    const n = i + 1;
    const label = new Map(q.choices.map((c) => [c.id, c.label]));
    const mine = (answers: ResponseExportRecord['answers']) => answers.filter((a) => a.questionId === q.id);
    switch (q.type) {
      case 'single':
        cols.push({ header: `${n}. ${q.title}`, kind: 'text', cell: (a) => { const x = mine(a)[0]; return x?.choiceId ? (label.get(x.choiceId) ?? x.choiceId) : null; } });
        break;
      case 'multiple': {
        const order = new Map(q.choices.map((c, j) => [c.id, j]));
        cols.push({
          header: `${n}. ${q.title}`,
          kind: 'text',
          cell: (a) => {
            const chosen = mine(a).flatMap((x) => (x.choiceId ? [x.choiceId] : [])).sort((x, y) => (order.get(x) ?? 0) - (order.get(y) ?? 0));
            return chosen.length ? chosen.map((c) => label.get(c) ?? c).join('; ') : null;
          },
        });
        break;
      }
      case 'scale':
        cols.push({ header: `${n}. ${q.title}`, kind: 'number', cell: (a) => mine(a)[0]?.value ?? null });
        break;
      case 'matrix':
        q.choices.forEach((item, j) =>
          cols.push({ header: `${n}.${j + 1} ${q.title}: ${item.label}`, kind: 'number', cell: (a) => mine(a).find((x) => x.choiceId === item.id)?.value ?? null }),
        );
        break;
      case 'text':
        cols.push({ header: `${n}. ${q.title}`, kind: 'text', cell: (a) => mine(a)[0]?.text ?? null });
        break;
    }
  });
  return cols;
}

/**
 * The responses table: id, time, then a column per question (CSV keys q0, q1… headed by the question, as a survey
 * question's title may hold dots, which the CSV writer would read as paths).
 */
function responsesTable(questions: readonly QuestionRecord[], timezone: string): Table<ResponseExportRecord> {
  const columns: Column<ResponseExportRecord>[] = [
    column('response_id', 'Mã phiếu trả lời', 'integer', (r) => r.id),
    column('answered_at', 'Trả lời lúc', 'time', (r) => r.at),
    ...columnsOf(questions).map((c, i) => ({ ...column<ResponseExportRecord>(`q${i}`, c.header, c.kind, (r) => c.cell(r.answers)), csvHeader: c.header })),
  ];
  return { sheet: 'Phiếu trả lời', timezone, columns };
}

/** A response's answers as the API takes them: option ids, numbers, { itemId: number }, text. */
function answersView(def: SurveyDefinition, r: ResponseExportRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const q of def.questions) {
    const mine = r.answers.filter((a) => a.questionId === q.id);
    if (!mine.length) continue;
    if (q.type === 'single') out[q.id] = mine[0]!.choiceId;
    else if (q.type === 'multiple') out[q.id] = q.choices.filter((c) => mine.some((a) => a.choiceId === c.id)).map((c) => c.id);
    else if (q.type === 'scale') out[q.id] = mine[0]!.value;
    else if (q.type === 'matrix') out[q.id] = Object.fromEntries(q.choices.flatMap((c) => { const a = mine.find((x) => x.choiceId === c.id); return a ? [[c.id, a.value]] : []; }));
    else out[q.id] = mine[0]!.text;
  }
  return out;
}

/** A survey's exports (one row per response, streamed) and its timeline of responses, in the site's time zone. */
export function surveyExports(deps: { surveys: SurveysService; sites: SitesService; audit: AuditService; defaultTimezone: string; now: () => number }) {
  const zoneOf = async (site: string) => (await deps.sites.get(site))?.timezone ?? deps.defaultTimezone;
  return {
    async file(id: string, opts: { format: ExportFormat; actor: ActorRef }): Promise<ExportFile> {
      const view = await deps.surveys.adminView(id); // 404 when missing
      const def = await deps.surveys.definition(id);
      const tz = await zoneOf(view.site);
      const t = deps.now();
      await deps.audit.record({ actor: opts.actor, action: 'survey.export', targetType: 'survey', targetId: id, siteId: view.site, detail: { format: opts.format } });
      const iso = zonedIsoFormatter(tz);
      const filename = `ykien-survey-${id}-${dateInZone(t, tz)}.${opts.format}`;
      if (opts.format === 'json') {
        const local = (s: string | null) => isoInZoneOrNull(s === null ? null : Date.parse(s), tz);
        const head = {
          survey: { id, site: view.site, title: view.title, intro: view.intro, template: view.template, status: view.status, opensAt: local(view.opensAt), closesAt: local(view.closesAt), createdAt: local(view.createdAt) },
          timezone: tz,
          exportedAt: isoInZone(t, tz),
          questions: def.questions.map(questionView),
          results: view.results,
        };
        return jsonFile(filename, () => jsonWithArray(head, 'responses', deps.surveys.responses(id), (r) => ({ id: r.id, answeredAt: iso(r.at), answers: answersView(def, r) })));
      }
      return tableFile(filename, opts.format, responsesTable(def.questions, tz), () => deps.surveys.responses(id));
    },

    async timeline(id: string, q: TimelineQuery) {
      const site = await deps.surveys.siteOf(id);
      if (!site) throw surveyNotFound(id);
      const tz = await zoneOf(site);
      const opts = timelineRange(q, tz);
      const rows = await deps.surveys.responseSlots(id, opts.from ?? 0, opts.to ?? Number.MAX_SAFE_INTEGER);
      const { total, buckets } = foldTimeline(rows, opts, tz, 'responses');
      return { surveyId: id, bucket: opts.bucket, timezone: tz, total, buckets };
    },
  };
}

export type SurveyExports = ReturnType<typeof surveyExports>;
