import { parseArgs } from 'node:util';
import type { Readable } from 'node:stream';
import { CLI } from '../audit/actor.js';
import { UsageError, type Command } from './context.js';

const STDIN_ONLY = '--password-stdin is required: the password is read from standard input (printf %s "$PASSWORD" | ykien …), never from the command line, where the process list and the shell history would show it';

/** The whole of standard input, less one trailing newline (what `echo` and a here-string add). */
async function passwordFrom(stdin: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (!password) throw new UsageError('standard input held no password');
  return password;
}

/**
 *   users create --username U --role admin|moderator [--site S …] --password-stdin
 *   users list
 *   users reset-password U --password-stdin
 *   users disable U
 */
export const usersCommands: Record<string, Command> = {
  'users create': async ({ services, out, stdin }, args) => {
    const { values } = parseArgs({ args, options: { username: { type: 'string' }, role: { type: 'string' }, site: { type: 'string', multiple: true }, 'password-stdin': { type: 'boolean' } } });
    if (!values.username) throw new UsageError('--username is required');
    if (values.role !== 'admin' && values.role !== 'moderator') throw new UsageError('--role must be admin or moderator');
    if (!values['password-stdin']) throw new UsageError(STDIN_ONLY);
    const user = await services.users.create({ username: values.username, role: values.role, sites: values.site ?? [], password: await passwordFrom(stdin) }, CLI);
    out(`Created ${user.role} ${user.username}${user.sites.length ? ` for ${user.sites.join(', ')}` : ''}. Sign in at /admin/.`);
  },
  'users list': async ({ services, out }) => {
    const users = await services.users.list();
    if (!users.length) out('No users yet. Create the first admin with: ykien users create --username NAME --role admin --password-stdin');
    for (const u of users) {
      const last = u.lastLoginAt ? `${u.lastLoginAt.slice(0, 16).replace('T', ' ')} UTC` : 'never';
      out([u.username.padEnd(20), u.role.padEnd(9), (u.role === 'admin' ? '*' : u.sites.join(',')).padEnd(20), u.disabled ? 'disabled' : 'active  ', u.totpEnabled ? '2fa' : '   ', `last login ${last}`, u.displayName].join('  '));
    }
  },
  'users reset-password': async ({ services, out, stdin }, args) => {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'password-stdin': { type: 'boolean' } } });
    const username = positionals[0];
    if (!username || positionals.length > 1) throw new UsageError('users reset-password needs one username');
    if (!values['password-stdin']) throw new UsageError(STDIN_ONLY);
    const user = await services.users.update(username, { password: await passwordFrom(stdin) }, CLI);
    out(`New password set for ${user.username}; every session of theirs has ended.`);
  },
  'users disable': async ({ services, out }, args) => {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    const username = positionals[0];
    if (!username || positionals.length > 1) throw new UsageError('users disable needs one username');
    const user = await services.users.update(username, { disabled: true }, CLI);
    out(`Disabled ${user.username}; every session of theirs has ended.`);
  },
};
