/**
 * The admin API's content answers (moderation, polls, exports, the log, the overview, survey templates) as
 * zod schemas, for the OpenAPI document only. As in schemas.ts, each is checked at compile time to describe
 * exactly its type in src/api/, and objects are strict.
 */
import { z } from 'zod';
import type { AuditPage, AuditView } from '../api/audit.js';
import type { AdminComment, AdminCommentPage, BulkModeration, CommenterErasure, CommentStatusCounts, SiteWebhook } from '../api/comments.js';
import type { CommentsExport, ExportedBallot, PollExport, PollVotesExport, TemplateExport } from '../api/exports.js';
import type { Overview } from '../api/overview.js';
import type { AdminPoll, AdminPollList, PollTimeline } from '../api/polls.js';
import type { SurveyTemplateSummary, TemplateResults } from '../api/surveys.js';
import { publicPoll, question, results, surveyResults } from './schemas.js';

// Mutual assignability, as in schemas.ts.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <A, B>(ok: Same<A, B>) => ok;

const time = z.iso.datetime({ offset: true });
const id = z.string();
const count = z.number().int();
const commentStatus = z.enum(['pending', 'approved', 'rejected', 'spam']);

export const adminComment = z
  .strictObject({
    id,
    site: id,
    thread: z.string(),
    parentId: id.nullable(),
    status: commentStatus,
    spamReason: z.string().nullable().describe('Why it was filed under spam or pending ("links:3", "words:1").'),
    name: z.string(),
    address: z.string().nullable(),
    email: z.string().nullable(),
    content: z.string(),
    ipHash: z.string().nullable(),
    userAgent: z.string().nullable(),
    createdAt: time,
    updatedAt: time,
    moderatedAt: time.nullable(),
    moderatedBy: z.string().nullable().describe('The last moderator\'s key name.'),
  })
  .meta({ id: 'AdminComment', description: 'A comment as a moderator sees it, e-mail, IP hash and user agent included.' });
same<z.output<typeof adminComment>, AdminComment>(true);

export const adminCommentPage = z.strictObject({ comments: z.array(adminComment), nextCursor: z.string().nullable() }).meta({ id: 'AdminCommentPage' });
same<z.output<typeof adminCommentPage>, AdminCommentPage>(true);

export const commentStatusCounts = z
  .strictObject({ counts: z.strictObject({ pending: count, approved: count, rejected: count, spam: count }) })
  .meta({ id: 'CommentStatusCounts' });
same<z.output<typeof commentStatusCounts>, CommentStatusCounts>(true);

export const bulkModeration = z
  .strictObject({
    action: z.enum(['approve', 'reject', 'spam', 'delete']),
    results: z.array(z.strictObject({ id, status: z.enum([...commentStatus.options, 'deleted']) })),
  })
  .meta({ id: 'BulkModeration' });
same<z.output<typeof bulkModeration>, BulkModeration>(true);

export const commenterErasure = z.strictObject({ erased: count, repliesRemoved: count }).meta({ id: 'CommenterErasure' });
same<z.output<typeof commenterErasure>, CommenterErasure>(true);

export const siteWebhook = z
  .strictObject({ site: id, url: z.string(), createdAt: time, updatedAt: time })
  .meta({ id: 'SiteWebhook', description: 'Never the secret.' });
same<z.output<typeof siteWebhook>, SiteWebhook>(true);

export const adminPoll = z
  .strictObject({
    ...publicPoll.omit({ voted: true, resultsVisible: true, results: true }).shape,
    closedAt: time.nullable(),
    createdAt: time,
    updatedAt: time,
    results,
  })
  .meta({ id: 'AdminPoll' });
same<z.output<typeof adminPoll>, AdminPoll>(true);

export const adminPollList = z.strictObject({ polls: z.array(adminPoll) }).meta({ id: 'AdminPollList' });
same<z.output<typeof adminPollList>, AdminPollList>(true);

export const pollTimeline = z
  .strictObject({
    pollId: id,
    bucket: z.enum(['hour', 'day']),
    timezone: z.string(),
    total: count,
    buckets: z.array(z.strictObject({ start: time, votes: count })),
  })
  .meta({ id: 'PollTimeline', description: 'Ballots per local hour or day of the site\'s zone, zero-filled.' });
