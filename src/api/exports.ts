// The JSON exports (format=json) as the admin API streams them: a head, then the rows. CSV and XLSX carry the same rows.
import type { AdminComment, CommentStatus } from './comments.js';
import type { PollStatus, Results } from './polls.js';
import type { Question, SurveyResults, TemplateSurveyRow } from './surveys.js';

/** GET /v1/admin/polls/:id/export?format=json; times in the site's zone. */
export interface PollExport {
  poll: { id: string; site: string; question: string; status: PollStatus; maxChoices: number; opensAt: string | null; closesAt: string | null; createdAt: string | null };
  timezone: string;
  exportedAt: string;
  results: Results;
}

/** A ballot as an export shows it: its options' labels beside their ids. */
export interface ExportedBallot {
  id: number;
  time: string;
  optionIds: string[];
  options: string[];
  voterHash: string;
  /** null once the retention job erased it. */
  ipHash: string | null;
  userAgent: string | null;
}

/** GET /v1/admin/polls/:id/export?format=json&detail=votes */
export interface PollVotesExport extends PollExport {
  ballots: ExportedBallot[];
}

/** GET /v1/admin/comments/export?format=json; each comment's times in its own site's zone. */
export interface CommentsExport {
  site: string | null;
  status: CommentStatus | null;
  from: string | null;
  to: string | null;
  exportedAt: string;
  comments: AdminComment[];
}

/** GET /v1/admin/surveys/templates/:template/results/export?format=json; times in Vietnam's zone. */
export interface TemplateExport {
  template: { id: string; title: string };
  timezone: string;
  from: string | null;
  to: string | null;
  exportedAt: string;
  questions: Question[];
  province: SurveyResults;
  surveys: TemplateSurveyRow[];
}
