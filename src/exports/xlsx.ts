import { once } from 'node:events';
import { PassThrough, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type ExcelJS from 'exceljs';
import type { Column, Table } from './table.js';
import { offsetMinutes } from './zone.js';

/** exceljs (~29 MB of RSS with what it pulls in) loads with the first spreadsheet, not at start: most processes never write one. */
let excel: Promise<typeof ExcelJS> | undefined;
const loadExcel = () => (excel ??= import('exceljs').then((m) => m.default));

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Rows read before the sheet starts, to size the columns (a streamed sheet's widths come before its rows). */
const SAMPLE_ROWS = 100;
const MIN_WIDTH = 8;
const MAX_WIDTH = 60;
/** Excel refuses a file with a longer cell; no text ykien stores is this long, imports might be. */
const MAX_CELL_TEXT = 32_767;
/** Rows written between two looks at the file's consumer. */
const BATCH = 256;

const NUM_FMT: Partial<Record<Column<unknown>['kind'], string>> = {
  text: '@',
  integer: '0',
  percent: '0.0%',
  time: 'dd/mm/yyyy hh:mm:ss',
};

/** U+FFFE/U+FFFF are not XML characters (exceljs drops the C0 controls itself); a lone surrogate becomes U+FFFD as UTF-8. */
const NOT_XML = /[\uFFFE\uFFFF]/g;
const text = (s: string) => s.replace(NOT_XML, '').normalize('NFC').slice(0, MAX_CELL_TEXT);

/**
 * Excel has no time zones: a date cell is a wall time. The instant's wall time in `tz`, as the Date whose UTC
 * fields are that wall time (what exceljs turns into a serial date).
 */
function wallTime(tz: string): (ms: number) => Date {
  const offsets = new Map<number, number>();
  return (ms) => {
    // Offsets change only on 15-minute boundaries: one Intl lookup per slot, as zonedIsoFormatter does.
    const slot = Math.floor(ms / 900_000);
    let off = offsets.get(slot);
    if (off === undefined) {
      off = offsetMinutes(ms, tz) * 60_000;
      if (offsets.size > 50_000) offsets.clear();
      offsets.set(slot, off);
    }
    return new Date(Math.floor(ms / 1000) * 1000 + off);
  };
}

/** A column's header in the file: its title, NFC, with the time zone for times ("Thời gian (Asia/Ho_Chi_Minh)"). */
export const xlsxHeader = (c: Column<unknown>, tz: string) => (c.kind === 'time' ? `${c.title} (${tz})` : c.title).normalize('NFC');

function cellOf<R>(c: Column<R>, row: R, wall: (ms: number) => Date): string | number | Date | null {
  const v = c.value(row);
  if (v === null) return null;
  switch (c.kind) {
    case 'text':
      // Never a formula: exceljs writes a string as a string cell, whatever it starts with.
      return text(String(v));
    case 'time':
      return typeof v === 'number' ? wall(v) : text(v);
    case 'percent':
      // Percentage points with one decimal → the exact fraction (23.8 → 0.238), shown as 23.8%.
      return typeof v === 'number' ? Math.round(v * 10) / 1000 : text(v);
    default:
      return typeof v === 'number' ? v : text(v);
  }
}

/** Width in characters of what a cell shows. */
function shownWidth(c: Column<unknown>, v: ReturnType<typeof cellOf>): number {
  if (v === null) return 0;
  if (c.kind === 'time') return 19;
  if (c.kind === 'percent') return 6;
  const s = String(v);
  const nl = s.indexOf('\n');
  return nl === -1 ? s.length : nl;
}

/** A writable's "full" flag: Node's own streams and readable-stream 2 (which archiver, under exceljs, uses) alike. */
const full = (w: Writable) => w.writableNeedDrain ?? (w as unknown as { _writableState?: { needDrain?: boolean } })._writableState?.needDrain ?? false;

/**
 * exceljs's streamed sheet hands its XML to the zip without waiting (its buffer ignores write()'s answer): left
 * alone, a slow client would make the whole file pile up in memory. The sheet's zip entry says when it is full,
 * as does our output: wait for both to drain. Rows may also come without ever leaving the microtask queue (SQLite
 * reads synchronously): zlib and the sockets get their turn first.
 */
async function drained(sheet: ExcelJS.Worksheet, out: Writable, signal: AbortSignal): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  // The sheet's StreamBuf and what it pipes to: exceljs internals, not in its typings (tests/exports.xlsx.stream.test.ts measures the effect).
  const pipes = (sheet as unknown as { stream?: { pipes?: Writable[] } }).stream?.pipes ?? [];
  for (const p of [...pipes, out]) if (full(p) && !signal.aborted) await once(p, 'drain', { signal });
}

/**
 * Writes `rows` into `dest` as an .xlsx file with one sheet: a bold, frozen header row with an autofilter,
 * columns sized from the header and the first rows, typed cells (see Column's kinds). Streamed: rows are
 * written as they come and memory stays flat, waiting for a slow `dest`. If reading the rows fails, `dest`
 * is destroyed with the error (never a file that ends as if whole); if `dest` closes early, the rows stop
 * being read (the store's snapshot is released).
 */
export async function writeXlsx<R>(t: Table<R>, rows: AsyncIterable<R> | Iterable<R>, dest: Writable): Promise<void> {
  const wall = wallTime(t.timezone);
  const cols = t.columns as readonly Column<unknown>[];
  const iterator = (Symbol.asyncIterator in rows ? rows[Symbol.asyncIterator]() : (rows as Iterable<R>)[Symbol.iterator]()) as AsyncIterator<R> | Iterator<R>;
  // The first rows are read before anything is written: a store that fails at once (storage_unavailable) still
  // gets its problem response, not a broken download.
  const sample: R[] = [];
  let ended = false;
  let Excel: typeof ExcelJS;
  try {
    Excel = await loadExcel();
    while (!ended && sample.length < SAMPLE_ROWS) {
      const r = await iterator.next();
      if (r.done) ended = true;
      else sample.push(r.value);
    }
  } catch (e) {
    await iterator.return?.();
    throw e;
  }

  const out = new PassThrough();
  const ac = new AbortController();
  const delivered = pipeline(out, dest);
  delivered.catch(() => ac.abort());
  const wb = new Excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  // The archiver exceljs writes the zip with (not in its typings): its errors must not go unheard.
  const zip = (wb as unknown as { zip: NodeJS.EventEmitter & { abort(): void } }).zip;
  zip.on('error', (e: Error) => out.destroy(e));
  try {
    const headers = cols.map((c) => xlsxHeader(c, t.timezone));
    const widths = cols.map((c, i) => {
      const longest = Math.max(headers[i]!.length, ...sample.map((row) => shownWidth(c, cellOf(c, row, wall))));
      return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, longest + 2));
    });
    const sheet = wb.addWorksheet(t.sheet, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1, activeCell: 'A2' }] });
    sheet.columns = cols.map((c, i) => ({ key: c.key, width: widths[i]!, style: NUM_FMT[c.kind] ? { numFmt: NUM_FMT[c.kind]! } : {} }));
    const header = sheet.addRow(headers);
    header.font = { bold: true };
    header.alignment = { vertical: 'top', wrapText: true };
    header.commit();
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: cols.length } };
    let n = 0;
    const add = async (row: R) => {
      // Each cell takes its column's number format ("@" keeps a retyped "0905123456" text too).
      sheet.addRow(cols.map((c) => cellOf(c, row, wall))).commit();
      if (++n % BATCH === 0) await drained(sheet, out, ac.signal);
    };
    for (const row of sample) {
      if (ac.signal.aborted) break;
      await add(row);
    }
    if (!ended) for (let r = await iterator.next(); !r.done && !ac.signal.aborted; r = await iterator.next()) await add(r.value);
    if (!ac.signal.aborted) {
      sheet.commit();
      await wb.commit();
    }
  } catch (e) {
    out.destroy(e as Error);
  } finally {
    // Stops the store's stream (its snapshot and connection) when it was not read to the end.
    await iterator.return?.();
  }
  if (ac.signal.aborted) {
    out.destroy();
    try {
      zip.abort();
    } catch {
      // Already ended: nothing left to stop.
    }
  }
  await delivered;
}
