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

  it('014 clears the words of edit entries whose comment was deleted before, keeping the entries', () => {
    const { dir } = tempDatabase();
    const before = path.join(dir, 'before');
    fs.mkdirSync(before);
    for (const f of listMigrationFiles(MIGRATIONS_DIR).filter((f) => f.version < 14)) fs.copyFileSync(f.file, path.join(before, f.name));
    const db = new Database(path.join(dir, 'old.db'));
    migrate(db, before);
    db.prepare("INSERT INTO sites (id, name, origins, timezone, premoderation, created_at, updated_at) VALUES ('xa-a', 'Xã A', '[]', 'Asia/Ho_Chi_Minh', 1, 0, 0)").run();
    db.prepare("INSERT INTO comments (id, site_id, thread_key, name, content, status, created_at, updated_at) VALUES ('kept1', 'xa-a', 't', 'An', 'Đã sửa', 'approved', 0, 0)").run();
    const edit = db.prepare("INSERT INTO audit_log (at, actor, action, target_type, target_id, site_id, detail) VALUES (1, 'mod', 'comment.edit', 'comment', ?, 'xa-a', ?)");
    edit.run('kept1', JSON.stringify({ thread: 't', before: 'Gọi 0905 123 456', after: 'Đã sửa' }));
    edit.run('gone1', JSON.stringify({ thread: 't', before: 'Gọi 0905 123 456', after: 'Gọi tôi' }));
    migrate(db, MIGRATIONS_DIR);
    const details = db.prepare("SELECT target_id AS id, detail FROM audit_log WHERE action = 'comment.edit' ORDER BY target_id").all() as { id: string; detail: string }[];
    expect(details.map((d) => ({ id: d.id, detail: JSON.parse(d.detail) }))).toEqual([
      { id: 'gone1', detail: { thread: 't', textErased: true } },
      { id: 'kept1', detail: { thread: 't', before: 'Gọi 0905 123 456', after: 'Đã sửa' } },
    ]);
    db.close();
  });
});
