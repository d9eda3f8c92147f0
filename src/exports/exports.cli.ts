import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { UsageError, type Command } from '../cli/context.js';
import { ValidationError } from '../errors.js';
import { parse } from '../validation/validate.js';
import { surveyExportQuery } from '../surveys/surveys.export.js';
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
 * `--out FILE`: written beside FILE and renamed onto it once complete, so FILE is never a half export;
 * a failed export leaves FILE as it was.
 */
async function toFile(file: ExportFile, out: string): Promise<void> {
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    await file.pipe(fs.createWriteStream(tmp, { flags: 'wx' }));
    fs.renameSync(tmp, out);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 *   export poll ID [--format csv|json] [--detail votes]
 *   export survey ID [--format csv|json] [--out FILE]
 *   export comments [--site S] [--status S] [--from D] [--to D] [--format csv|json]
 * The export goes to stdout alone (redirect it to a file) or to --out; the audit log records it as "cli".
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
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string' }, ...extra } });
    // The same rules as the HTTP query: unknown values are refused with the field named.
    const query = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
    return { query, positionals };
  };
  return {
    'export poll': async ({ services, stdout }, args) => {
      const { query, positionals } = opts(args, { detail: { type: 'string' } });
      const id = positionals[0];
      if (!id || positionals.length > 1) throw usage('export poll needs exactly one poll id: export poll ID --format csv');
      const q = options(pollExportQuery, query);
      const file = await services.exports.poll(id, { format: q.format, detail: q.detail, actor: 'cli' });
      await toStdout(file.pipe(stdout));
    },
    'export survey': async ({ services, stdout }, args) => {
      const { query, positionals } = opts(args, { out: { type: 'string' } });
      const id = positionals[0];
      if (!id || positionals.length > 1) throw usage('export survey needs exactly one survey id: export survey ID --format csv');
      const { out, ...rest } = query as { out?: string };
      if (out === '') throw usage('--out needs a file name');
      const q = options(surveyExportQuery, rest);
      const file = await services.surveyFiles.file(id, { format: q.format, actor: 'cli' });
      await (out ? toFile(file, out) : toStdout(file.pipe(stdout)));
    },
    'export comments': async ({ services, stdout }, args) => {
      const { query, positionals } = opts(args, { site: { type: 'string' }, status: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } });
      if (positionals.length) throw usage(`export comments takes options only, not "${positionals[0]}"`);
      const q = options(commentsExportQuery, query);
      await toStdout((await services.exports.comments({ ...q, actor: 'cli' })).pipe(stdout));
    },
  };
})();
