import { parseArgs } from 'node:util';
import { CLI } from '../audit/actor.js';
import { UsageError, type Command } from './context.js';

/**
 *   keys create --role admin|moderator --name NAME [--site SITE]
 *   keys list
 *   keys revoke ID
 */
export const keysCommands: Record<string, Command> = {
  'keys create': async ({ services, out }, args) => {
    const { values } = parseArgs({ args, options: { role: { type: 'string' }, name: { type: 'string' }, site: { type: 'string' } } });
    if (values.role !== 'admin' && values.role !== 'moderator') throw new UsageError('--role must be admin or moderator');
    // The name's rules are the service's (the admin API has the same); here only whether it was given.
    if (!values.name?.trim()) throw new UsageError('--name is required (at most 100 characters)');
    const { key, row } = await services.keys.create({ name: values.name, role: values.role, siteId: values.site ?? null }, CLI);
    out(`Created ${row.role} key ${row.id} "${row.name}"${row.siteId ? ` for site ${row.siteId}` : ''}. Store it now: it is not shown again.`);
    out(key);
  },
  'keys list': async ({ services, out }) => {
    const rows = await services.keys.list();
    if (!rows.length) out('No keys yet.');
    for (const k of rows) out([k.id, k.role.padEnd(9), (k.siteId ?? '*').padEnd(16), `${k.keyPrefix}…`, k.revokedAt ? 'revoked' : 'active ', k.name].join('  '));
  },
  'keys revoke': async ({ services, out }, args) => {
    const id = args[0];
    if (!id) throw new UsageError('keys revoke needs the key id (see keys list)');
    await services.keys.revoke(id, CLI);
    out(`Revoked key ${id}.`);
  },
};
