#!/usr/bin/env node
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { UsageError, type Command } from './cli/context.js';
import { keysCommands } from './cli/keys.commands.js';
import { usersCommands } from './cli/users.commands.js';
import { ConfigError, loadConfig } from './config.js';
import { createContainer } from './container.js';
import { AppError } from './errors.js';
import { exportCommands } from './exports/exports.cli.js';
import { mailCommands } from './mail/mail.cli.js';
import { importCommands } from './imports/imports.cli.js';
import { opsCommands } from './ops/ops.cli.js';
import { sitesCommands } from './sites/sites.cli.js';
import { openStorage } from './storage/open.js';
import { copySqliteToPostgres } from './storage/postgres/copyFromSqlite.js';
import { isUnavailable } from './storage/postgres/pool.js';
import type { Storage } from './storage/storage.js';
import { isEntryPoint } from './util/entry.js';
import { versionLine } from './version.js';

export { UsageError };

const USAGE = `Usage: ykien <command>       (in a dev checkout: npm run -s ykien -- <command>)

  keys create --role admin|moderator --name NAME [--site SITE]
                         create an API key; the key is printed alone on the last line
  keys list              list keys (never the keys themselves)
  keys revoke ID         revoke a key at once
  users create --username U --role admin|moderator [--site S …] --password-stdin
                         create a console user (the first admin this way); the password is read from stdin
  users list             list console users (never their passwords)
  users reset-password U --password-stdin
                         set a new password read from stdin; every session of U ends
  users disable U        disable U at once; every session of U ends
  sites list             list sites with their time zone and origins
  sites origins add|remove SITE ORIGIN…
                         allow (or stop allowing) portal origins, keeping the others
  sites delete SITE --confirm SITE
                         delete a site and everything it holds (its audit entries stay)
  sites import FILE.csv [--dry-run] [--update]
                         create sites from a CSV with the header id,name,origins,timezone
  export poll ID [--format csv|json|xlsx] [--detail votes] [--out FILE]
                         a poll's results (or every ballot) to FILE or stdout: ... > file.csv
  export survey ID [--format csv|json|xlsx] [--out FILE]
                         a survey's responses, one row each
  export comments [--site S] [--status pending|approved|rejected|spam] [--from DATE] [--to DATE] [--format csv|json|xlsx] [--out FILE]
                         comments with their private fields (xlsx needs --out FILE or a redirected stdout)
  mail test --to ADDR    send one test mail through SMTP_URL now and print the SMTP server's answer
  import comments --site S --format wxr|disqus|json FILE [--thread-key path|url|id|slug] [--dry-run]
                         bring a portal's old comments in (docs/import.md); safe to rerun; one transaction per file
  import poll-results --poll ID FILE.csv|FILE.json [--dry-run]
                         set a poll's starting figures (votes per option from an old system; CSV header option,votes)
  backup PATH            consistent online copy of the database (safe while the service runs)
  retention run          erase IP hashes and user agents older than RETENTION_DAYS now
  migrate-to-postgres [--from FILE] [--to URL] [--replace]
                         copy the SQLite database (DATABASE_PATH) into PostgreSQL (DATABASE_URL), verified;
                         a database that already holds data is refused unless --replace
  --version              the release and the Node.js version

The database is DATABASE_URL (PostgreSQL) when set, else DATABASE_PATH (SQLite, default ./data/ykien.db).`;

const commands: Record<string, Command> = { ...keysCommands, ...usersCommands, ...sitesCommands, ...exportCommands, ...opsCommands, ...mailCommands, ...importCommands };

/** Runs one CLI command; returns the exit code. Output goes through `out` so tests can read it. */
export async function runCli(
  argv: string[],
  env: Record<string, string | undefined>,
  out: (line: string) => void,
  err: (line: string) => void,
  stdout: Writable = process.stdout,
  stdin: Readable = process.stdin,
): Promise<number> {
  const [a, b, ...rest] = argv;
  if (a === '--version' || a === '-v' || a === 'version') {
    out(versionLine());
    return 0;
  }
  if (a === 'migrate-to-postgres') return guarded(err, () => migrateToPostgres([b, ...rest].filter((x): x is string => x !== undefined), env, out));
  const two = `${a ?? ''} ${b ?? ''}`;
  const cmd = commands[two] ? two : a && commands[a] ? a : undefined;
  if (!cmd) {
    err(USAGE);
    return a === undefined || a === 'help' || a === '--help' ? 0 : 64;
  }
  const args = commands[two] ? rest : [b, ...rest].filter((x): x is string => x !== undefined);
  let storage: Storage | undefined;
  return guarded(err, async () => {
    try {
      const config = loadConfig(env);
      storage = await openStorage(config);
      const services = await createContainer({ storage, config, hashKeys: false });
      await commands[cmd]!({ services, config, out, stdout, stdin }, args);
      return 0;
    } finally {
      await storage?.close();
    }
  });
}

/** A refusal the user can act on is one line and an exit code; anything else is a bug and keeps its stack. */
async function guarded(err: (line: string) => void, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError || e instanceof AppError) {
      err(`error: ${e.message}`);
      return e instanceof UsageError ? 64 : 1;
    }
    if (e instanceof TypeError && (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err(`error: ${e.message}`);
      return 64;
    }
    throw e;
  }
}

/** `ykien migrate-to-postgres`: the copy and its report; the service stays stopped until the switch-over. */
async function migrateToPostgres(args: string[], env: Record<string, string | undefined>, out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { from: { type: 'string' }, to: { type: 'string' }, replace: { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
  if (positionals.length) throw new UsageError(`migrate-to-postgres takes no ${positionals[0]}: use --from FILE and --to URL`);
  const config = loadConfig({ ...env, DATABASE_URL: undefined });
  const from = values.from ?? config.DATABASE_PATH;
  const to = values.to ?? env.DATABASE_URL;
  if (!to || !/^postgres(ql)?:\/\//.test(to)) throw new UsageError('migrate-to-postgres needs the PostgreSQL database: --to postgres://… or DATABASE_URL');
  const where = new URL(to);
  out(`Copying ${from} into PostgreSQL at ${where.hostname}:${where.port || 5432}${where.pathname} …`);
  let report;
  try {
    report = await copySqliteToPostgres(from, to, {
      size: 2,
      statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS,
      ssl: config.PG_SSL,
      caFile: config.PG_SSL_CA_FILE,
      replace: values.replace,
      now: Date.now(),
      progress: (line) => out(`  ${line}`),
    });
  } catch (e) {
    if (isUnavailable(e)) throw new AppError(503, 'storage_unavailable', `PostgreSQL at ${where.hostname}:${where.port || 5432} cannot be reached (${(e as Error).message}).`);
    if ((e as { code?: string }).code === '28P01' || (e as { code?: string }).code === '3D000') throw new AppError(400, 'bad_database_url', `PostgreSQL refused the connection: ${(e as Error).message}.`);
    throw e;
  }
  const rows = report.tables.reduce((n, t) => n + t.rows, 0);
  out(`Verified: ${rows} rows in ${report.tables.length} tables, each table's count and ${report.counters.length} counters equal to the source's (${report.counters.map((c) => `${c.name} ${c.value}`).join(', ')}).`);
  out(report.replaced ? 'The data that was there before was replaced.' : 'The PostgreSQL database was empty.');
  out('Next: set DATABASE_URL on every instance and start them; keep the SQLite file as the backup of the moment before.');
  return 0;
}

if (isEntryPoint(import.meta.url)) {
  runCli(process.argv.slice(2), process.env, (l) => process.stdout.write(`${l}\n`), (l) => process.stderr.write(`${l}\n`)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
