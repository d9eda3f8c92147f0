import { parseArgs } from 'node:util';
import { z } from 'zod';
import { UsageError, type Command } from '../cli/context.js';

/**
 *   mail test --to ADDR   one test mail through SMTP_URL now, printing the server's answer
 */
export const mailCommands: Record<string, Command> = {
  'mail test': async ({ services, out }, args) => {
    const { values, positionals } = parseArgs({ args, options: { to: { type: 'string' } }, allowPositionals: true, strict: true });
    if (positionals.length || !values.to) throw new UsageError('mail test needs the recipient: mail test --to ADDR');
    const to = z.email().safeParse(values.to.trim());
    if (!to.success) throw new UsageError(`--to ${JSON.stringify(values.to)} is not an e-mail address`);
    const answer = await services.mail.test(to.data);
    out(`Sent to ${to.data}. The SMTP server answered: ${answer.response}`);
  },
};
