import { CLI } from '../audit/actor.js';
import { UsageError, type Command } from '../cli/context.js';

/**
 *   backup PATH      consistent online copy of the database while the service runs
 *   retention run    erase IP hashes and user agents older than RETENTION_DAYS now
 */
export const opsCommands: Record<string, Command> = {
  backup: async ({ services, out }, args) => {
    if (args.length !== 1 || !args[0]) throw new UsageError('backup needs the destination file: backup PATH');
    const result = await services.storage.backup(args[0]);
    await services.audit.record({ actor: CLI, action: 'db.backup', targetType: 'database', detail: { path: result.path, bytes: result.bytes } });
    const counts = Object.entries(result.counts).map(([t, n]) => `${t} ${n}`).join(', ');
    out(`Backed up to ${result.path} (${result.bytes} bytes; ${counts}).`);
  },
  'retention run': async ({ services, out }, args) => {
    if (args.length) throw new UsageError('retention run takes no arguments (RETENTION_DAYS sets the age)');
    const { cutoff, erased } = await services.retention.runRetention();
    out(`Erased IP hashes and user agents older than ${cutoff}: ${Object.entries(erased).map(([t, n]) => `${t} ${n}`).join(', ')}.`);
  },
};
