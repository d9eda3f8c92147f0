#!/usr/bin/env node
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase, type Db } from './db/open.js';
import { AppError } from './errors.js';
import { exportCommands, type CliIo } from './exports/exports.cli.js';
import { keysService } from './keys/keys.service.js';
import { opsCommands } from './ops/ops.cli.js';
import { sitesCommands } from './sites/sites.cli.js';
import { isEntryPoint } from './util/entry.js';
import { versionLine } from './version.js';
import type { Role } from './keys/keys.repo.js';

const USAGE = `Usage: ykien <command>       (in a dev checkout: npm run -s ykien -- <command>)

  keys create --role admin|moderator --name NAME [--site SITE]
                         create an API key; the key is printed alone on the last line
  keys list              list keys (never the keys themselves)
  keys revoke ID         revoke a key at once
  sites list             list sites with their time zone and origins
  sites origins add|remove SITE ORIGIN…
                         allow (or stop allowing) portal origins, keeping the others
  sites delete SITE --confirm SITE
                         delete a site and everything it holds (its audit entries stay)
  sites import FILE.csv [--dry-run] [--update]
                         create sites from a CSV with the header id,name,origins,timezone
  export poll ID [--format csv|json] [--detail votes]
                         a poll's results (or every ballot) to stdout: ... > file.csv
  export comments [--site S] [--status pending|approved|rejected|spam] [--from DATE] [--to DATE] [--format csv|json]
                         comments with their private fields to stdout
  backup PATH            consistent online copy of the database (safe while the service runs)
  retention run          erase IP hashes and user agents older than RETENTION_DAYS now
  --version              the release and the Node.js version

The database is DATABASE_PATH (default ./data/ykien.db).`;

type Command = (db: Db, args: string[], out: (line: string) => void, io: CliIo) => void | Promise<void>;

const commands: Record<string, Command> = {
  'keys create': (db, args, out) => {
    const { values } = parseArgs({ args, options: { role: { type: 'string' }, name: { type: 'string' }, site: { type: 'string' } } });
    if (values.role !== 'admin' && values.role !== 'moderator') throw new UsageError('--role must be admin or moderator');
    const name = values.name?.normalize('NFC').trim();
    if (!name || name.length > 100) throw new UsageError('--name is required (at most 100 characters)');
    const { key, row } = keysService(db).create({ name, role: values.role as Role, siteId: values.site ?? null });
    out(`Created ${row.role} key ${row.id} "${row.name}"${row.site_id ? ` for site ${row.site_id}` : ''}. Store it now: it is not shown again.`);
    out(key);
  },
  'keys list': (db, _args, out) => {
    const rows = keysService(db).list();
    if (!rows.length) out('No keys yet.');
    for (const k of rows)
      out([k.id, k.role.padEnd(9), (k.site_id ?? '*').padEnd(16), `${k.key_prefix}…`, k.revoked_at ? 'revoked' : 'active ', k.name].join('  '));
  },
  'keys revoke': (db, args, out) => {
    const id = args[0];
    if (!id) throw new UsageError('keys revoke needs the key id (see keys list)');
    keysService(db).revoke(id);
    out(`Revoked key ${id}.`);
  },
  ...sitesCommands((m) => new UsageError(m)),
  ...exportCommands((m) => new UsageError(m)),
  ...opsCommands((m) => new UsageError(m)),
};

export class UsageError extends Error {}

/** Runs one CLI command; returns the exit code. Output goes through `out` so tests can read it. */
export async function runCli(
  argv: string[],
  env: Record<string, string | undefined>,
  out: (line: string) => void,
  err: (line: string) => void,
  stdout: Writable = process.stdout,
): Promise<number> {
  const [a, b, ...rest] = argv;
  if (a === '--version' || a === '-v' || a === 'version') {
    out(versionLine());
    return 0;
  }
  const two = `${a ?? ''} ${b ?? ''}`;
  const cmd = commands[two] ? two : a && commands[a] ? a : undefined;
  if (!cmd) {
    err(USAGE);
    return a === undefined || a === 'help' || a === '--help' ? 0 : 64;
  }
  const args = commands[two] ? rest : [b, ...rest].filter((x): x is string => x !== undefined);
  let db: Db | undefined;
  try {
    const config = loadConfig(env);
    db = openDatabase(config.DATABASE_PATH);
    await commands[cmd]!(db, args, out, { config, stdout });
    return 0;
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
  } finally {
    db?.close();
  }
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
