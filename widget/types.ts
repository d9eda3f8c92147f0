import type { Api } from './api.js';
import type { Locale } from './i18n.js';

export interface Ctx {
  api: Api;
  /** The service's base URL, ending with "/". */
  base: string;
  loc: Locale;
  site: string | null;
}

export interface Results {
  pollId: string;
  total: number;
  voters: number;
  options: { id: string; label: string; votes: number; percent: number }[];
}

export interface Poll {
  id: string;
  site: string;
  question: string;
  options: { id: string; label: string }[];
  maxChoices: number;
  status: 'scheduled' | 'open' | 'closed';
  opensAt: string | null;
  closesAt: string | null;
  resultsVisibility: 'always' | 'after_vote' | 'after_close';
  voted: boolean;
  resultsVisible: boolean;
  results: Results | null;
}
