import { runHere, type RunJob } from '../jobs.js';
import type { ActorRef } from '../audit/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import type { SitesService } from '../sites/sites.service.js';
import type { Hasher } from '../util/hash.js';
import { isCrawler } from './crawlers.js';
import { countRules, onlineSince, PRUNE_EVERY_MS, pruneBefore, STATS_DAYS } from './counters.domain.js';
import type { SetCountersInput } from './counters.schema.js';
import type { CountersStore, Figures } from './counters.store.js';
import { dayKey, daysEndingWith } from './days.js';

export interface SiteStats {
  siteVisits: number;
  online: number;
  days: { date: string; views: number }[];
}

/**
 * View counters: counting a view (crawlers answered but not counted), the figures, the site's
 * stats, starting figures, and the pruning job. The store decides each view in one transaction
 * (counters.store.ts); "online" is kept in the database, so every process on it agrees.
 */
export function countersService(
  store: CountersStore,
  deps: { audit: AuditService; sites: SitesService; hasher: Hasher; now: () => number; /** COUNTER_NEW_PAGES_PER_DAY, 0 = no cap. */ newPagesPerDay: number; runJob?: RunJob },
) {
  const { now } = deps;
  const rules = countRules(deps.newPagesPerDay);
  // A key of its own (not the voters'), so view rows cannot be joined to ballots.
  const visitorHash = (visitorId: string) => deps.hasher.viewVisitor(visitorId);

  let timer: NodeJS.Timeout | undefined;

  const service = {
    /**
     * Counts one view and returns the figures. Not counted (figures only): a crawler, a script or
     * no User-Agent; and a page the site does not have yet once it gained COUNTER_NEW_PAGES_PER_DAY
     * new pages today (random page keys from a script must not leave rows forever). A repeat
     * within the dedup window answers `counted: true` but adds nothing.
     */
    async view(siteId: string, page: string, visitorId: string, userAgent: string | undefined): Promise<Figures & { counted: boolean }> {
      const site = await deps.sites.require(siteId);
      const at = now();
      if (!isCrawler(userAgent)) {
        const r = await store.countView({ site: site.id, page, visitor: visitorHash(visitorId), day: dayKey(at, site.timezone), at }, rules);
        if (r.outcome === 'stored') return { ...r.figures, counted: true };
      }
      return { ...(await store.figures(site.id, page, onlineSince(at))), counted: false };
    },

    /** The figures without counting. */
    async figures(siteId: string, page: string): Promise<Figures> {
      const site = await deps.sites.require(siteId);
      return store.figures(site.id, page, onlineSince(now()));
    },

    /** Site total, online now, and views per day for the last 30 days in the site's time zone, oldest first. */
    async stats(siteId: string): Promise<SiteStats> {
      const site = await deps.sites.require(siteId);
      const t = now();
      const dates = daysEndingWith(dayKey(t, site.timezone), STATS_DAYS);
      const s = await store.stats(site.id, dates[0]!, dates.at(-1)!, onlineSince(t));
      const byDay = new Map(s.days.map((d) => [d.day, d.views]));
      return { siteVisits: s.siteVisits, online: s.online, days: dates.map((date) => ({ date, views: byDay.get(date) ?? 0 })) };
    },

    /** Sets starting figures (portals bring their old totals); later views add to them. Audited. */
    async setStarting(siteId: string, input: SetCountersInput, actor: ActorRef): Promise<{ siteVisits: number; pages: Record<string, number> }> {
      const site = await deps.sites.require(siteId);
      return store.setStarting(site.id, { siteVisits: input.siteVisits, pages: input.pages ?? {} }, (before) =>
        deps.audit.entry({ actor, action: 'counters.set', targetType: 'site', targetId: site.id, siteId: site.id, detail: { before, change: input } }),
      );
    },

    /**
     * Deletes dedup rows older than the dedup window, visitors idle longer than the visit window and
     * presence older than the online window. None changes any answer (counters.domain.ts `pruneBefore`).
     */
    async pruneCounters(t: number = now()): Promise<{ pageSeen: number; visitors: number }> {
      return store.prune(pruneBefore(t));
    },

    /** Starts the pruning job (unref'd: it never keeps the process alive). */
    startJobs(onError: (err: unknown) => void = () => {}): void {
      if (timer) return;
      // Every instance ticks; one prunes per period (pruning changes no answer, it only keeps tables small).
      const run = () => void (deps.runJob ?? runHere)('counters.prune', PRUNE_EVERY_MS, () => service.pruneCounters(now())).catch(onError);
      run();
      timer = setInterval(run, PRUNE_EVERY_MS);
      timer.unref();
    },

    stop(): void {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
  return service;
}

export type CountersService = ReturnType<typeof countersService>;
