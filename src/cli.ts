#!/usr/bin/env node
import type { Writable } from 'node:stream';
import { UsageError, type Command } from './cli/context.js';
import { keysCommands } from './cli/keys.commands.js';
import { ConfigError, loadConfig } from './config.js';
import { createContainer } from './container.js';
import { AppError } from './errors.js';
import { exportCommands } from './exports/exports.cli.js';
import { opsCommands } from './ops/ops.cli.js';
import { sitesCommands } from './sites/sites.cli.js';
import { openStorage } from './storage/open.js';
import type { Storage } from './storage/storage.js';
import { isEntryPoint } from './util/entry.js';
import { versionLine } from './version.js';

export { UsageError };

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

const commands: Record<string, Command> = { ...keysCommands, ...sitesCommands, ...exportCommands, ...opsCommands };

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
  let storage: Storage | undefined;
  try {
    const config = loadConfig(env);
    storage = await openStorage(config);
    const services = await createContainer({ storage, config, hashKeys: false });
    await commands[cmd]!({ services, config, out, stdout }, args);
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
    await storage?.close();
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
