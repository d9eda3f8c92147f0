import type { NewSite, Site, SiteFields, SiteHoldings, SitesStore } from '../../sites/sites.store.js';
import { SiteIdTaken } from '../../sites/sites.store.js';
import { auditWriter, quotedTextEraser } from './audit.js';
import type { Db } from './open.js';
import { sqliteFormat } from '../rows/format.js';
import { siteMapper, type SiteRowOf } from '../rows/sites.js';

import { isUniqueViolation } from './util.js';

type SiteRow = SiteRowOf<string, number>;
const toSite = siteMapper(sqliteFormat);

export function sqliteSitesStore(db: Db): SitesStore {
  const writeAudit = auditWriter(db);
  const eraseQuotedText = quotedTextEraser(db, 'site');
  const s = {
    insert: db.prepare(
      `INSERT INTO sites (id, name, origins, timezone, premoderation, created_at, updated_at)
       VALUES (@id, @name, @origins, @timezone, @premoderation, @at, @at)`,
    ),
    get: db.prepare('SELECT * FROM sites WHERE id = ?'),
    all: db.prepare('SELECT * FROM sites ORDER BY id'),
    update: db.prepare(
      `UPDATE sites SET name = @name, origins = @origins, timezone = @timezone, premoderation = @premoderation,
         blocked_words = @blockedWords, blocked_words_action = @blockedWordsAction,
         notify_emails = @notifyEmails, notify_digest_minutes = @notifyDigestMinutes, updated_at = @at WHERE id = @id`,
    ),
    holdings: db.prepare(
      `SELECT (SELECT COUNT(*) FROM polls WHERE site_id = @id) AS polls,
              (SELECT COUNT(*) FROM ballots WHERE poll_id IN (SELECT id FROM polls WHERE site_id = @id)) AS ballots,
              (SELECT COUNT(*) FROM surveys WHERE site_id = @id) AS surveys,
              (SELECT COUNT(*) FROM survey_responses WHERE survey_id IN (SELECT id FROM surveys WHERE site_id = @id)) AS surveyResponses,
              (SELECT COUNT(*) FROM comments WHERE site_id = @id) AS comments,
              (SELECT COUNT(*) FROM counter_pages WHERE site_id = @id) AS pages,
              (SELECT COUNT(*) FROM api_keys WHERE site_id = @id) AS moderatorKeys,
              (SELECT COUNT(*) FROM site_webhooks WHERE site_id = @id) AS webhooks`,
    ),
    // Every row a site holds references it with ON DELETE CASCADE (migrations; tests/sites.delete.test.ts
    // checks each table), so one DELETE removes them all; the audit log has no foreign key and is kept.
    remove: db.prepare('DELETE FROM sites WHERE id = ?'),
    foreignKeys: db.prepare('PRAGMA foreign_keys').pluck(),
  };
  const get = (id: string) => {
    const r = s.get.get(id) as SiteRow | undefined;
    return r && toSite(r);
  };
  const insert = (site: NewSite, at: number) => {
    try {
      s.insert.run({ ...site, origins: JSON.stringify(site.origins), premoderation: site.premoderation ? 1 : 0, at });
    } catch (err) {
      if (isUniqueViolation(err)) throw new SiteIdTaken(site.id);
      throw err;
    }
  };
  const update = (id: string, fields: Partial<SiteFields>, at: number) => {
    const next = { ...get(id)!, ...fields };
    s.update.run({
      ...next,
      origins: JSON.stringify(next.origins),
      premoderation: next.premoderation ? 1 : 0,
      blockedWords: JSON.stringify(next.blockedWords),
      notifyEmails: JSON.stringify(next.notifyEmails),
      at,
    });
  };

  const change = db.transaction((ids: readonly string[], at: number, plan: Parameters<SitesStore['change']>[2]) => {
    const current = new Map<string, Site>();
    for (const id of ids) {
      const site = get(id);
      if (site) current.set(id, site);
    }
    const { writes, audit, result } = plan(current);
    for (const w of writes) 'insert' in w ? insert(w.insert, at) : update(w.update, w.fields, at);
    for (const a of audit) writeAudit(a);
    return result;
  });

  const remove = db.transaction((id: string, audit: Parameters<SitesStore['remove']>[1]) => {
    const site = get(id);
    if (!site) return undefined;
    const counts = s.holdings.get({ id }) as SiteHoldings;
    eraseQuotedText(id);
    s.remove.run(id);
    writeAudit(audit(site, counts));
    return counts;
  });

  return {
    get: async (id) => get(id),
    list: async () => (s.all.all() as SiteRow[]).map(toSite),
    change: async (ids, at, plan) => change.immediate(ids, at, plan) as never,
    holdings: async (id) => s.holdings.get({ id }) as SiteHoldings,
    async remove(id, audit) {
      // Without foreign keys the cascade would silently leave every row behind.
      if (s.foreignKeys.get() !== 1) throw new Error('PRAGMA foreign_keys is off: refusing to delete a site');
      return remove.immediate(id, audit);
    },
  };
}
