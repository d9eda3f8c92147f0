import type { Db } from '../db/open.js';
import { conflict, notFound } from '../errors.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { sitesRepo, type Site } from './sites.repo.js';
import type { CreateSiteInput, UpdateSiteInput } from './sites.schema.js';

/** How long another process's change to a site's origins may take to be seen here. */
const CACHE_MS = 30_000;

export function sitesService(db: Db, audit: AuditRepo, opts: { defaultTimezone: string; now?: () => number }) {
  const now = opts.now ?? Date.now;
  const repo = sitesRepo(db);
  const cache = new Map<string, { site: Site | undefined; until: number }>();

  const get = (id: string): Site | undefined => {
    const hit = cache.get(id);
    const t = now();
    if (hit && hit.until > t) return hit.site;
    const site = repo.get(id);
    // Unknown ids are cached too (a flood of random ids must not reach SQLite each time), so bound the map.
    if (cache.size >= 10_000) cache.clear();
    cache.set(id, { site, until: t + CACHE_MS });
    return site;
  };

  return {
    /** Cached read for hot paths (CORS, widget endpoints). */
    get,
    require(id: string): Site {
      const site = get(id);
      if (!site) throw notFound(`Site "${id}"`);
      return site;
    },
    list: () => repo.list(),
    create(input: CreateSiteInput, actor: string): Site {
      const site = { ...input, timezone: input.timezone ?? opts.defaultTimezone };
      db.transaction(() => {
        if (repo.get(site.id)) throw conflict('site_exists', `Site "${site.id}" already exists.`);
        repo.insert(site, now());
        audit.record({ actor, action: 'site.create', targetType: 'site', targetId: site.id, siteId: site.id, detail: { ...site } });
      })();
      cache.delete(site.id);
      return repo.get(site.id)!;
    },
    update(id: string, input: UpdateSiteInput, actor: string): Site {
      db.transaction(() => {
        const current = repo.get(id);
        if (!current) throw notFound(`Site "${id}"`);
        const { blockedWords, blockedWordsAction, ...rest } = input;
        repo.update({ ...current, ...rest }, now());
        if (blockedWords !== undefined || blockedWordsAction !== undefined)
          repo.updateWords(id, blockedWords ?? current.blockedWords, blockedWordsAction ?? current.blockedWordsAction, now());
        audit.record({ actor, action: 'site.update', targetType: 'site', targetId: id, siteId: id, detail: { ...input } });
      })();
      cache.delete(id);
      return repo.get(id)!;
    },
  };
}

export type SitesService = ReturnType<typeof sitesService>;
