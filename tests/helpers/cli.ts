import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../../src/cli.js';

/**
 * Runs one CLI command in this process against DATABASE_PATH `file` (plus `env`), the way `ykien …`
 * runs it: its exit code, its report lines, its error lines and what it streamed to stdout.
 */
export async function runCommand(args: string[], opts: { file?: string; env?: Record<string, string>; stdin?: string } = {}) {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  const out: string[] = [];
  const err: string[] = [];
  const env = { LOG_LEVEL: 'silent', SEED_DEMO: 'false', ...(opts.file ? { DATABASE_PATH: opts.file } : {}), ...opts.env };
  const code = await runCli(args, env, (l) => out.push(l), (l) => err.push(l), sink, Readable.from([opts.stdin ?? '']));
  return { code, out, err, bytes: Buffer.concat(chunks) };
}
