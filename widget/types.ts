import type { PublicPoll, Results } from '../src/api/polls.js';
import type { Api } from './api.js';
import type { Locale } from './i18n.js';
import type { Watch } from './live.js';

export interface Ctx {
  api: Api;
  /** The service's base URL, ending with "/". */
  base: string;
  loc: Locale;
  site: string | null;
  /** The page's one live results stream for a site (widget/live.ts), shared with the survey chunk. */
  live: (site: string) => Watch;
}

/** The API's own types (src/api/), imported as types: the widget reads exactly what the server sends. */
export type { Results };
export type Poll = PublicPoll;
