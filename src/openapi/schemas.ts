/**
 * The public answers as zod schemas, for the OpenAPI document only. The TypeScript types in src/api/
 * stay what the server and the widget are written against; each schema here is checked, at compile
 * time, to describe exactly that type (Same<…> below), so the document cannot drift from it. Objects
 * are strict: a field the document does not name (an e-mail, a hash) fails the response checks.
 */
import { z } from 'zod';
import type { CommentCounts, PostResult, PublicComment, PublicThreadComment, ThreadPage, CaptchaChallenge } from '../api/comments.js';
import type { PublicPoll, Results, VoteAnswer } from '../api/polls.js';
import type { PublicSurvey, Question, ResponseAnswer, SurveyResults } from '../api/surveys.js';
import type { Figures } from '../counters/counters.store.js';
import type { SiteStats } from '../counters/counters.service.js';

/** True only when A and B are the same type (a mismatch is a compile error where it is asserted). */
// Mutual assignability: an optional field the schema forgets passes here, and fails the strict response checks instead.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <A, B>(ok: Same<A, B>) => ok;

const time = z.iso.datetime({ offset: true });
const id = z.string();

export const problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().describe('Stable machine-readable reason, e.g. "poll_closed".'),
    errors: z.array(z.object({ field: z.string(), message: z.string(), code: z.string().optional() })).optional(),
  })
  .catchall(z.unknown())
  .meta({ id: 'Problem', description: 'RFC 9457 problem details; `code` is stable.' });

const visibility = z.enum(['always', 'after_vote', 'after_close']);
const status = z.enum(['scheduled', 'open', 'closed']);

export const results = z
  .strictObject({
    pollId: id,
    total: z.number().int(),
    voters: z.number().int(),
    options: z.array(z.strictObject({ id, label: z.string(), votes: z.number().int(), percent: z.number(), startingVotes: z.number().int().optional().describe('Only on a poll with starting figures: how many of `votes` came from an old system.') })),
    startingTotal: z.number().int().optional().describe('Only on a poll with starting figures: how many of `total` came from an old system.'),
  })
  .meta({ id: 'PollResults' });
same<z.output<typeof results>, Results>(true);

export const publicPoll = z
  .strictObject({
    id,
    site: id,
    question: z.string(),
    options: z.array(z.strictObject({ id, label: z.string() })),
    maxChoices: z.number().int(),
    status,
    opensAt: time.nullable(),
    closesAt: time.nullable(),
    resultsVisibility: visibility,
    voted: z.boolean(),
    resultsVisible: z.boolean(),
    results: results.nullable(),
  })
  .meta({ id: 'PublicPoll' });
same<z.output<typeof publicPoll>, PublicPoll>(true);

export const voteAnswer = z
  .strictObject({ pollId: id, voted: z.literal(true), resultsVisible: z.boolean(), results: results.nullable(), poll: publicPoll })
  .meta({ id: 'VoteAnswer' });
same<z.output<typeof voteAnswer>, VoteAnswer>(true);

const choice = z.strictObject({ id, label: z.string() });
const scale = z.strictObject({ min: z.number().int(), max: z.number().int(), labels: z.array(z.string()).nullable() });
const base = { id, title: z.string(), section: z.string().nullable(), required: z.boolean() };
export const question = z
  .discriminatedUnion('type', [
    z.strictObject({ ...base, type: z.literal('single'), options: z.array(choice) }),
    z.strictObject({ ...base, type: z.literal('multiple'), options: z.array(choice), maxChoices: z.number().int() }),
    z.strictObject({ ...base, type: z.literal('scale'), scale }),
    z.strictObject({ ...base, type: z.literal('matrix'), items: z.array(choice), scale }),
    z.strictObject({ ...base, type: z.literal('text'), multiline: z.boolean(), maxLength: z.number().int() }),
  ])
  .meta({ id: 'SurveyQuestion' });
same<z.output<typeof question>, Question>(true);

