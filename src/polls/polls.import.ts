import { parse as parseCsv } from 'csv-parse/sync';
import { AppError } from '../errors.js';
import { MAX_STARTING_VOTES } from './polls.schema.js';

/** One figure of an old system's results file: the option by its label or id, and its votes. */
export interface FigureLine {
  option: string;
  votes: number;
  /** Where it is in the file ("dòng 3", "\"Bình thường\""). */
  where: string;
}

const bad = (file: string, message: string) => new AppError(400, 'import_invalid', `${file}: ${message}. Nothing was changed.`);

function votesOf(file: string, where: string, v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v.replace(/[.,\s](?=\d{3}\b)/g, '')) ? Number(v.replace(/[.,\s](?=\d{3}\b)/g, '')) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > MAX_STARTING_VOTES) throw bad(file, `${where}: the votes must be a whole number from 0 to ${MAX_STARTING_VOTES} (got ${JSON.stringify(v)})`);
  return n;
}

/**
 * An old system's poll results: a CSV with the header `option,votes` (the option by its label or id; votes
 * may be written "1.234" or "1,234"), or JSON `{"figures": {"label or id": votes}}`.
 */
export function parseFigures(file: string, text: string): FigureLine[] {
  const body = text.replace(/^\uFEFF/, '');
  if (/\.json$/i.test(file) || body.trimStart().startsWith('{')) {
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch (e) {
      throw bad(file, `not valid JSON (${(e as Error).message})`);
    }
    const figures = (data as { figures?: unknown } | null)?.figures;
    if (!figures || typeof figures !== 'object' || Array.isArray(figures)) throw bad(file, 'the JSON must be {"figures": {"option label or id": votes, …}}');
    return Object.entries(figures).map(([option, v]) => ({ option, votes: votesOf(file, JSON.stringify(option), v), where: JSON.stringify(option) }));
  }
  let rows: string[][];
  try {
    rows = parseCsv(body.replace(/\r\n?/g, '\n'), { skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][];
  } catch (e) {
    throw bad(file, `not valid CSV (${(e as Error).message})`);
  }
  const header = rows[0]?.map((h) => h.toLowerCase());
  const oi = header?.indexOf('option') ?? -1;
  const vi = header?.indexOf('votes') ?? -1;
  if (oi < 0 || vi < 0) throw bad(file, 'the first line must be the header option,votes');
  return rows.slice(1).map((r, i) => ({ option: r[oi] ?? '', votes: votesOf(file, `dòng ${i + 2}`, r[vi] ?? ''), where: `dòng ${i + 2}` }));
}

const same = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('vi');

/** The figures by option id: each line's option found by id, else by label (letter case and spacing ignored). */
export function figuresById(file: string, lines: readonly FigureLine[], options: readonly { id: string; label: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  const from = new Map<string, string>();
  for (const l of lines) {
    const o = options.find((x) => x.id === l.option) ?? options.find((x) => same(x.label) === same(l.option));
    if (!o) throw bad(file, `${l.where}: "${l.option}" is not an option of this poll (its options: ${options.map((x) => `"${x.label}"`).join(', ')})`);
    if (from.has(o.id)) throw bad(file, `${l.where}: "${o.label}" is given twice (also at ${from.get(o.id)})`);
    from.set(o.id, l.where);
    out[o.id] = l.votes;
  }
  return out;
}
