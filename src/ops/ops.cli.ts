import { createServices } from '../services.js';
import type { CliIo } from '../exports/exports.cli.js';
import type { Db } from '../db/open.js';
import { auditRepo } from '../audit/audit.repo.js';
import { backupDatabase } from './backup.js';

type Out = (line: string) => void;

/**
 *   backup PATH      consistent online copy (SQLite backup API) while the service runs
 *   retention run    erase IP hashes and user agents older than RETENTION_DAYS now
 */
export function opsCommands(usage: (message: string) => Error) {
  return {
    backup: async (db: Db, args: string[], out: Out) => {
      if (args.length !== 1 || !args[0]) throw usage('backup needs the destination file: backup PATH');
      const result = await backupDatabase(db, args[0]);
      auditRepo(db).record({ actor: 'cli', action: 'db.backup', targetType: 'database', detail: { path: result.path, bytes: result.bytes } });
      const counts = Object.entries(result.counts).map(([t, n]) => `${t} ${n}`).join(', ');
      out(`Backed up to ${result.path} (${result.bytes} bytes; ${counts}).`);
    },
    'retention run': (db: Db, args: string[], out: Out, io: CliIo) => {
      if (args.length) throw usage('retention run takes no arguments (RETENTION_DAYS sets the age)');
      const { cutoff, erased } = createServices({ db, config: io.config }).retention.runRetention();
      out(`Erased IP hashes and user agents older than ${cutoff}: ${Object.entries(erased).map(([t, n]) => `${t} ${n}`).join(', ')}.`);
    },
  };
}
