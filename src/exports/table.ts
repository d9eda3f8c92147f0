import { zonedIsoFormatter } from './zone.js';

/**
 * What a column holds, which decides how each format writes it: CSV writes text and numbers as they
 * are and times as ISO 8601 with the offset; XLSX writes typed cells (src/exports/xlsx.ts).
 * - `text`: always a text cell, even "0905123456", "1/2" or "=1+1".
 * - `integer`, `number`: number cells.
 * - `percent`: percentage points (23.8), as the API gives them; XLSX writes the fraction (0.238) shown as 23.8%.
 * - `time`: epoch ms.
 */
export type CellKind = 'text' | 'integer' | 'number' | 'percent' | 'time';

export type CellValue = string | number | null;

/** One column of an export, described once for CSV and XLSX alike. */
export interface Column<R> {
  /** The CSV header: a stable machine name (part of the CSV contract), and the key of the row CSV writes. */
  key: string;
  /** The CSV header when it is not `key` (a survey question's number and title). */
  csvHeader?: string;
  /** The XLSX header, for people: Vietnamese (a time column's header gets its time zone appended). */
  title: string;
  kind: CellKind;
  value(row: R): CellValue;
}

/** An export's rows as a table: the one description both CSV and XLSX are written from. */
export interface Table<R> {
  /** The XLSX sheet's name (at most 31 characters, none of : \ / ? * [ ]). */
  sheet: string;
  columns: readonly Column<R>[];
  /** The zone of every time in an XLSX file (Excel has no zone: the local wall time is written), named in the headers. */
  timezone: string;
  /** The zone CSV writes a row's times in, with the offset beside (default: `timezone`). */
  zoneOf?: (row: R) => string;
}

/** A column: its CSV key, its XLSX title, what it holds, and how a row fills it. */
export const column = <R>(key: string, title: string, kind: CellKind, value: (row: R) => CellValue): Column<R> => ({ key, title, kind, value });

/** The headers the CSV writer takes: the key, or the key and the header to show. */
export const csvColumns = (t: Table<unknown>) => t.columns.map((c) => (c.csvHeader === undefined ? c.key : { key: c.key, header: c.csvHeader }));

/** Turns rows into the records the CSV writer takes: times as ISO 8601 in the row's zone, with its offset. */
export function csvRecord<R>(t: Table<R>): (row: R) => Record<string, CellValue> {
  const formatters = new Map<string, (ms: number) => string>();
  const isoIn = (tz: string) => {
    let f = formatters.get(tz);
    if (!f) formatters.set(tz, (f = zonedIsoFormatter(tz)));
    return f;
  };
  return (row) => {
    const out: Record<string, CellValue> = {};
    const iso = isoIn(t.zoneOf ? t.zoneOf(row) : t.timezone);
    for (const c of t.columns) {
      const v = c.value(row);
      out[c.key] = c.kind === 'time' && typeof v === 'number' ? iso(v) : v;
    }
    return out;
  };
}
