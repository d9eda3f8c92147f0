import type { Site } from '../../sites/sites.store.js';
import type { RowFormat } from './format.js';

/** A sites row; its lists (origins, blocked_words) and its flag (premoderation) are held in the engine's format. */
export interface SiteRowOf<Json, Flag> {
  id: string;
  name: string;
  origins: Json;
  timezone: string;
  premoderation: Flag;
  blocked_words: Json;
  blocked_words_action: Site['blockedWordsAction'];
  notify_emails: Json;
  notify_digest_minutes: number;
  created_at: number;
  updated_at: number;
}

export const siteMapper =
  <Json, Flag>(format: RowFormat<Json, Flag>) =>
  (r: SiteRowOf<Json, Flag>): Site => ({
    id: r.id,
    name: r.name,
    origins: format.json<string[]>(r.origins),
    timezone: r.timezone,
    premoderation: format.flag(r.premoderation),
    blockedWords: format.json<string[]>(r.blocked_words),
    blockedWordsAction: r.blocked_words_action,
    notifyEmails: format.json<string[]>(r.notify_emails),
    notifyDigestMinutes: r.notify_digest_minutes,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  });