same<z.output<typeof pollTimeline>, PollTimeline>(true);

export const auditEntry = z
  .strictObject({
    id: z.number().int(),
    at: time,
    actor: z.string().describe('The key\'s name at the time, or "cli", "seed".'),
    actorId: z.string().nullable(),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string().nullable(),
    site: id.nullable(),
    detail: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'AuditEntry' });
same<z.output<typeof auditEntry>, AuditView>(true);

export const auditPage = z.strictObject({ entries: z.array(auditEntry), nextCursor: z.string().nullable() }).meta({ id: 'AuditPage' });
same<z.output<typeof auditPage>, AuditPage>(true);

const siteFigures = {
  pending: count,
  oldestPendingAt: time.nullable(),
  openPolls: count,
  openSurveys: count,
  viewsToday: count,
  visitsToday: count,
};
export const overview = z
  .strictObject({
    at: time,
    sites: z.array(z.strictObject({ site: id, name: z.string(), timeZone: z.string(), ...siteFigures })),
    totals: z.strictObject({ ...siteFigures, sites: count }),
  })
  .meta({ id: 'Overview', description: 'Every site\'s queue, what is open, and today\'s counters, each in the site\'s own day.' });
same<z.output<typeof overview>, Overview>(true);

export const templateList = z
  .strictObject({ templates: z.array(z.strictObject({ id, title: z.string(), questions: count })) })
  .meta({ id: 'SurveyTemplateList' });
same<z.output<typeof templateList>, { templates: SurveyTemplateSummary[] }>(true);

export const templateResults = z
  .strictObject({
    template: z.strictObject({ id, title: z.string() }),
    questions: z.array(question),
    surveys: z.array(z.strictObject({ site: id, siteName: z.string(), surveyId: id, title: z.string(), createdAt: time, results: surveyResults })),
    province: surveyResults,
  })
  .meta({ id: 'TemplateResults', description: 'One template\'s results on every site, side by side, and the province\'s pooled figures.' });
same<z.output<typeof templateResults>, TemplateResults>(true);

// The JSON exports (format=json): a head, then the rows, times in the site's zone (a template's: Vietnam's).
const localTime = time.nullable();
export const pollExport = z
  .strictObject({
    poll: z.strictObject({ id, site: id, question: z.string(), status: z.enum(['scheduled', 'open', 'closed']), maxChoices: count, opensAt: localTime, closesAt: localTime, createdAt: localTime }),
    timezone: z.string(),
    exportedAt: time,
    results,
  })
  .meta({ id: 'PollExport' });
same<z.output<typeof pollExport>, PollExport>(true);

export const exportedBallot = z
  .strictObject({ id: z.number().int(), time, optionIds: z.array(id), options: z.array(z.string()), voterHash: z.string(), ipHash: z.string().nullable(), userAgent: z.string().nullable() })
  .meta({ id: 'ExportedBallot', description: 'The options\' labels beside their ids; `ipHash` is null once the retention job erased it.' });
same<z.output<typeof exportedBallot>, ExportedBallot>(true);

export const pollVotesExport = z.strictObject({ ...pollExport.shape, ballots: z.array(exportedBallot) }).meta({ id: 'PollVotesExport' });
same<z.output<typeof pollVotesExport>, PollVotesExport>(true);

export const commentsExport = z
  .strictObject({ site: id.nullable(), status: commentStatus.nullable(), from: localTime, to: localTime, exportedAt: time, comments: z.array(adminComment) })
  .meta({ id: 'CommentsExport' });
same<z.output<typeof commentsExport>, CommentsExport>(true);

export const templateExport = z
  .strictObject({
    template: z.strictObject({ id, title: z.string() }),
    timezone: z.string(),
    from: localTime,
    to: localTime,
    exportedAt: time,
    questions: z.array(question),
    province: surveyResults,
    surveys: templateResults.shape.surveys,
  })
  .meta({ id: 'TemplateExport' });
same<z.output<typeof templateExport>, TemplateExport>(true);

export const pollExportFile = z.union([pollExport, pollVotesExport]).meta({ id: 'PollExportFile', description: 'The results, or with `detail=votes` the ballots too.' });
same<z.output<typeof pollExportFile>, PollExport | PollVotesExport>(true);
