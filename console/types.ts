export type Role = 'admin' | 'moderator';
export interface SessionView {
  user: { username: string; displayName: string; role: Role; sites: string[] | null; totpEnabled: boolean };
  csrfToken: string;
  totpSetupRequired: boolean;
  expiresAt: string;
  idleExpiresAt: string;
}
export interface Site {
  id: string;
  name: string;
  origins: string[];
  timezone: string;
  premoderation: boolean;
}
export type Status = 'pending' | 'approved' | 'rejected' | 'spam';
export interface AdminComment {
  id: string;
  site: string;
  thread: string;
  parentId: string | null;
  status: Status;
  spamReason: string | null;
  name: string;
  address: string | null;
  email: string | null;
  content: string;
  createdAt: string;
  moderatedBy: string | null;
}
export interface PollOption {
  id: string;
  label: string;
}
export interface Results {
  total: number;
  voters: number;
  /** `votes` includes the option's starting figure (src/api/polls.ts); both only on a poll that has some. */
  options: { id: string; label: string; votes: number; percent: number; startingVotes?: number }[];
  startingTotal?: number;
}
export interface Poll {
  id: string;
  site: string;
  question: string;
  options: PollOption[];
  maxChoices: number;
  status: 'scheduled' | 'open' | 'closed';
  opensAt: string | null;
  closesAt: string | null;
  resultsVisibility: 'always' | 'after_vote' | 'after_close';
  createdAt: string;
  results: Results;
}
export interface Timeline {
  bucket: 'hour' | 'day';
  timezone: string;
  total: number;
  buckets: { start: string; votes: number }[];
}
