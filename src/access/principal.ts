export type Role = 'admin' | 'moderator';

/** Who is asking, once authenticated: an API key today, a person with a console session later. */
export interface Principal {
  kind: 'key';
  /** The key's id: what the audit log records besides the name. */
  id: string;
  name: string;
  role: Role;
  /** The sites a moderator may act on; null means every site (admins, and moderator keys made without --site). */
  sites: readonly string[] | null;
}
