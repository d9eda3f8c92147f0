import { auditQuery } from '../audit/audit.routes.js';
import { adminListQuery, bulkSchema, countsQuery, editSchema, eraseQuery, replySchema, webhookSchema } from '../comments/comments.schema.js';
import { commentsExportQuery, pollExportQuery, timelineQuery } from '../exports/exports.schema.js';
import { adminLiveQuery } from '../live/live.routes.js';
import { createPollSchema, listPollsQuerySchema, startingFiguresSchema, updatePollSchema } from '../polls/polls.schema.js';
import { templateExportQuery, templateResultsQuery } from '../surveys/templates.export.js';
import type { Answer, Operation } from './operation.js';
import * as c from './schemas.content.js';

/** The admin API's content: moderation, polls, exports, the log, the overview, live results, survey templates. */

const problem = (description: string): Answer => ({ description });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const common = {
  400: problem('The request is not valid (`validation_failed` names each field).'),
  401: problem('No key or session (`unauthorized`).'),
  429: problem('Rate limited (`rate_limited`), with `Retry-After`.'),
};
/** Routes for admins only: a moderator's key or session is refused. */
const admin = { ...common, 403: problem('Admins only (`forbidden`).') };
/** Routes for moderators too: one scoped to sites acts on those only. */
const staff = { ...common, 403: problem('Not this site (`forbidden`).') };
const exportFile = (what: string, json: Answer['schema']): Answer => ({
  description: `${what}: \`format=csv\`, \`json\` or \`xlsx\`, as a download (Content-Disposition) streamed with its rows.`,
  schema: json,
  content: ['text/csv', XLSX],
});

const comment = (summary: string, ok: number, description: string): Pick<Operation, 'tag' | 'summary' | 'auth' | 'responses'> => ({
  tag: 'Moderation',
  summary,
  auth: 'staff',
  responses: { [ok]: { description, schema: c.adminComment }, ...staff, 404: problem('No such comment (`not_found`).') },
});

const poll = (summary: string, description = 'The poll as an admin sees it, with its results.'): Pick<Operation, 'tag' | 'summary' | 'auth' | 'responses'> => ({
  tag: 'Polls (admin)',
  summary,
  auth: 'admin',
  responses: { 200: { description, schema: c.adminPoll }, ...admin, 404: problem('No such poll (`not_found`).') },
});

const reply = comment('Reply as the editors', 201, 'The reply, published.');
reply.responses = { ...reply.responses, 409: problem('`parent_not_approved`: approve the comment first.'), 422: problem('`reply_too_deep`: reply to the comment it answers.') };

