import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Writable } from 'node:stream';
import type { z } from 'zod';
import { UsageError, type Command } from '../cli/context.js';
import { ValidationError } from '../errors.js';
import { surveyExportQuery } from '../surveys/surveys.export.js';
import { parse } from '../validation/validate.js';
import { commentsExportQuery, pollExportQuery } from './exports.schema.js';
import type { ExportFile } from './exports.service.js';

/** `export … | head` closes stdout early: the reader has what it wanted, that is not an error. */
async function toStdout(pipe: Promise<void>): Promise<void> {
  try {
    await pipe;
  } catch (e) {
    if ((e as { code?: string }).code !== 'EPIPE') throw e;
  }
}

/**
 * Writes the export to FILE: first to FILE.part beside it, renamed to FILE once complete, so a failed export
 * (the database gone half-way) leaves no file that looks whole.
 */
async function toFile(file: ExportFile, path: string): Promise<void> {
  const part = `${path}.part`;
  const stream = createWriteStream(part);
  try {
    await file.pipe(stream);
    await rename(part, path);
  } catch (e) {
    stream.destroy();
    await rm(part, { force: true });
    throw e;
  }
}

/**
 *   export poll ID [--format csv|json|xlsx] [--detail votes] [--out FILE]
 *   export survey ID [--format csv|json|xlsx] [--out FILE]
 *   export comments [--site S] [--status S] [--from D] [--to D] [--format csv|json|xlsx] [--out FILE]
 * The export goes to FILE, or to stdout (redirect it to a file); the audit log records it as "cli".
 */
const usage = (m: string) => new UsageError(m);

export const exportCommands: Record<string, Command> = (() => {
  const options = <S extends z.ZodType>(schema: S, query: unknown): z.output<S> => {
    try {
      return parse(schema, query, 'options');
    } catch (e) {
      if (e instanceof ValidationError) throw usage(e.errors.map((i) => `--${i.field} ${i.message}`).join('; '));
      throw e;
    }
  };
  const opts = (args: string[], extra: Record<string, { type: 'string' }>) => {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string' }, out: { type: 'string' }, ...extra } });
    const { out, ...rest } = values as Record<string, string | undefined>;
    // The same rules as the HTTP query: unknown values are refused with the field named.
    const query = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    if (out === '') throw usage('--out needs a file name');
    return { query, positionals, out };
  };
  /** Where the file goes; refused before anything is exported (or audited) when it cannot go there. */
  const destination = (stdout: Writable, format: string, out: string | undefined) => {
    // A zip file on a terminal would be noise, and could send escape sequences to it.
    if (out === undefined && format === 'xlsx' && (stdout as { isTTY?: boolean }).isTTY)
      throw usage('--format xlsx writes a binary file: give --out FILE.xlsx (or redirect stdout to a file)');
    return (file: ExportFile) => (out === undefined ? toStdout(file.pipe(stdout)) : toFile(file, out));
  };
  return {
    'export poll': async ({ services, stdout }, args) => {
      const { query, positionals, out } = opts(args, { detail: { type: 'string' } });
      const id = positionals[0];
      if (!id || positionals.length > 1) throw usage('export poll needs exactly one poll id: export poll ID --format csv');
      const q = options(pollExportQuery, query);
      const send = destination(stdout, q.format, out);
      await send(await services.exports.poll(id, { format: q.format, detail: q.detail, actor: 'cli' }));
    },
    'export survey': async ({ services, stdout }, args) => {
      const { query, positionals, out } = opts(args, {});
      const id = positionals[0];
      if (!id || positionals.length > 1) throw usage('export survey needs exactly one survey id: export survey ID --format csv');
      const q = options(surveyExportQuery, query);
      const send = destination(stdout, q.format, out);
      await send(await services.surveyFiles.file(id, { format: q.format, actor: 'cli' }));
    },
    'export comments': async ({ services, stdout }, args) => {
      const { query, positionals, out } = opts(args, { site: { type: 'string' }, status: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } });
      if (positionals.length) throw usage(`export comments takes options only, not "${positionals[0]}"`);
      const q = options(commentsExportQuery, query);
      const send = destination(stdout, q.format, out);
      await send(await services.exports.comments({ ...q, actor: 'cli' }));
    },
  };
})();
