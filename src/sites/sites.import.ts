import { parse as parseCsv, type Info } from 'csv-parse/sync';
import { parse } from '../validation/validate.js';
import { ValidationError } from '../errors.js';
import { createSiteSchema, type CreateSiteInput } from './sites.schema.js';

/** The columns of a sites CSV, in any order; `id` and `name` are required. */
export const IMPORT_COLUMNS = ['id', 'name', 'origins', 'timezone'] as const;
type Column = (typeof IMPORT_COLUMNS)[number];

/** One problem of an import, with the line of the file it is on (1 = the header). */
export interface ImportIssue {
  line: number;
  id?: string;
  field: string;
  message: string;
}

export interface ImportRow {
  line: number;
  input: CreateSiteInput;
  /** Which cells were filled: an empty cell leaves an existing site's value alone (--update). */
  given: { origins: boolean; timezone: boolean };
}

/** Refuses the whole import, listing every problem at once (nothing is written). */
export class ImportError extends ValidationError {
  constructor(readonly issues: ImportIssue[]) {
    super(
      issues.map((i) => ({ field: `line ${i.line}${i.id ? ` (${i.id})` : ''}: ${i.field}`, message: i.message })),
      `${issues.length} problem(s) in the file; nothing was written.`,
    );
  }
}

/**
 * Reads a CSV of sites (UTF-8, with or without a byte-order mark, comma-separated, a header row)
 * into rows checked with the API's own schema. Origins in a cell are separated by spaces, ";" or ",".
 * Every problem is collected with its line number; any problem throws ImportError.
 */
export function parseSitesCsv(data: string | Buffer): ImportRow[] {
  // One line ending everywhere: csv-parse miscounts lines after an empty CRLF line, and no field may hold a line break anyway.
  const text = (typeof data === 'string' ? data : data.toString('utf8')).replace(/\r\n?/g, '\n');
  let records: { record: string[]; info: Info }[];
  try {
    // With `info: true` each record comes as { record, info }, which csv-parse's types do not model.
    records = parseCsv(text, { bom: true, info: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as unknown as typeof records;
  } catch (e) {
    const lines = (e as { lines?: number }).lines;
    throw new ImportError([{ line: lines ?? 1, field: 'csv', message: (e as Error).message }]);
  }
  if (!records.length) throw new ImportError([{ line: 1, field: 'header', message: `the file is empty; the first line must be ${IMPORT_COLUMNS.join(',')}` }]);

  const issues: ImportIssue[] = [];
  const header = records[0]!.record.map((h) => h.toLowerCase());
  const unknown = header.filter((h) => !(IMPORT_COLUMNS as readonly string[]).includes(h));
  const missing = (['id', 'name'] as const).filter((c) => !header.includes(c));
  const repeated = header.filter((h, i) => header.indexOf(h) !== i);
  if (unknown.length || missing.length || repeated.length) {
    const what = [
      unknown.length && `unknown column(s) ${unknown.map((u) => JSON.stringify(u)).join(', ')}`,
      missing.length && `missing column(s) ${missing.join(', ')}`,
      repeated.length && `repeated column(s) ${repeated.join(', ')}`,
    ].filter(Boolean);
    throw new ImportError([{ line: 1, field: 'header', message: `${what.join('; ')}; the columns are ${IMPORT_COLUMNS.join(',')}` }]);
  }

  const rows: ImportRow[] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of records.slice(1)) {
    // info.lines is where the record ends; a quoted cell may span lines.
    const line = info.lines - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
    if (record.length !== header.length) {
      issues.push({ line, field: 'csv', message: `${record.length} cell(s), but the header has ${header.length}` });
      continue;
    }
    const cell = (c: Column) => {
      const i = header.indexOf(c);
      return i < 0 ? '' : record[i]!;
    };
    const id = cell('id');
    const origins = cell('origins').split(/[\s;,]+/).filter(Boolean);
    const candidate = { id, name: cell('name'), origins, ...(cell('timezone') ? { timezone: cell('timezone') } : {}) };
    try {
      const input = parse(createSiteSchema, candidate);
      const first = seen.get(input.id);
      if (first !== undefined) issues.push({ line, id, field: 'id', message: `repeats the site of line ${first}` });
      else seen.set(input.id, line);
      rows.push({ line, input, given: { origins: origins.length > 0, timezone: cell('timezone') !== '' } });
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      for (const f of e.errors) issues.push({ line, ...(id ? { id } : {}), field: f.field, message: f.message });
    }
  }
  if (issues.length) throw new ImportError(issues);
  return rows;
}