export const OPERATIONS_CONTENT: Operation[] = [
  { method: 'get', path: '/v1/admin/comments', tag: 'Moderation', summary: 'The moderation queue', auth: 'staff', query: adminListQuery, responses: { 200: { description: 'Newest first; `nextCursor` is the next page\'s `cursor`.', schema: c.adminCommentPage }, ...staff } },
  { method: 'get', path: '/v1/admin/comments/counts', tag: 'Moderation', summary: 'How many comments of each status', auth: 'staff', query: countsQuery, responses: { 200: { description: 'Under the same filters as the queue.', schema: c.commentStatusCounts }, ...staff } },
  { method: 'post', path: '/v1/admin/comments/moderate', tag: 'Moderation', summary: 'Moderate many comments at once', auth: 'staff', body: bulkSchema, responses: { 200: { description: 'Each comment\'s status afterwards.', schema: c.bulkModeration }, ...staff, 404: problem('Some comments do not exist (`not_found`, `missing`); nothing was changed.') } },
  { method: 'get', path: '/v1/admin/comments/:id', ...comment('A comment with its private fields', 200, 'The comment.') },
  { method: 'post', path: '/v1/admin/comments/:id/approve', ...comment('Approve (publish) a comment', 200, 'Approved.') },
  { method: 'post', path: '/v1/admin/comments/:id/reject', ...comment('Reject a comment', 200, 'Rejected.') },
  { method: 'post', path: '/v1/admin/comments/:id/spam', ...comment('File a comment as spam', 200, 'Filed as spam.') },
  { method: 'patch', path: '/v1/admin/comments/:id', body: editSchema, ...comment('Correct a comment\'s text', 200, 'Corrected.') },
  { method: 'post', path: '/v1/admin/comments/:id/reply', body: replySchema, ...reply },
  { method: 'delete', path: '/v1/admin/comments/:id', tag: 'Moderation', summary: 'Delete a comment', auth: 'staff', responses: { 204: { description: 'Deleted.' }, ...staff, 404: problem('No such comment.') } },
  { method: 'get', path: '/v1/admin/comments/export', tag: 'Exports', summary: 'Export comments with their private fields', auth: 'staff', query: commentsExportQuery, responses: { 200: exportFile('Every comment of the site (or of the sites the key may see)', c.commentsExport), ...staff, 404: problem('No such site.') } },
  { method: 'delete', path: '/v1/admin/commenters', tag: 'Moderation', summary: 'Erase a commenter\'s comments (a data-deletion request)', auth: 'staff', query: eraseQuery, responses: { 200: { description: 'How many comments were erased, and how many replies went with them.', schema: c.commenterErasure }, ...staff } },

  { method: 'get', path: '/v1/admin/sites/:site/webhook', tag: 'Moderation', summary: 'A site\'s moderation webhook', auth: 'admin', responses: { 200: { description: 'Its URL and dates, never its secret.', schema: c.siteWebhook }, ...admin, 404: problem('No such site, or no webhook.') } },
  { method: 'put', path: '/v1/admin/sites/:site/webhook', tag: 'Moderation', summary: 'Set a site\'s moderation webhook', auth: 'admin', body: webhookSchema, responses: { 200: { description: 'Set; deliveries are signed with the secret (X-Ykien-Signature).', schema: c.siteWebhook }, ...admin, 404: problem('No such site.'), 400: problem('Not valid, or the URL names a loopback or private address (`webhook_target_not_allowed`).') } },
  { method: 'delete', path: '/v1/admin/sites/:site/webhook', tag: 'Moderation', summary: 'Remove a site\'s moderation webhook', auth: 'admin', responses: { 204: { description: 'Removed.' }, ...admin, 404: problem('No such site, or no webhook.') } },

  { method: 'get', path: '/v1/admin/polls', tag: 'Polls (admin)', summary: 'Every poll (of a site)', auth: 'admin', query: listPollsQuerySchema, responses: { 200: { description: 'With their results.', schema: c.adminPollList }, ...admin } },
  { method: 'post', path: '/v1/admin/polls', tag: 'Polls (admin)', summary: 'Create a poll', auth: 'admin', body: createPollSchema, responses: { 201: { description: 'Created; `Location` names it.', schema: c.adminPoll }, ...admin, 404: problem('No such site.') } },
  { method: 'get', path: '/v1/admin/polls/:id', ...poll('A poll as an admin sees it', 'The poll, with its results whatever their visibility.') },
  { method: 'patch', path: '/v1/admin/polls/:id', body: updatePollSchema, ...poll('Change a poll', 'Changed.') },
  { method: 'post', path: '/v1/admin/polls/:id/close', ...poll('Close a poll now', 'Closed.') },
  { method: 'post', path: '/v1/admin/polls/:id/reopen', ...poll('Reopen a closed poll', 'Open again.') },
  { method: 'put', path: '/v1/admin/polls/:id/starting-figures', body: startingFiguresSchema, ...poll('Set a poll\'s starting figures (votes from an old system)', 'Set; `results` show them in `startingVotes` and `startingTotal`.') },
  { method: 'delete', path: '/v1/admin/polls/:id', tag: 'Polls (admin)', summary: 'Delete a poll and its ballots', auth: 'admin', responses: { 204: { description: 'Deleted.' }, ...admin, 404: problem('No such poll.') } },
  { method: 'get', path: '/v1/admin/polls/:id/export', tag: 'Exports', summary: 'Export a poll\'s results or ballots', auth: 'admin', query: pollExportQuery, responses: { 200: exportFile('One row per option, or with `detail=votes` one per ballot', c.pollExportFile), ...admin, 404: problem('No such poll.') } },
  { method: 'get', path: '/v1/admin/polls/:id/timeline', tag: 'Exports', summary: 'A poll\'s ballots per hour or day', auth: 'admin', query: timelineQuery, responses: { 200: { description: 'In the site\'s time zone, zero-filled.', schema: c.pollTimeline }, ...admin, 404: problem('No such poll.') } },

  { method: 'get', path: '/v1/admin/surveys/templates', tag: 'Survey templates', summary: 'The ready questionnaires', auth: 'admin', responses: { 200: { description: 'Each template\'s id, title and number of questions.', schema: c.templateList }, ...admin } },
  { method: 'get', path: '/v1/admin/surveys/templates/:template/results', tag: 'Survey templates', summary: 'A template\'s results on every site', auth: 'admin', query: templateResultsQuery, responses: { 200: { description: 'Each survey made from it, side by side, and the province.', schema: c.templateResults }, ...admin, 404: problem('No such template.') } },
  { method: 'get', path: '/v1/admin/surveys/templates/:template/results/export', tag: 'Exports', summary: 'Export a template\'s results on every site', auth: 'admin', query: templateExportQuery, responses: { 200: exportFile('One row per survey (commune), then the province\'s pooled row', c.templateExport), ...admin, 404: problem('No such template.') } },

  { method: 'get', path: '/v1/admin/audit', tag: 'Audit', summary: 'Who did what', auth: 'staff', query: auditQuery, responses: { 200: { description: 'Newest first; a moderator sees its own sites only.', schema: c.auditPage }, ...staff } },
  { method: 'get', path: '/v1/admin/overview', tag: 'Overview', summary: 'The province at a glance', auth: 'admin', responses: { 200: { description: 'What waits first: the oldest pending comment first.', schema: c.overview }, ...admin } },
  { method: 'get', path: '/v1/admin/live', tag: 'Live results', summary: 'A stream of admin results (server-sent events)', auth: 'admin', query: adminLiveQuery, responses: { 200: { description: '`event: poll` / `event: survey`, `data:` {id, results}, hidden results too.', content: 'text/event-stream' }, ...admin, 404: problem('No such poll or survey.'), 503: problem('`live_unavailable`: poll instead, after `Retry-After`.') } },
];
