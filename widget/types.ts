import type { PublicPoll, Results } from '../src/api/polls.js';
import type { Api } from './api.js';
import type { Locale } from './i18n.js';

export interface Ctx {
  api: Api;
  /** The service's base URL, ending with "/". */
  base: string;
  loc: Locale;
  site: string | null;
}

/** The API's own types (src/api/), imported as types: the widget reads exactly what the server sends. */
export type { Results };
export type Poll = PublicPoll;
