import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every stable error `code` the source can answer must be in docs/api.md's tables, with its status: clients branch
 * on these codes, and the guide is where a portal's developer looks them up (issue 16). The source is read the way
 * a person would grep it, one pattern per way the code base makes a problem.
 */

const root = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

type Found = Map<string, { statuses: Set<number>; where: Set<string> }>;

const CODE = "'([a-z][a-z0-9_]*)'";
/** Each pattern: the regex, and which group holds the status (or a fixed status, or none: presence only). */
const PATTERNS: { name: string; re: RegExp; status?: number | 'group' }[] = [
  // new AppError(409, 'poll_exists', …), also split over lines; a subclass's super(400, 'validation_failed', …)
  { name: 'AppError', re: new RegExp(`\\b(?:AppError|super)\\(\\s*(\\d{3}),\\s*${CODE}`, 'g'), status: 'group' },
  // sendProblem(res, 429, 'rate_limited', …)
  { name: 'sendProblem', re: new RegExp(`sendProblem\\(\\s*\\w+,\\s*(\\d{3}),\\s*${CODE}`, 'g'), status: 'group' },
  // conflict('site_exists', …) is always a 409
  { name: 'conflict', re: new RegExp(`\\bconflict\\(\\s*${CODE}`, 'g'), status: 409 },
  // the ballot engine's refusal tables: closed/notOpen/already are 409s, the per-network cap a 429
  { name: 'refusals', re: new RegExp(`\\b(?:closed|notOpen|already):\\s*\\[\\s*${CODE}`, 'g'), status: 409 },
  { name: 'refusals', re: new RegExp(`\\bipLimit:\\s*\\[\\s*${CODE}`, 'g'), status: 429 },
  // captchaError('captcha_invalid', …), powError('pow_required', …)
  { name: 'helper', re: new RegExp(`\\b(?:captcha|pow)Error\\(\\s*${CODE}`, 'g'), status: 400 },
  // library errors mapped in src/http/problem.ts: { status: 400, code: 'malformed_json', … }
  { name: 'mapped', re: new RegExp(`status:\\s*(\\d{3}),\\s*code:\\s*${CODE}`, 'g'), status: 'group' },
  // any other literal code: problem bodies written by hand, field issues ({ field, code: 'unknown_choice' })
  { name: 'literal', re: new RegExp(`\\bcode:\\s*${CODE}`, 'g') },
  // a survey answer's field issues: bad(q.id, 'out_of_range', …), bad(q.id, tooLong ? 'too_long' : 'invalid_text', …)
  { name: 'field', re: /\bbad\(([^\n]*)/g },
];

function codesInSource(): Found {
  const found: Found = new Map();
  const add = (code: string, status: number | undefined, where: string) => {
    const entry = found.get(code) ?? { statuses: new Set<number>(), where: new Set<string>() };
    if (status !== undefined) entry.statuses.add(status);
    entry.where.add(where);
    found.set(code, entry);
  };
  for (const file of sources(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    const where = file.slice(root.length + 1);
    for (const p of PATTERNS) {
      for (const m of text.matchAll(p.re)) {
        if (p.name === 'field') {
          // only the literals before the message: codes are snake_case words, messages have spaces
          for (const lit of m[1]!.matchAll(new RegExp(CODE, 'g'))) add(lit[1]!, undefined, where);
          continue;
        }
        const status = p.status === 'group' ? Number(m[1]) : p.status;
        add(p.status === 'group' ? m[2]! : m[1]!, status, where);
      }
    }
  }
  return found;
}

/** weak('too_short', …): the `reason` values of weak_password. */
function passwordReasons(): string[] {
  const text = readFileSync(join(root, 'src/users/passwords.ts'), 'utf8');
  return [...text.matchAll(new RegExp(`\\bweak\\(\\s*${CODE}`, 'g'))].map((m) => m[1]!);
}

/** The first cell of every table row that is one `code`, with the row's other cells. */
function codesInGuide(): Map<string, string[]> {
  const doc = readFileSync(join(root, 'docs/api.md'), 'utf8');
  const rows = new Map<string, string[]>();
  for (const m of doc.matchAll(/^\|\s*`([a-z][a-z0-9_]*)`\s*\|([^\n]*)$/gm)) {
    rows.set(m[1]!, [...(rows.get(m[1]!) ?? []), m[2]!]);
  }
  return rows;
}

/** zod's own issue codes: not in our source, named in the guide's prose on field codes. */
const ZOD_CODES = ['invalid_type', 'too_small', 'too_big', 'invalid_format', 'invalid_value', 'unrecognized_keys', 'invalid_union', 'custom'];

describe('docs/api.md names every error code (issue 16)', () => {
  const found = codesInSource();
  const guide = codesInGuide();

  it('reads the codes out of the source (the patterns still match what the code base writes)', () => {
    // one code per pattern, so a pattern that stops matching fails here rather than passing vacuously
    for (const code of ['validation_failed', 'poll_exists', 'rate_limited', 'site_exists', 'already_voted', 'ip_vote_limit', 'captcha_invalid', 'malformed_json', 'nul_character', 'out_of_range', 'too_long', 'invalid_utf8', 'survey_has_responses']) {
      expect(found.has(code), code).toBe(true);
    }
    expect(found.get('ip_response_limit')?.statuses).toEqual(new Set([429]));
    expect(found.get('totp_invalid')?.statuses).toEqual(new Set([400, 401]));
    expect(found.size).toBeGreaterThan(80);
  });

  it('has a table row for every code, naming each status the source gives it', () => {
    const missing: string[] = [];
    const wrongStatus: string[] = [];
    for (const [code, { statuses, where }] of found) {
      if (code === 'custom') continue; // zod's, listed with zod's codes
      const rows = guide.get(code);
      if (!rows) {
        missing.push(`${code} (${[...where].join(', ')})`);
        continue;
      }
      for (const status of statuses) if (!rows.some((r) => new RegExp(`\\b${status}\\b`).test(r))) wrongStatus.push(`${code}: ${status}`);
    }
    expect(missing, 'codes the source answers that docs/api.md has no row for').toEqual([]);
    expect(wrongStatus, 'codes whose row does not name this status').toEqual([]);
  });

  it("lists zod's issue codes and weak_password's reasons", () => {
    const doc = readFileSync(join(root, 'docs/api.md'), 'utf8');
    const reasons = passwordReasons();
    expect(reasons.length).toBeGreaterThanOrEqual(4);
    for (const word of [...ZOD_CODES, ...reasons]) expect(doc, word).toContain(`\`${word}\``);
  });

  it('has no row for a code the source no longer answers', () => {
    // the guide's other tables start with metric names, tiers, types or attributes, never one snake_case word
    const looksLikeCode = (c: string) => c.includes('_') && !c.startsWith('ykien_');
    const stale = [...guide.keys()].filter((c) => looksLikeCode(c) && !found.has(c) && !ZOD_CODES.includes(c));
    expect(stale, 'rows for codes nothing in src/ answers').toEqual([]);
  });
});
