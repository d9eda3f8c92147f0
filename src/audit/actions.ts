/**
 * Every action the audit log records. The console names each in words (console/strings/audit.ts), and
 * tests/audit.words.test.ts proves it does: an action added here without its words fails there, and an
 * action written without being listed here fails to compile.
 */
export const AUDIT_ACTIONS = [
  'comment.approve',
  'comment.reject',
  'comment.spam',
  'comment.delete',
  'comment.edit',
  'comment.reply',
  'comment.export',
  'comment.import',
  'commenter.erase',
  'poll.create',
  'poll.update',
  'poll.close',
  'poll.reopen',
  'poll.delete',
  'poll.export',
  'poll.starting_figures',
  'survey.create',
  'survey.update',
  'survey.close',
  'survey.reopen',
  'survey.delete',
  'survey.export',
  'survey.template.export',
  'site.create',
  'site.update',
  'site.origins',
  'site.delete',
  'counters.set',
  'webhook.set',
  'webhook.delete',
  'key.create',
  'key.revoke',
  'user.create',
  'user.update',
  'user.disable',
  'user.password_reset',
  'user.password_change',
  'user.totp_enable',
  'user.totp_disable',
  'session.login',
  'session.login_failed',
  'session.logout_all',
  'db.backup',
  'db.migrate_to_postgres',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What an entry is about (its targetId names which one); named in words by the console too. */
export const AUDIT_TARGET_TYPES = ['comment', 'commenter', 'poll', 'survey', 'template', 'site', 'user', 'key', 'database'] as const;

export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];
