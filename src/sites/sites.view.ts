import type { Principal } from '../access/principal.js';
import type { Site } from './sites.store.js';

/**
 * A site as the principal may see it. The moderators' mail addresses are personal data of other staff
 * (as a webhook's URL, they are an admin's business): a moderator sees how many there are, not who.
 */
export function siteView(p: Principal, site: Site): Site | (Omit<Site, 'notifyEmails'> & { notifyEmailCount: number }) {
  if (p.role === 'admin') return site;
  const { notifyEmails, ...rest } = site;
  return { ...rest, notifyEmailCount: notifyEmails.length };
}

/** What the audit log (which a site's moderators read) keeps of a change: the number of addresses, not them. */
export const auditedFields = <T extends { notifyEmails?: string[] | undefined }>(fields: T) =>
  fields.notifyEmails === undefined ? fields : { ...fields, notifyEmails: { count: fields.notifyEmails.length } };
