import type { Db } from '../db/open.js';

export type BlockedWordsAction = 'spam' | 'pending';

export interface Site {
  id: string;
  name: string;
  origins: string[];
  timezone: string;
  premoderation: boolean;
  /** Comment words that send a comment to `blockedWordsAction` (normalised, see comments/spam.ts). */
  blockedWords: string[];
  blockedWordsAction: BlockedWordsAction;
  createdAt: string;
  updatedAt: string;
}

interface SiteRow {
  id: string;
  name: string;
  origins: string;
  timezone: string;
  premoderation: number;
  blocked_words: string;
  blocked_words_action: BlockedWordsAction;
  created_at: number;
  updated_at: number;
}

const toSite = (r: SiteRow): Site => ({
  id: r.id,
  name: r.name,
  origins: JSON.parse(r.origins) as string[],
  timezone: r.timezone,
  premoderation: r.premoderation === 1,
  blockedWords: JSON.parse(r.blocked_words) as string[],
  blockedWordsAction: r.blocked_words_action,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

/** What deleting a site takes with it, for the operator's confirmation and the audit log. */
export interface SiteHoldings {
  polls: number;
  ballots: number;
  comments: number;
  pages: number;
  moderatorKeys: number;
  webhooks: number;
}

export function sitesRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO sites (id, name, origins, timezone, premoderation, created_at, updated_at)
     VALUES (@id, @name, @origins, @timezone, @premoderation, @at, @at)`,
  );
  const get = db.prepare('SELECT * FROM sites WHERE id = ?');
  const all = db.prepare('SELECT * FROM sites ORDER BY id');
  const update = db.prepare(
    `UPDATE sites SET name = @name, origins = @origins, timezone = @timezone, premoderation = @premoderation, updated_at = @at
     WHERE id = @id`,
  );
  const holdings = db.prepare(
    `SELECT (SELECT COUNT(*) FROM polls WHERE site_id = @id) AS polls,
            (SELECT COUNT(*) FROM ballots WHERE poll_id IN (SELECT id FROM polls WHERE site_id = @id)) AS ballots,
            (SELECT COUNT(*) FROM comments WHERE site_id = @id) AS comments,
            (SELECT COUNT(*) FROM counter_pages WHERE site_id = @id) AS pages,
            (SELECT COUNT(*) FROM api_keys WHERE site_id = @id) AS moderatorKeys,
            (SELECT COUNT(*) FROM site_webhooks WHERE site_id = @id) AS webhooks`,
  );
  // Every row a site holds references it with ON DELETE CASCADE (migrations/*.sql; tests/sites.delete.test.ts
  // checks each table), so one DELETE removes them all; the audit log has no foreign key and is kept.
  const remove = db.prepare('DELETE FROM sites WHERE id = ?');
  const foreignKeys = db.prepare('PRAGMA foreign_keys').pluck();
  // Bumped when another connection (the CLI, another process) commits: cached sites are then stale.
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  const updateWords = db.prepare('UPDATE sites SET blocked_words = ?, blocked_words_action = ?, updated_at = ? WHERE id = ?');
  return {
    insert(s: { id: string; name: string; origins: string[]; timezone: string; premoderation: boolean }, at: number) {
      insert.run({ ...s, origins: JSON.stringify(s.origins), premoderation: s.premoderation ? 1 : 0, at });
    },
    get(id: string): Site | undefined {
      const r = get.get(id) as SiteRow | undefined;
      return r && toSite(r);
    },
    list: (): Site[] => (all.all() as SiteRow[]).map(toSite),
    updateWords(id: string, words: string[], action: BlockedWordsAction, at: number) {
      updateWords.run(JSON.stringify(words), action, at, id);
    },
    update(s: { id: string; name: string; origins: string[]; timezone: string; premoderation: boolean }, at: number) {
      update.run({ ...s, origins: JSON.stringify(s.origins), premoderation: s.premoderation ? 1 : 0, at });
    },
    holdings: (id: string) => holdings.get({ id }) as SiteHoldings,
    remove: (id: string) => remove.run(id).changes > 0,
    foreignKeysOn: () => foreignKeys.get() === 1,
    dataVersion: () => dataVersion.get() as number,
  };
}
