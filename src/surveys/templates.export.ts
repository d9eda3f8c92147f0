import { z } from 'zod';
import type { TemplateExport } from '../api/exports.js';
import type { QuestionResults, SurveyResults, TemplateSurveyRow } from '../api/surveys.js';
import type { ActorRef } from '../audit/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import { jsonFile, jsonWithArray, tableFile, type ExportFile, type ExportFormat } from '../exports/exports.service.js';
import type { CellKind, Column as TableColumn, Table } from '../exports/table.js';
import { resolveWhen, when } from '../exports/exports.schema.js';
import { dateInZone, isoInZone, isoInZoneOrNull } from '../exports/zone.js';
import { slug } from '../validation/validate.js';
import type { TemplateResults, TemplateResultsQuery } from './templates.results.js';

/** A province's reports are read in Vietnam's time, whatever each commune's zone. */
export const REPORT_ZONE = 'Asia/Ho_Chi_Minh';

const sitesParam = z.union([slug(64), z.array(slug(64)).max(1000)]).transform((s) => (Array.isArray(s) ? s : [s]));

/** ?from=&to=&site=…&site=… (dates read in Vietnam's time). */
export const templateResultsQuery = z.strictObject({ from: when.optional(), to: when.optional(), site: sitesParam.optional() });
export const templateExportQuery = templateResultsQuery.extend({ format: z.enum(['csv', 'json', 'xlsx']).default('csv') });

export function resolveTemplateQuery(q: z.output<typeof templateResultsQuery>): TemplateResultsQuery {
  return { from: resolveWhen(q.from, REPORT_ZONE, false), to: resolveWhen(q.to, REPORT_ZONE, true), sites: q.site };
}

/** One column of the side-by-side table: its Vietnamese header, and the figure it takes from a row's results. */
interface Column {
  header: string;
  kind: CellKind;
  cell(r: SurveyResults): number | null;
}

const questionOf = (r: SurveyResults, id: string): QuestionResults | undefined => r.questions.find((q) => q.questionId === id);

/**
 * A column per option (its percentage), per scale (its mean), per matrix item (its mean) and per free-text
 * question (how many wrote one), numbered as the template numbers its questions.
 */
function columnsOf(t: TemplateResults): Column[] {
  const cols: Column[] = [];
  t.questions.forEach((q, i) => {
    const n = i + 1;
    switch (q.type) {
      case 'single':
      case 'multiple':
        q.options.forEach((o, j) =>
          cols.push({
            header: `${n}. ${q.title}: ${o.label} (%)`,
            kind: 'percent',
            cell: (r) => {
              const x = questionOf(r, q.id);
              return x && (x.type === 'single' || x.type === 'multiple') && x.total ? x.options[j]!.percent : null;
            },
          }),
        );
        break;
      case 'scale':
        cols.push({ header: `${n}. ${q.title} (điểm trung bình)`, kind: 'number', cell: (r) => { const x = questionOf(r, q.id); return x?.type === 'scale' ? x.mean : null; } });
        break;
      case 'matrix':
        q.items.forEach((item, j) =>
          cols.push({
            header: `${n}.${j + 1} ${q.title}: ${item.label} (điểm trung bình)`,
            kind: 'number',
            cell: (r) => { const x = questionOf(r, q.id); return x?.type === 'matrix' ? (x.items[j]?.mean ?? null) : null; },
          }),
        );
        break;
      case 'text':
        cols.push({ header: `${n}. ${q.title} (số ý kiến)`, kind: 'integer', cell: (r) => { const x = questionOf(r, q.id); return x ? x.answered : null; } });
        break;
    }
  });
  return cols;
}

/** The side-by-side table as a file: one row per survey (commune), then the province's pooled row. Audited as an export. */
export function templateExports(deps: { results: (id: string, q: TemplateResultsQuery) => Promise<TemplateResults>; audit: AuditService; now: () => number }) {
  return async (id: string, q: TemplateResultsQuery, opts: { format: ExportFormat; actor: ActorRef }): Promise<ExportFile> => {
    const t = await deps.results(id, q); // 404 for an unknown template
    const at = deps.now();
    await deps.audit.record({ actor: opts.actor, action: 'survey.template.export', targetType: 'template', targetId: id, siteId: null, detail: { format: opts.format, surveys: t.surveys.length } });
    const filename = `ykien-mau-${id}-${dateInZone(at, REPORT_ZONE)}.${opts.format}`;
    if (opts.format === 'json') {
      const head: Omit<TemplateExport, 'surveys'> = {
        template: t.template,
        timezone: REPORT_ZONE,
        from: isoInZoneOrNull(q.from ?? null, REPORT_ZONE),
        to: isoInZoneOrNull(q.to ?? null, REPORT_ZONE),
        exportedAt: isoInZone(at, REPORT_ZONE),
        questions: t.questions,
        province: t.province,
      };
      return jsonFile(filename, () => jsonWithArray(head, 'surveys', t.surveys, (s): TemplateSurveyRow => ({ ...s, createdAt: isoInZone(Date.parse(s.createdAt), REPORT_ZONE) })));
    }
    const cols = columnsOf(t);
    type Row = { site: string; name: string; survey: string; created: number | null; results: SurveyResults };
    const col = (key: string, title: string, kind: CellKind, value: (r: Row) => string | number | null): TableColumn<Row> => ({ key, csvHeader: title, title, kind, value });
    const table: Table<Row> = {
      sheet: 'Theo mẫu',
      timezone: REPORT_ZONE,
      columns: [
        col('site', 'Mã đơn vị', 'text', (r) => r.site),
        col('name', 'Đơn vị', 'text', (r) => r.name),
        col('survey', 'Mã khảo sát', 'text', (r) => r.survey),
        col('created', 'Ngày tạo', 'time', (r) => r.created),
        col('responses', 'Số phiếu', 'integer', (r) => r.results.responses),
        ...cols.map((c, i) => col(`c${i}`, c.header, c.kind, (r) => c.cell(r.results))),
      ],
    };
    const rows: Row[] = [
      ...t.surveys.map((s) => ({ site: s.site, name: s.siteName, survey: s.surveyId, created: Date.parse(s.createdAt), results: s.results })),
      { site: '', name: 'Toàn tỉnh', survey: '', created: null, results: t.province },
    ];
    return tableFile(filename, opts.format, table, () => rows);
  };
}
