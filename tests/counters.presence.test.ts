// SQLite only: it tests SQLite's migration 009 on a database an older version left. PostgreSQL's
// counterpart (migrations/postgres/002_counter_presence.sql) runs on the store contracts' databases.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { countRules, ONLINE_MS, onlineSince } from '../src/counters/counters.domain.js';
import { MIGRATIONS_DIR } from '../src/paths.js';
import { sqliteCountersStore } from '../src/storage/sqlite/counters.js';
import { migrate } from '../src/storage/sqlite/migrate.js';
import { databaseBefore } from './helpers/app.js';

/**
 * "Online" is answered from running per-second counts (migration 009). A database upgraded while
 * visitors are online must answer the same figure as before the upgrade, and go on moving them.
 */
describe('presence counts on upgrade (migration 009)', () => {
  it('starts the per-second counts from the visitors already there', async () => {
    const db = databaseBefore('009');
    db.prepare("INSERT INTO sites (id, name, created_at, updated_at) VALUES ('xa-a', 'Xã A', 0, 0), ('xa-b', 'Xã B', 0, 0)").run();
    const now = Date.parse('2026-06-08T08:27:00Z') + 437;
    const seen = db.prepare('INSERT INTO counter_visitors (site_id, visitor_hash, last_seen) VALUES (?, ?, ?)');
    const last = new Map<string, number>();
    // 400 visitors over the last 20 minutes, several in each second, and a few on another site.
    for (let i = 0; i < 400; i++) {
      const at = now - i * 2_999;
      seen.run('xa-a', `v${i}`, at);
      last.set(`v${i}`, at);
    }
    for (let i = 0; i < 5; i++) seen.run('xa-b', `w${i}`, now - i);

    migrate(db, MIGRATIONS_DIR);
    const store = sqliteCountersStore(db);
    const expected = (at: number) => [...last.values()].filter((x) => x > at - ONLINE_MS).length;
    for (const at of [now, now + 1_000, now + 61_234, now + ONLINE_MS - 1])
      expect((await store.figures('xa-a', 'trang', onlineSince(at))).online, `at now + ${at - now} ms`).toBe(expected(at));
    expect((await store.figures('xa-b', 'trang', onlineSince(now))).online).toBe(5);

    // Visitors from before the upgrade move like any other: once each, to their new second.
    const later = now + 90_001;
    for (const v of ['v0', 'v50', 'v150', 'v399', 'nguoi-moi']) {
      await store.countView({ site: 'xa-a', page: 'trang', visitor: v, day: '2026-06-08', at: later }, countRules(0));
      last.set(v, later);
    }
    expect((await store.figures('xa-a', 'trang', onlineSince(later))).online).toBe(expected(later));
    db.close();
  });
});
