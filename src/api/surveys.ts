/**
 * The surveys API's answers, as the server sends them and the widget reads them (imported as types
 * by both; nothing here runs). A survey is an ordered list of questions answered in one response;
 * its status and results visibility follow the same rules as a poll's.
 */
import type { PollStatus, ResultsVisibility } from './polls.js';

export type SurveyStatus = PollStatus;
export type QuestionType = 'single' | 'multiple' | 'scale' | 'matrix' | 'text';

export interface Choice {
  id: string;
  label: string;
}

/** A numeric scale: whole numbers from min to max; labels, when given, name every point in order (max − min + 1). */
export interface Scale {
  min: number;
  max: number;
  labels: string[] | null;
}

interface QuestionBase {
  id: string;
  title: string;
  /** The section this question begins (its title); questions after it belong to it until the next one. */
  section: string | null;
  required: boolean;
}

export type Question =
  | (QuestionBase & { type: 'single'; options: Choice[] })
  | (QuestionBase & { type: 'multiple'; options: Choice[]; maxChoices: number })
  | (QuestionBase & { type: 'scale'; scale: Scale })
  | (QuestionBase & { type: 'matrix'; items: Choice[]; scale: Scale })
  | (QuestionBase & { type: 'text'; multiline: boolean; maxLength: number });

/**
 * One answer, by question type: single → an option id; multiple → option ids; scale → a number;
 * matrix → { itemId: number } (items left out are unanswered); text → a string.
 */
export type Answer = string | string[] | number | Record<string, number>;

/** POST /v1/surveys/:id/responses body */
export interface ResponseBody {
  respondentId: string;
  answers: Record<string, Answer>;
}

export interface ChoiceCount {
  id: string;
  label: string;
  count: number;
  /** Of the question's choices; a question's percentages sum to exactly 100 (largest remainder) when any were chosen. */
  percent: number;
}

export interface ScaleCount {
  value: number;
  label: string | null;
  count: number;
  /** Of the answers to this question or item; sums to exactly 100 when anyone answered. */
  percent: number;
}

export interface ScaleSummary {
  /** Responses that answered it. */
  answered: number;
  /** Rounded to 2 decimals; null when nobody answered. */
  mean: number | null;
  distribution: ScaleCount[];
}

export type QuestionResults =
  | { questionId: string; type: 'single' | 'multiple'; answered: number; total: number; options: ChoiceCount[] }
  | ({ questionId: string; type: 'scale' } & ScaleSummary)
  | { questionId: string; type: 'matrix'; answered: number; items: ({ id: string; label: string } & ScaleSummary)[] }
  /** Free text is never public: the public results give only how many answered; admins read the texts. */
  | { questionId: string; type: 'text'; answered: number; texts?: TextAnswers };

/** Admin results only: the free-text answers of a question, the latest (newest first, at most 100) and how many in all. */
export interface TextAnswers {
  total: number;
  latest: { at: string; text: string }[];
}

export interface SurveyResults {
  surveyId: string;
  /** Responses (people). */
  responses: number;
  questions: QuestionResults[];
}

/** GET /v1/surveys/:id */
export interface PublicSurvey {
  id: string;
  site: string;
  title: string;
  intro: string | null;
  questions: Question[];
  status: SurveyStatus;
  opensAt: string | null;
  closesAt: string | null;
  resultsVisibility: ResultsVisibility;
  /** Whether this respondentId (query parameter) has responded. */
  responded: boolean;
  resultsVisible: boolean;
  results: SurveyResults | null;
}

export interface AdminSurvey extends Omit<PublicSurvey, 'responded' | 'resultsVisible' | 'results'> {
  /** The template it was made from, e.g. "hai-long-dich-vu-cong"; null when built by hand. */
  template: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
  results: SurveyResults;
}

/** POST /v1/surveys/:id/responses → 201 */
export interface ResponseAnswer {
  surveyId: string;
  responded: true;
  resultsVisible: boolean;
  results: SurveyResults | null;
}

/** GET /v1/admin/surveys/templates → { templates: [...] }: a ready questionnaire, by id, and how many questions it has. */
export interface SurveyTemplateSummary {
  id: string;
  title: string;
  questions: number;
}

/** One survey made from the template, with its results in the template's terms. */
export interface TemplateSurveyRow {
  site: string;
  siteName: string;
  surveyId: string;
  title: string;
  createdAt: string;
  results: SurveyResults;
}

/** GET /v1/admin/surveys/templates/:template/results */
export interface TemplateResults {
  template: { id: string; title: string };
  /** The template's questions, with ids of its own (q1, q1.2…) that every row's results use. */
  questions: Question[];
  /** Every survey made from the template in the range, by site name. */
  surveys: TemplateSurveyRow[];
  /** The province: every survey's counts added up, then the same figures computed once (pooled, not a mean of means). */
  province: SurveyResults;
}

/** GET /v1/admin/surveys/:id/timeline: responses per local hour or day of the site's zone, zero-filled. */
export interface SurveyTimeline {
  surveyId: string;
  bucket: 'hour' | 'day';
  timezone: string;
  total: number;
  buckets: { start: string; responses: number }[];
}