const scaleSummary = {
  answered: z.number().int(),
  mean: z.number().nullable(),
  distribution: z.array(z.strictObject({ value: z.number().int(), label: z.string().nullable(), count: z.number().int(), percent: z.number() })),
};
const texts = z.strictObject({ total: z.number().int(), latest: z.array(z.strictObject({ at: time, text: z.string() })) });
export const surveyResults = z
  .strictObject({
    surveyId: id,
    responses: z.number().int(),
    questions: z.array(
      z.union([
        z.strictObject({
          questionId: id,
          type: z.enum(['single', 'multiple']),
          answered: z.number().int(),
          total: z.number().int(),
          options: z.array(z.strictObject({ id, label: z.string(), count: z.number().int(), percent: z.number() })),
        }),
        z.strictObject({ questionId: id, type: z.literal('scale'), ...scaleSummary }),
        z.strictObject({ questionId: id, type: z.literal('matrix'), answered: z.number().int(), items: z.array(z.strictObject({ id, label: z.string(), ...scaleSummary })) }),
        z.strictObject({ questionId: id, type: z.literal('text'), answered: z.number().int(), texts: texts.optional().describe('Admin results only.') }),
      ]),
    ),
  })
  .meta({ id: 'SurveyResults' });
same<z.output<typeof surveyResults>, SurveyResults>(true);

export const publicSurvey = z
  .strictObject({
    id,
    site: id,
    title: z.string(),
    intro: z.string().nullable(),
    questions: z.array(question),
    status,
    opensAt: time.nullable(),
    closesAt: time.nullable(),
    resultsVisibility: visibility,
    responded: z.boolean(),
    resultsVisible: z.boolean(),
    results: surveyResults.nullable(),
  })
  .meta({ id: 'PublicSurvey' });
same<z.output<typeof publicSurvey>, PublicSurvey>(true);

export const responseAnswer = z
  .strictObject({ surveyId: id, responded: z.literal(true), resultsVisible: z.boolean(), results: surveyResults.nullable() })
  .meta({ id: 'ResponseAnswer' });
same<z.output<typeof responseAnswer>, ResponseAnswer>(true);

export const publicComment = z
  .strictObject({ id, name: z.string(), address: z.string().nullable(), content: z.string(), createdAt: time })
  .meta({ id: 'PublicComment', description: 'Never an e-mail, IP hash or user agent.' });
same<z.output<typeof publicComment>, PublicComment>(true);
const threadComment = z.strictObject({ ...publicComment.shape, replies: z.array(publicComment) }).meta({ id: 'PublicThreadComment' });
same<z.output<typeof threadComment>, PublicThreadComment>(true);

export const threadPage = z
  .strictObject({ total: z.number().int(), comments: z.array(threadComment), nextCursor: z.string().nullable() })
  .meta({ id: 'ThreadPage' });
same<z.output<typeof threadPage>, ThreadPage>(true);

export const commentCounts = z.strictObject({ counts: z.record(z.string(), z.number().int()) }).meta({ id: 'CommentCounts' });
same<z.output<typeof commentCounts>, CommentCounts>(true);

export const postResult = z
  .union([
    z.strictObject({ id, status: z.literal('pending') }),
    z.strictObject({ id, status: z.literal('approved'), comment: z.union([threadComment, publicComment]) }),
  ])
  .meta({ id: 'PostResult' });
same<z.output<typeof postResult>, PostResult>(true);

const pow = z.strictObject({ algorithm: z.string(), challenge: z.string(), maxnumber: z.number().int().optional(), salt: z.string(), signature: z.string() });
export const captcha = z
  .union([
    z.strictObject({ id, mode: z.literal('image'), image: z.string(), width: z.number(), height: z.number(), length: z.number().int(), pow: pow.optional(), expiresAt: time }),
    z.strictObject({ id, mode: z.literal('accessible'), pow, expiresAt: time }),
    z.strictObject({ required: z.literal(false), pow: pow.optional(), expiresAt: time.optional() }),
  ])
  .meta({ id: 'CaptchaChallenge' });
same<z.output<typeof captcha>, CaptchaChallenge>(true);

export const figures = z.strictObject({ views: z.number().int(), siteVisits: z.number().int(), online: z.number().int() }).meta({ id: 'PageFigures' });
same<z.output<typeof figures>, Figures>(true);
export const siteStats = z
  .strictObject({ siteVisits: z.number().int(), online: z.number().int(), days: z.array(z.strictObject({ date: z.iso.date(), views: z.number().int() })) })
  .meta({ id: 'SiteStats' });
same<z.output<typeof siteStats>, SiteStats>(true);

export const health = z.strictObject({ status: z.literal('ok'), version: z.string() });
export const ready = z.strictObject({ status: z.literal('ready') });
export const version = z.strictObject({ name: z.literal('ykien'), version: z.string(), build: z.string().optional() });
