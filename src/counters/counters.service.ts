import type { Db } from '../storage/sqlite/open.js';
import type { ActorRef } from '../audit/actor.js';
import type { LegacyAuditRepo as AuditRepo } from '../storage/sqlite/legacy.js';
import type { SitesService } from '../sites/sites.service.js';
import type { Hasher } from '../util/hash.js';
import { isCrawler } from './crawlers.js';
import { countersRepo } from './counters.repo.js';
import type { SetCountersInput } from './counters.schema.js';
import { dayKey, daysEndingWith } from './days.js';

/** The same visitor viewing the same page again within this time is not counted again. */
export const VIEW_DEDUP_MS = 30 * 60_000;
/** A site visit ends after this much inactivity; every view extends it. */
export const VISIT_IDLE_MS = 30 * 60_000;
/** "Đang truy cập": visitors seen within this time. */
export const ONLINE_MS = 5 * 60_000;
/** Days shown by GET /stats. */
export const STATS_DAYS = 30;
/** How often the server prunes dedup and presence rows. */
export const PRUNE_EVERY_MS = 5 * 60_000;

export interface Figures {
  views: number;
  siteVisits: number;
  online: number;
}

export interface SiteStats {
  siteVisits: number;
  online: number;
  days: { date: string; views: number }[];
}

/**
 * View counters. Counting is one synchronous IMMEDIATE transaction per view: an upsert on the
 * dedup row decides whether the view counts (no read-then-write race), then the page, day and
 * site counter rows are bumped. Reads never touch raw rows: totals are counter rows, and
 * "online" is an index range over visitors seen in the last 5 minutes (the presence table is
 * shared by every process on the database and survives restarts, unlike an in-memory set).
 */
export function countersService(
  db: Db,
  deps: { audit: AuditRepo; sites: SitesService; hasher: Hasher; now?: () => number; /** COUNTER_NEW_PAGES_PER_DAY, 0 = no cap. */ newPagesPerDay?: number },
) {
  const newPagesPerDay = deps.newPagesPerDay ?? 0;
  const now = deps.now ?? Date.now;
  const repo = countersRepo(db);
  // A key of its own (not the voters'), so view rows cannot be joined to ballots.
  const visitorHash = (visitorId: string) => deps.hasher.viewVisitor(visitorId);

  const figures = (site: string, page: string, t: number): Figures => ({
    views: repo.pageViews(site, page),
    siteVisits: repo.siteVisits(site),
    online: repo.online(site, t - ONLINE_MS),
  });

  /** Counts a view; undefined (nothing stored) when the page is new and the site already gained its new pages for the day. */
  const countView = db.transaction((site: string, page: string, visitor: string, day: string, t: number): Figures | undefined => {
    if (!repo.pageExists(site, page)) {
      if (newPagesPerDay > 0 && repo.newPages(site, day) >= newPagesPerDay) return undefined;
      repo.addNewPage(site, day);
    }
    if (repo.markPageSeen(site, page, visitor, t, VIEW_DEDUP_MS)) {
      repo.addPageView(site, page);
      repo.addDayView(site, day);
    }
    const last = repo.lastSeen(site, visitor);
    if (last === undefined || t - last >= VISIT_IDLE_MS) repo.addVisit(site);
    repo.touchVisitor(site, visitor, t);
    return figures(site, page, t);
  });

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
      const t = now();
      if (isCrawler(userAgent)) return { ...figures(site.id, page, t), counted: false };
      const counted = countView.immediate(site.id, page, visitorHash(visitorId), dayKey(t, site.timezone), t);
      return counted ? { ...counted, counted: true } : { ...figures(site.id, page, t), counted: false };
    },

    /** The figures without counting. */
    async figures(siteId: string, page: string): Promise<Figures> {
      const site = await deps.sites.require(siteId);
      return figures(site.id, page, now());
    },

    /** Site total, online now, and views per day for the last 30 days in the site's time zone, oldest first. */
    async stats(siteId: string): Promise<SiteStats> {
      const site = await deps.sites.require(siteId);
      const t = now();
      const dates = daysEndingWith(dayKey(t, site.timezone), STATS_DAYS);
      const byDay = new Map(repo.days(site.id, dates[0]!, dates.at(-1)!).map((r) => [r.day, r.views]));
      return {
        siteVisits: repo.siteVisits(site.id),
        online: repo.online(site.id, t - ONLINE_MS),
        days: dates.map((date) => ({ date, views: byDay.get(date) ?? 0 })),
      };
    },

    /** Sets starting figures (portals bring their old totals); later views add to them. Audited. */
    async setStarting(siteId: string, input: SetCountersInput, actor: ActorRef): Promise<{ siteVisits: number; pages: Record<string, number> }> {
      const site = await deps.sites.require(siteId);
      const pages = Object.entries(input.pages ?? {});
      return db.transaction(() => {
        const before = {
          siteVisits: repo.siteVisits(site.id),
          pages: Object.fromEntries(pages.map(([p]) => [p, repo.pageViews(site.id, p)])),
        };
        if (input.siteVisits !== undefined) repo.setVisits(site.id, input.siteVisits);
        for (const [p, views] of pages) repo.setPageViews(site.id, p, views);
        deps.audit.record({ actor, action: 'counters.set', targetType: 'site', targetId: site.id, siteId: site.id, detail: { before, change: input } });
        return {
          siteVisits: repo.siteVisits(site.id),
          pages: Object.fromEntries(pages.map(([p]) => [p, repo.pageViews(site.id, p)])),
        };
      }).immediate();
    },

    /**
     * Deletes dedup rows older than the dedup window and visitors idle longer than the visit
     * window. Neither changes any answer: a missing row means "count it" exactly like an old one.
     */
    pruneCounters(t: number = now()): { pageSeen: number; visitors: number } {
      // Daily new-page tallies: two days back in UTC is before "today" in every time zone.
      repo.pruneNewPages(new Date(t - 2 * 86_400_000).toISOString().slice(0, 10));
      return {
        pageSeen: repo.prunePageSeen(t - VIEW_DEDUP_MS),
        visitors: repo.pruneVisitors(t - Math.max(VISIT_IDLE_MS, ONLINE_MS)),
      };
    },

    /** Starts the pruning job (unref'd: it never keeps the process alive). */
    startJobs(onError: (err: unknown) => void = () => {}): void {
      if (timer) return;
      const run = () => {
        try {
          service.pruneCounters(now());
        } catch (err) {
          onError(err);
        }
      };
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
