import type { AuditRecord } from '../audit/audit.store.js';

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
  /** Who is e-mailed about comments waiting for moderation (lower case, no duplicates); admin eyes only (sites.view.ts). */
  notifyEmails: string[];
  /** 0: one mail per pending comment; N: one digest every N minutes. */
  notifyDigestMinutes: number;
  createdAt: string;
  updatedAt: string;
}

/** What deleting a site takes with it, for the operator's confirmation and the audit log. */
export interface SiteHoldings {
  polls: number;
  ballots: number;
  surveys: number;
  surveyResponses: number;
  comments: number;
  pages: number;
  moderatorKeys: number;
  webhooks: number;
}

export type SiteFields = Pick<Site, 'name' | 'origins' | 'timezone' | 'premoderation' | 'blockedWords' | 'blockedWordsAction' | 'notifyEmails' | 'notifyDigestMinutes'>;
export type NewSite = Pick<Site, 'id' | 'name' | 'origins' | 'timezone' | 'premoderation'>;

export type SiteWrite = { insert: NewSite } | { update: string; fields: Partial<SiteFields> };

/** What the plan of a change decided: the writes, their audit entries and what the caller gets back. */
export interface SitesPlan<T> {
  writes: SiteWrite[];
  audit: AuditRecord[];
  result: T;
}

/** Two changes raced to create the same site id; the later one is refused whole. */
export class SiteIdTaken extends Error {
  constructor(readonly id: string) {
    super(`site ${id} exists`);
  }
}

/** What the sites feature needs from storage. */
export interface SitesStore {
  get(id: string): Promise<Site | undefined>;
  list(): Promise<Site[]>;
  /**
   * Reads the named sites, lets `plan` decide (it may throw to refuse), then applies its writes and
   * audit entries, all in one transaction. A create that loses a race for its id throws SiteIdTaken.
   */
  change<T>(ids: readonly string[], at: number, plan: (current: ReadonlyMap<string, Site>) => SitesPlan<T>): Promise<T>;
  holdings(id: string): Promise<SiteHoldings>;
  /** Deletes the site and everything it holds, with its audit entry; undefined when there was no such site. */
  remove(id: string, audit: (site: Site, holdings: SiteHoldings) => AuditRecord): Promise<SiteHoldings | undefined>;
}
