import { forbidden } from '../errors.js';
import type { Principal } from './principal.js';

/**
 * The one rule for sites: an admin acts on every site, a moderator on its own sites (every site
 * when it has none named). Routes and services ask here; nothing else decides it.
 */
export const canAccess = (p: Principal, site: string): boolean => p.role === 'admin' || p.sites === null || p.sites.includes(site);

export function assertAccess(p: Principal, site: string): void {
  if (!canAccess(p, site)) throw forbidden(`This key may not act on site "${site}".`);
}

export function assertAdmin(p: Principal): void {
  if (p.role !== 'admin') throw forbidden('This needs an admin key.');
}

/**
 * The sites a listing may show: the one asked for (after checking access), else every site the
 * principal may see; null means no limit.
 */
export function scopeOf(p: Principal, requested?: string): readonly string[] | null {
  if (requested !== undefined) {
    assertAccess(p, requested);
    return [requested];
  }
  return p.role === 'admin' ? null : p.sites;
}
