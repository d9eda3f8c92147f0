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
  };
}
