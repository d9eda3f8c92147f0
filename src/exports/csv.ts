import { stringify, type Stringifier } from 'csv-stringify';

/** A spreadsheet reads a cell starting with one of these as a formula (or DDE); CR/tab hide the rest. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Neutralises formula injection: a text cell that a spreadsheet would evaluate gets a leading
 * apostrophe (shown as text by Excel and LibreOffice). Numbers are written as numbers.
 */
export const guardCell = (s: string): string => (FORMULA_START.test(s) ? `'${s}` : s);

/**
 * RFC 4180 CSV (CRLF, quotes doubled, fields quoted when needed), UTF-8 with a byte-order mark
 * so Excel shows Vietnamese correctly, a header row and the formula guard on every text cell.
 * Takes rows as objects (object mode) and emits text, honouring backpressure both ways.
 */
export function csvStringifier(columns: readonly (string | { key: string; header: string })[]): Stringifier {
  return stringify({
    bom: true,
    header: true,
    // A header may differ from its key (a survey question's title may hold dots, which keys read as paths); headers are guarded too.
    columns: columns.map((c) => (typeof c === 'string' ? { key: c } : { key: c.key, header: guardCell(c.header) })),
    record_delimiter: '\r\n',
    // A cell holding a line break (a comment's paragraphs, a lone CR) is quoted, as RFC 4180 asks.
    quote_record_delimiter: true,
    cast: {
      string: (s) => guardCell(s),
      boolean: (b) => (b ? 'true' : 'false'),
    },
  });
}
