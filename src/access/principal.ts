export type Role = 'admin' | 'moderator';

/**
 * Who is asking, once authenticated: an API key, or a person with a console session. Both carry the same
 * role and sites, so every route decides by one rule (access.ts) whichever it is.
 */
export interface Principal {
  kind: 'key' | 'user';
  /** What the audit log records besides the name: the key's id, or "user:<username>" for a person. */
  id: string;
  name: string;
  role: Role;
  /** The sites a moderator may act on; null means every site (admins, and moderator keys made without --site). */
  sites: readonly string[] | null;
}
