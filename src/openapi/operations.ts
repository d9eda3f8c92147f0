import { captchaQuery, listQuery, postCommentSchema, threadCountsQuery } from '../comments/comments.schema.js';
import { viewSchema } from '../counters/counters.schema.js';
import { liveQuery } from '../live/live.routes.js';
import { voteSchema, voterQuerySchema } from '../polls/polls.schema.js';
import { respondentQuerySchema, responseSchema } from '../surveys/surveys.schema.js';
import { OPERATIONS_CONTENT } from './operations.content.js';
import { OPERATIONS_PEOPLE } from './operations.people.js';
import type { Answer, Operation } from './operation.js';
import * as s from './schemas.js';

export type { Answer, Operation } from './operation.js';

const problem = (description: string): Answer => ({ description });
const common = { 400: problem('The request is not valid (`validation_failed` names each field).'), 429: problem('Rate limited (`rate_limited`), with `Retry-After`.') };
const site = { 403: problem('The page\'s origin is not in the site\'s `origins` (`origin_not_allowed`).'), 404: problem('No such site (`not_found`).') };

/** Every operation the document describes; tests/openapi.test.ts proves each Express route is here or listed as not yet. */
export const OPERATIONS: Operation[] = [
  { method: 'get', path: '/healthz', tag: 'Operations', summary: 'The process runs', responses: { 200: { description: 'Alive.', schema: s.health } } },
  { method: 'get', path: '/readyz', tag: 'Operations', summary: 'The database answers and is migrated', responses: { 200: { description: 'Ready.', schema: s.ready }, 503: problem('Not ready (`not_ready`).') } },
  { method: 'get', path: '/version', tag: 'Operations', summary: 'The release that answers', responses: { 200: { description: 'Name, version and build.', schema: s.version } } },

  { method: 'get', path: '/v1/polls/:id', tag: 'Polls', summary: 'A poll as a reader sees it', query: voterQuerySchema, responses: { 200: { description: 'The poll, with results where this reader may see them.', schema: s.publicPoll }, 304: { description: 'Not modified (If-None-Match).' }, ...common, 403: site[403], 404: problem('No such poll.') } },
  { method: 'get', path: '/v1/polls/:id/results', tag: 'Polls', summary: 'A poll\'s results', query: voterQuerySchema, responses: { 200: { description: 'Counts and percentages (summing to 100).', schema: s.results }, 304: { description: 'Not modified.' }, ...common, 403: problem('Hidden until the reader votes or the poll closes (`results_hidden`), or a foreign origin.'), 404: problem('No such poll.') } },
  { method: 'post', path: '/v1/polls/:id/votes', tag: 'Polls', summary: 'Vote', body: voteSchema, responses: { 201: { description: 'Stored durably.', schema: s.voteAnswer }, ...common, 403: site[403], 404: problem('No such poll.'), 409: problem('`already_voted`, `poll_closed`, `poll_not_open`.'), 422: problem('`unknown_option`, `too_many_choices`.') } },

  { method: 'get', path: '/v1/surveys/:id', tag: 'Surveys', summary: 'A survey as a respondent sees it', query: respondentQuerySchema, responses: { 200: { description: 'The questions, with results where visible.', schema: s.publicSurvey }, 304: { description: 'Not modified.' }, ...common, 403: site[403], 404: problem('No such survey.') } },
  { method: 'get', path: '/v1/surveys/:id/results', tag: 'Surveys', summary: 'A survey\'s results', query: respondentQuerySchema, responses: { 200: { description: 'Per question.', schema: s.surveyResults }, 304: { description: 'Not modified.' }, ...common, 403: problem('`results_hidden`, or a foreign origin.'), 404: problem('No such survey.') } },
  { method: 'post', path: '/v1/surveys/:id/responses', tag: 'Surveys', summary: 'Respond', body: responseSchema, responses: { 201: { description: 'Stored durably.', schema: s.responseAnswer }, ...common, 403: site[403], 404: problem('No such survey.'), 409: problem('`already_responded`, `survey_closed`, `survey_not_open`.') } },

  { method: 'get', path: '/v1/sites/:site/captcha', tag: 'Comments', summary: 'A captcha for the comment form', query: captchaQuery, responses: { 200: { description: 'A picture (or the accessible challenge) and, when on, a proof of work.', schema: s.captcha }, ...common, ...site } },
  { method: 'get', path: '/v1/sites/:site/threads/:thread/comments', tag: 'Comments', summary: 'A page of a thread\'s approved comments', query: listQuery, responses: { 200: { description: 'Oldest first, each with its approved replies.', schema: s.threadPage }, 304: { description: 'Not modified.' }, ...common, ...site } },
  { method: 'post', path: '/v1/sites/:site/threads/:thread/comments', tag: 'Comments', summary: 'Post a comment', body: postCommentSchema, responses: { 201: { description: 'Published.', schema: s.postResult }, 202: { description: 'Waiting for a moderator.', schema: s.postResult }, ...common, ...site, 409: problem('`duplicate_comment` and similar refusals.'), 422: problem('`captcha_failed`, `too_many_links` and similar.') } },
  { method: 'get', path: '/v1/sites/:site/comment-counts', tag: 'Comments', summary: 'Many threads\' comment counts', query: threadCountsQuery, responses: { 200: { description: 'Each asked key → its visible comments.', schema: s.commentCounts }, 304: { description: 'Not modified.' }, ...common, ...site } },

  { method: 'post', path: '/v1/sites/:site/pages/:page/views', tag: 'Counters', summary: 'Count a view', body: viewSchema, responses: { 200: { description: 'The page\'s and the site\'s figures.', schema: s.figures }, ...common, ...site } },
  { method: 'get', path: '/v1/sites/:site/pages/:page/views', tag: 'Counters', summary: 'A page\'s figures', responses: { 200: { description: 'Without counting.', schema: s.figures }, ...common, ...site } },
  { method: 'get', path: '/v1/sites/:site/stats', tag: 'Counters', summary: 'The site\'s figures', responses: { 200: { description: 'Visits, online, views per day.', schema: s.siteStats }, ...common, ...site } },

  ...OPERATIONS_CONTENT,

  { method: 'get', path: '/v1/sites/:site/live', tag: 'Live results', summary: 'A stream of results (server-sent events)', query: liveQuery, responses: { 200: { description: '`event: poll` / `event: survey`, `data:` {id, results}.', content: 'text/event-stream' }, ...common, 403: problem('`results_hidden`, or a foreign origin.'), 404: problem('No such site, poll or survey.'), 503: problem('`live_unavailable`: poll instead.') } },

  ...OPERATIONS_PEOPLE,
];
