import type { Db } from '../db/open.js';
import { AppError, conflict, notFound } from '../errors.js';
import type { ActorRef } from '../audit/actor.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { sitesRepo, type Site, type SiteHoldings } from './sites.repo.js';
import { ImportError, type ImportIssue, type ImportRow } from './sites.import.js';
import { MAX_ORIGINS, type ChangeOriginsInput, type CreateSiteInput, type UpdateSiteInput } from './sites.schema.js';

/** How long a cached site may be served without looking again. Changes made by this process drop the entry at once. */
const CACHE_MS = 30_000;
/**
 * How often to ask SQLite whether another connection (the CLI, another process) committed since: if so
 * the cache is emptied, so an origin added with the CLI works within a second. Asking costs ~2 µs, too
 * much for every lookup of every public request.
 */
const VERSION_CHECK_MS = 1_000;

/** What an import did, or would do on a dry run, line by line. */
export interface ImportStep {
  line: number;
  id: string;
  action: 'create' | 'update' | 'unchanged';
  /** For updates: each changed field, before and after. */
  changes?: Record<string, { from: unknown; to: unknown }>;
}

export function sitesService(db: Db, audit: AuditRepo, opts: { defaultTimezone: string; now?: () => number }) {
  const now = opts.now ?? Date.now;
  const repo = sitesRepo(db);
  const cache = new Map<string, { site: Site | undefined; until: number }>();
  let seenVersion = repo.dataVersion();
  let versionCheckedAt = now();

  const get = (id: string): Site | undefined => {
    const t = now();
    if (t - versionCheckedAt >= VERSION_CHECK_MS) {
      versionCheckedAt = t;
      const version = repo.dataVersion();
      if (version !== seenVersion) {
        seenVersion = version;
        cache.clear();
      }
    }
    const hit = cache.get(id);
    if (hit && hit.until > t) return hit.site;
    const site = repo.get(id);
    // Unknown ids are cached too (a flood of random ids must not reach SQLite each time), so bound the map.
    if (cache.size >= 10_000) cache.clear();
    cache.set(id, { site, until: t + CACHE_MS });
    return site;
  };

  const mustExist = (id: string): Site => {
    const site = repo.get(id);
    if (!site) throw notFound(`Site "${id}"`);
    return site;
  };

  /** Creates, updates or leaves each row as it is; the caller holds the transaction. */
  function planImport(rows: ImportRow[], update: boolean): ImportStep[] {
    const issues: ImportIssue[] = [];
    const steps: ImportStep[] = [];
    for (const { line, input, given } of rows) {
      const current = repo.get(input.id);
      if (!current) {
        steps.push({ line, id: input.id, action: 'create' });
        continue;
      }
      if (!update) {
        issues.push({ line, id: input.id, field: 'id', message: `site "${input.id}" already exists (add --update to update it from the file)` });
        continue;
      }
      const next = { name: input.name, origins: given.origins ? input.origins : current.origins, timezone: given.timezone ? input.timezone : current.timezone };
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const k of ['name', 'origins', 'timezone'] as const)
        if (JSON.stringify(current[k]) !== JSON.stringify(next[k])) changes[k] = { from: current[k], to: next[k] };
      steps.push(Object.keys(changes).length ? { line, id: input.id, action: 'update', changes } : { line, id: input.id, action: 'unchanged' });
    }
    if (issues.length) throw new ImportError(issues);
    return steps;
  }

  const service = {
    /** Cached read for hot paths (CORS, widget endpoints). */
    get,
    require(id: string): Site {
      const site = get(id);
      if (!site) throw notFound(`Site "${id}"`);
      return site;
    },
    list: () => repo.list(),
    create(input: CreateSiteInput, actor: ActorRef): Site {
      const site = { ...input, timezone: input.timezone ?? opts.defaultTimezone };
      db.transaction(() => {
        if (repo.get(site.id)) throw conflict('site_exists', `Site "${site.id}" already exists.`);
        repo.insert(site, now());
        audit.record({ actor, action: 'site.create', targetType: 'site', targetId: site.id, siteId: site.id, detail: { ...site } });
      })();
      cache.delete(site.id);
      return repo.get(site.id)!;
    },
    update(id: string, input: UpdateSiteInput, actor: ActorRef): Site {
      db.transaction(() => {
        const current = mustExist(id);
        const { blockedWords, blockedWordsAction, ...rest } = input;
        repo.update({ ...current, ...rest }, now());
        if (blockedWords !== undefined || blockedWordsAction !== undefined)
          repo.updateWords(id, blockedWords ?? current.blockedWords, blockedWordsAction ?? current.blockedWordsAction, now());
        audit.record({ actor, action: 'site.update', targetType: 'site', targetId: id, siteId: id, detail: { ...input } });
      })();
      cache.delete(id);
      return repo.get(id)!;
    },

    /** Adds and removes origins, keeping the others (PATCH replaces the whole list). */
    changeOrigins(id: string, input: ChangeOriginsInput, actor: ActorRef): { site: Site; added: string[]; removed: string[] } {
      const result = db.transaction(() => {
        const current = mustExist(id);
        const added = [...new Set(input.add)].filter((o) => !current.origins.includes(o));
        const removed = current.origins.filter((o) => input.remove.includes(o));
        const origins = [...current.origins.filter((o) => !removed.includes(o)), ...added];
        if (origins.length > MAX_ORIGINS)
          throw new AppError(400, 'validation_failed', `A site may list at most ${MAX_ORIGINS} origins.`, {
            errors: [{ field: 'add', message: `would make ${origins.length} origins; at most ${MAX_ORIGINS}` }],
          });
        if (added.length || removed.length) {
          repo.update({ ...current, origins }, now());
          audit.record({ actor, action: 'site.origins', targetType: 'site', targetId: id, siteId: id, detail: { added, removed } });
        }
        return { added, removed };
      })();
      cache.delete(id);
      return { site: repo.get(id)!, ...result };
    },

    /** What deleting the site would remove (for a confirmation prompt). */
    holdings(id: string): SiteHoldings {
      mustExist(id);
      return repo.holdings(id);
    },

    /**
     * Deletes the site and everything it holds (polls, ballots, comments, counters, webhook, captchas,
     * moderator keys scoped to it). `confirm` must repeat the id. The audit log keeps the site's entries.
     */
    remove(id: string, confirm: string | undefined, actor: ActorRef): { site: string; removed: SiteHoldings } {
      if (confirm !== id)
        throw new AppError(400, 'confirmation_required', `Deleting a site removes everything it holds; confirm with the site's id (confirm=${id}).`);
      // Without foreign keys the cascade would silently leave every row behind.
      if (!repo.foreignKeysOn()) throw new Error('PRAGMA foreign_keys is off: refusing to delete a site');
      const removed = db.transaction(() => {
        const site = mustExist(id);
        const counts = repo.holdings(id);
        repo.remove(id);
        audit.record({ actor, action: 'site.delete', targetType: 'site', targetId: id, siteId: id, detail: { name: site.name, origins: site.origins, removed: counts } });
        return counts;
      }).immediate();
      cache.delete(id);
      return { site: id, removed };
    },

    /**
     * Creates sites in bulk (an import from a CSV, see sites.import.ts): all rows in one transaction,
     * or none. An existing id is refused unless `update` is set, which updates its name, and its origins
     * and time zone where the file gives them. A dry run checks everything and writes nothing.
     */
    importSites(rows: ImportRow[], o: { update: boolean; dryRun: boolean }, actor: ActorRef): ImportStep[] {
      const run = db.transaction(() => {
        const steps = planImport(rows, o.update);
        if (o.dryRun) return steps;
        const t = now();
        // planImport answers one step per row, in order.
        steps.forEach((step, i) => {
          const row = rows[i]!;
          if (step.action === 'create') {
            const site = { ...row.input, timezone: row.input.timezone ?? opts.defaultTimezone };
            repo.insert(site, t);
            audit.record({ actor, action: 'site.create', targetType: 'site', targetId: site.id, siteId: site.id, detail: { ...site, import: true } });
          } else if (step.action === 'update') {
            const current = repo.get(step.id)!;
            const to = Object.fromEntries(Object.entries(step.changes!).map(([k, v]) => [k, v.to]));
            repo.update({ ...current, ...to }, t);
            audit.record({ actor, action: 'site.update', targetType: 'site', targetId: step.id, siteId: step.id, detail: { ...to, import: true } });
          }
        });
        return steps;
      });
      const steps = run.immediate();
      for (const s of steps) cache.delete(s.id);
      return steps;
    },
  };
  return service;
}

export type SitesService = ReturnType<typeof sitesService>;
