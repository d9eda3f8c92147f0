// SQLite only: it tests SQLite's migration 008 on a database an older version left (migrations/*.sql).
// PostgreSQL's schema (migrations/postgres/) started after it, with path keys from the first row.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../src/storage/sqlite/migrate.js';
import { MIGRATIONS_DIR } from '../src/paths.js';
import { databaseBefore } from './helpers/app.js';

/**
 * Older widgets keyed a span without a page key on encodeURIComponent(location.pathname); the key is now
 * the path itself, as the comments widget uses. Migration 008 moves the old rows so no view count splits.
 */
describe('page keys made from the path (migration 008)', () => {
  it('moves encoded-path keys to the path and leaves named keys alone', () => {
    const db = databaseBefore('008');
    db.prepare("INSERT INTO sites (id, name, created_at, updated_at) VALUES ('xa-a', 'Xã A', 0, 0)").run();
    const add = db.prepare("INSERT INTO counter_pages (site_id, page_key, views) VALUES ('xa-a', ?, ?)");
    add.run(encodeURIComponent('/tin-tuc/ke-hoach-206.html'), 59);
    add.run(encodeURIComponent('/tin-t%E1%BB%A9c/a,b;c=d+e@f:g$h&i.html'), 7); // a path with escapes and sub-delimiters
    add.run('ke-hoach-206-kh-hu', 12); // a key a portal named itself
    db.prepare("INSERT INTO counter_page_seen (site_id, page_key, visitor_hash, counted_at) VALUES ('xa-a', ?, 'v', 0)").run(encodeURIComponent('/a'));

    migrate(db, MIGRATIONS_DIR);
    const rows = db.prepare('SELECT page_key, views FROM counter_pages ORDER BY page_key').all();
    expect(rows).toEqual([
      { page_key: '/tin-t%E1%BB%A9c/a,b;c=d+e@f:g$h&i.html', views: 7 },
      { page_key: '/tin-tuc/ke-hoach-206.html', views: 59 },
      { page_key: 'ke-hoach-206-kh-hu', views: 12 },
    ]);
    expect(db.prepare('SELECT COUNT(*) FROM counter_page_seen').pluck().get()).toBe(0);
    db.close();
  });
});
