import type { AuditAction } from '../audit/actions.js';
import type { ActorRef } from '../audit/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import { AppError, conflict, fieldError, notFound } from '../errors.js';
import { originAllowed } from './origins.js';
import { ImportError, type ImportIssue, type ImportRow } from './sites.import.js';
import { MAX_ORIGINS, type ChangeOriginsInput, type CreateSiteInput, type UpdateSiteInput } from './sites.schema.js';
import { auditedFields } from './sites.view.js';
import { SiteIdTaken, type Site, type SiteHoldings, type SitesPlan, type SitesStore, type SiteWrite } from './sites.store.js';

/** How long a cached site may be served without looking again. Changes made by this process drop the entry at once. */
const CACHE_MS = 30_000;
/**
 * How often to ask storage whether anything changed since (another process, the CLI): if so the cache
 * is emptied, so an origin added with the CLI works within a second.
 */
const VERSION_CHECK_MS = 1_000;
const MAX_CACHED = 10_000;

/** What an import did, or would do on a dry run, line by line. */
export interface ImportStep {
  line: number;
  id: string;
  action: 'create' | 'update' | 'unchanged';
  /** For updates: each changed field, before and after. */
  changes?: Record<string, { from: unknown; to: unknown }>;
}

const siteNotFound = (id: string) => notFound(`Site "${id}"`);
const siteExists = (id: string) => conflict('site_exists', `Site "${id}" already exists.`);

