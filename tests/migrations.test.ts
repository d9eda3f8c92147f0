import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { listMigrationFiles, migrate, migrationsUpToDate } from '../src/storage/sqlite/migrate.js';
import { MIGRATIONS_DIR } from '../src/paths.js';
import { tempDatabase } from './helpers/app.js';

describe('migrations', () => {
  it('applies every file once, in order, and records it', () => {
    const { db } = tempDatabase();
    const files = listMigrationFiles(MIGRATIONS_DIR);
    expect(files[0]!.name).toBe('001_init.sql');
    const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(rows).toEqual(files.map((f) => ({ version: f.version, name: f.name })));
    expect(migrate(db, MIGRATIONS_DIR)).toEqual([]);
    expect(migrationsUpToDate(db, MIGRATIONS_DIR)).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('rolls a failing migration back whole and stops there', () => {
    const { dir } = tempDatabase();
    const mdir = path.join(dir, 'm');
    fs.mkdirSync(mdir);
    fs.writeFileSync(path.join(mdir, '001_a.sql'), 'CREATE TABLE a (x INTEGER);');
    fs.writeFileSync(path.join(mdir, '002_b.sql'), 'CREATE TABLE b (x INTEGER); INSERT INTO nope VALUES (1);');
    const db = new Database(path.join(dir, 'm.db'));
    expect(() => migrate(db, mdir)).toThrow(/nope/);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['a', 'schema_migrations']);
    expect(db.prepare('SELECT version FROM schema_migrations').pluck().all()).toEqual([1]);
    expect(migrationsUpToDate(db, mdir)).toBe(false);
    db.close();
  });
});