export function sitesService(store: SitesStore, deps: { audit: AuditService; defaultTimezone: string; now: () => number; version: () => number | Promise<number> }) {
  const { now } = deps;
  const cache = new Map<string, { site: Site | undefined; until: number }>();
  let seenVersion: number | undefined;
  let versionCheckedAt = now();

  async function get(id: string): Promise<Site | undefined> {
    const t = now();
    if (t - versionCheckedAt >= VERSION_CHECK_MS) {
      versionCheckedAt = t;
      const version = await deps.version();
      if (version !== seenVersion) {
        seenVersion = version;
        cache.clear();
      }
    }
    const hit = cache.get(id);
    if (hit && hit.until > t) return hit.site;
    const site = await store.get(id);
    // Unknown ids are cached too (a flood of random ids must not reach storage each time), so bound the map.
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(id, { site, until: t + CACHE_MS });
    return site;
  }

  /**
   * The cached site without waiting (hot paths: CORS on every public request): undefined for a cached
   * unknown id, null when storage must be asked (not cached, stale, or time to look for others' changes).
   */
  function peek(id: string): Site | undefined | null {
    const t = now();
    if (t - versionCheckedAt >= VERSION_CHECK_MS) return null;
    const hit = cache.get(id);
    return hit && hit.until > t ? hit.site : null;
  }

  /** Runs a change, translating a lost race for a new id, and forgets the cached sites it touched. */
  async function change<T>(ids: readonly string[], plan: (current: ReadonlyMap<string, Site>) => SitesPlan<T>): Promise<T> {
    try {
      return await store.change(ids, now(), plan);
    } catch (err) {
      if (err instanceof SiteIdTaken) throw siteExists(err.id);
      throw err;
    } finally {
      for (const id of ids) cache.delete(id);
    }
  }

  const fresh = async (id: string) => (await store.get(id))!;
  const entry = (actor: ActorRef, action: AuditAction, site: string, detail: Record<string, unknown>) =>
    deps.audit.entry({ actor, action, targetType: 'site', targetId: site, siteId: site, detail });

  /** Creates, updates or leaves each row as it is, from the current sites. */
  function planImport(rows: ImportRow[], update: boolean, current: ReadonlyMap<string, Site>, actor: ActorRef): SitesPlan<ImportStep[]> {
    const issues: ImportIssue[] = [];
    const steps: ImportStep[] = [];
    const writes: SiteWrite[] = [];
    const audit = [];
    for (const { line, input, given } of rows) {
      const site = current.get(input.id);
      if (!site) {
        const created = { ...input, timezone: input.timezone ?? deps.defaultTimezone };
        steps.push({ line, id: input.id, action: 'create' });
        writes.push({ insert: created });
        audit.push(entry(actor, 'site.create', input.id, { ...created, import: true }));
        continue;
      }
      if (!update) {
        issues.push({ line, id: input.id, field: 'id', message: `site "${input.id}" already exists (add --update to update it from the file)` });
        continue;
      }
      const next = { name: input.name, origins: given.origins ? input.origins : site.origins, timezone: given.timezone ? input.timezone! : site.timezone };
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const k of ['name', 'origins', 'timezone'] as const) if (JSON.stringify(site[k]) !== JSON.stringify(next[k])) changes[k] = { from: site[k], to: next[k] };
      if (!Object.keys(changes).length) {
        steps.push({ line, id: input.id, action: 'unchanged' });
        continue;
      }
      const to = Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v.to]));
      steps.push({ line, id: input.id, action: 'update', changes });
      writes.push({ update: input.id, fields: to });
      audit.push(entry(actor, 'site.update', input.id, { ...to, import: true }));
    }
    if (issues.length) throw new ImportError(issues);
    return { writes, audit, result: steps };
  }

  return {
    /** Cached read for hot paths (CORS, widget endpoints). */
    get,
    peek,
    async require(id: string): Promise<Site> {
      const site = await get(id);
      if (!site) throw siteNotFound(id);
      return site;
    },
    list: () => store.list(),

    /**
     * Whether a portal page at `url` may use this site's widgets: its origin (what the browser sends) judged by
     * the very rule the public endpoints apply. `not_listed`: adding `origin` would let it in.
     */
    async originCheck(id: string, url: URL): Promise<{ origin: string; allowed: boolean; reason: 'listed' | 'wildcard' | 'not_listed' }> {
      const site = await store.get(id);
      if (!site) throw siteNotFound(id);
      const why = originAllowed(site.origins, url.origin);
      return { origin: url.origin, allowed: why !== undefined, reason: why ?? 'not_listed' };
    },

    async create(input: CreateSiteInput, actor: ActorRef): Promise<Site> {
      const site = { ...input, timezone: input.timezone ?? deps.defaultTimezone };
      await change([site.id], (current) => {
        if (current.has(site.id)) throw siteExists(site.id);
        return { writes: [{ insert: site }], audit: [entry(actor, 'site.create', site.id, { ...site })], result: undefined };
      });
      return fresh(site.id);
    },

    async update(id: string, input: UpdateSiteInput, actor: ActorRef): Promise<Site> {
      await change([id], (current) => {
        if (!current.has(id)) throw siteNotFound(id);
        return { writes: [{ update: id, fields: input }], audit: [entry(actor, 'site.update', id, { ...auditedFields(input) })], result: undefined };
      });
      return fresh(id);
    },

    /** Adds and removes origins, keeping the others (PATCH replaces the whole list). */
    async changeOrigins(id: string, input: ChangeOriginsInput, actor: ActorRef): Promise<{ site: Site; added: string[]; removed: string[] }> {
      const result = await change([id], (current) => {
        const site = current.get(id);
        if (!site) throw siteNotFound(id);
        const added = [...new Set(input.add)].filter((o) => !site.origins.includes(o));
        const removed = site.origins.filter((o) => input.remove.includes(o));
        const origins = [...site.origins.filter((o) => !removed.includes(o)), ...added];
        if (origins.length > MAX_ORIGINS)
          throw fieldError('add', `would make ${origins.length} origins; at most ${MAX_ORIGINS}`, `A site may list at most ${MAX_ORIGINS} origins.`);
        const changed = added.length > 0 || removed.length > 0;
        return {
          writes: changed ? [{ update: id, fields: { origins } }] : [],
          audit: changed ? [entry(actor, 'site.origins', id, { added, removed })] : [],
          result: { added, removed },
        };
      });
      return { site: await fresh(id), ...result };
    },

    /** What deleting the site would remove (for a confirmation prompt). */
    async holdings(id: string): Promise<SiteHoldings> {
      if (!(await store.get(id))) throw siteNotFound(id);
      return store.holdings(id);
    },

    /**
     * Deletes the site and everything it holds (polls, ballots, comments, counters, webhook, captchas,
     * moderator keys scoped to it). `confirm` must repeat the id. The audit log keeps the site's entries.
     */
    async remove(id: string, confirm: string | undefined, actor: ActorRef): Promise<{ site: string; removed: SiteHoldings }> {
      if (confirm !== id)
        throw new AppError(400, 'confirmation_required', `Deleting a site removes everything it holds; confirm with the site's id (confirm=${id}).`);
      const removed = await store.remove(id, (site, counts) => entry(actor, 'site.delete', id, { name: site.name, origins: site.origins, removed: counts }));
      cache.delete(id);
      if (!removed) throw siteNotFound(id);
      return { site: id, removed };
    },

    /**
     * Creates sites in bulk (an import from a CSV, see sites.import.ts): all rows in one transaction,
     * or none. An existing id is refused unless `update` is set, which updates its name, and its origins
     * and time zone where the file gives them. A dry run checks everything and writes nothing.
     */
    importSites(rows: ImportRow[], o: { update: boolean; dryRun: boolean }, actor: ActorRef): Promise<ImportStep[]> {
      return change(
        rows.map((r) => r.input.id),
        (current) => {
          const plan = planImport(rows, o.update, current, actor);
          return o.dryRun ? { writes: [], audit: [], result: plan.result } : plan;
        },
      );
    },
  };
}

export type SitesService = ReturnType<typeof sitesService>;
