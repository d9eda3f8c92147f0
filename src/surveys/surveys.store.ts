import type { ResultsVisibility } from '../api/polls.js';
import type { QuestionType, Scale } from '../api/surveys.js';
import type { AuditRecord } from '../audit/audit.store.js';
import type { BallotSlot } from '../exports/exports.store.js';

/** A survey as stored. Times are epoch ms. */
export interface SurveyRecord {
  id: string;
  siteId: string;
  title: string;
  intro: string | null;
  /** The template it was made from; null when built by hand. */
  template: string | null;
  opensAt: number | null;
  closesAt: number | null;
  closedAt: number | null;
  resultsVisibility: ResultsVisibility;
  /** Responses, kept with every response. */
  responses: number;
  createdAt: number;
  /** Moves forward with every change, even two in the same millisecond: a response checked against an older one is checked again. */
  updatedAt: number;
}

/** An option (single, multiple) or an item (matrix). Ids are unique across every survey. */
export interface ChoiceRecord {
  id: string;
  label: string;
}

/** What a question type needs besides its choices (kept as JSON). */
export interface QuestionSettings {
  maxChoices?: number;
  scale?: Scale;
  multiline?: boolean;
  maxLength?: number;
}

export interface QuestionRecord {
  id: string;
  type: QuestionType;
  title: string;
  section: string | null;
  required: boolean;
  settings: QuestionSettings;
  /** Options of single/multiple, items of matrix, in order; empty otherwise. */
  choices: ChoiceRecord[];
}

/** What a survey is (not how it was answered): its questions in order. */
export interface SurveyDefinition {
  survey: SurveyRecord;
  questions: QuestionRecord[];
}

/**
 * The running counts of a survey, kept in each response's transaction: results never scan responses.
 * `choices`: times an option was chosen, or a matrix item answered; `values`: the distribution of a
 * scale question (by question id) or of a matrix item (by item id).
 */
export interface SurveyCounts {
  responses: number;
  answered: ReadonlyMap<string, number>;
  choices: ReadonlyMap<string, number>;
  values: ReadonlyMap<string, ReadonlyMap<number, number>>;
}

/**
 * One stored answer: single → choiceId; multiple → one per chosen option; scale → value;
 * matrix → one per answered item (choiceId + value); text → text.
 */
export interface StoredAnswer {
  questionId: string;
  choiceId: string | null;
  value: number | null;
  text: string | null;
}

export type NewSurvey = Omit<SurveyRecord, 'responses' | 'createdAt' | 'updatedAt'>;

/** A change decided by the surveys service's rules; the store applies it as it is. */
export interface SurveyChange {
  fields?: Partial<Pick<SurveyRecord, 'title' | 'intro' | 'opensAt' | 'closesAt' | 'closedAt' | 'resultsVisibility'>>;
  /** The questions after the change, in order (kept ones by id, new ones with new ids), each with its choices likewise. */
  questions?: (Omit<QuestionRecord, 'choices'> & { isNew: boolean; choices: (ChoiceRecord & { isNew: boolean })[] })[];
  /** Deletes the survey with its questions and responses. */
  remove?: boolean;
  audit?: AuditRecord;
}

export interface NewResponse {
  surveyId: string;
  answers: readonly StoredAnswer[];
  voterHash: string;
  ipHash: string | null;
  userAgent: string | null;
  at: number;
}

/** What the response rules look at, read in the response's own transaction. */
export interface ResponseState {
  survey: SurveyRecord | undefined;
  alreadyResponded: boolean;
  /** Responses from the same network since `ipSince`; null when no cap applies. */
  responsesFromIp: number | null;
}

export type SubmitResult = { outcome: 'ok'; survey: SurveyRecord; counts: SurveyCounts } | { outcome: 'duplicate' };

/** One response as an export lists it, with its answers in no particular order. */
export interface ResponseExportRecord {
  id: number;
  at: number;
  answers: StoredAnswer[];
}

/** The free-text answers of one question: how many, and the latest, newest first. */
export interface TextAnswers {
  total: number;
  latest: { at: number; text: string }[];
}

/** What the surveys feature needs from storage. */
export interface SurveysStore {
  definition(id: string): Promise<SurveyDefinition | undefined>;
  /** Every survey of these sites (null: all) with its counts, newest first, in a fixed number of queries. */
  list(sites: readonly string[] | null): Promise<(SurveyDefinition & { counts: SurveyCounts })[]>;
  /** Live counts, and whether this respondent has responded (null: nobody asks), read together. */
  state(id: string, voterHash: string | null): Promise<{ counts: SurveyCounts; responded: boolean }>;
  hasResponded(id: string, voterHash: string): Promise<boolean>;
  /** Creates the survey, its questions and their choices; false when the id is taken. */
  create(survey: NewSurvey, questions: readonly QuestionRecord[], at: number, audit: AuditRecord | null): Promise<boolean>;
  /** Reads the survey, lets `plan` decide (throw to refuse; undefined = no such survey), applies the change and its audit entry, in one transaction. */
  change<T>(id: string, at: number, plan: (current: SurveyDefinition | undefined) => { change: SurveyChange; result: T }): Promise<T>;
  /**
   * Stores one response whole (the response, every answer, the counts) or nothing, exactly once per
   * (survey, respondent): `admit` sees the state in the response's transaction and throws to refuse.
   * 'duplicate' when the respondent had already responded (by the unique constraint, whatever admit saw).
   */
  submit(response: NewResponse, ipSince: number | null, admit: (state: ResponseState) => void): Promise<SubmitResult>;
  /** The free-text answers of these questions: the total and the latest `limit`, newest first. */
  texts(surveyId: string, questionIds: readonly string[], limit: number): Promise<Map<string, TextAnswers>>;
  /** Every response, oldest first (time, then id), streamed from one snapshot (as ExportsStore's streams). */
  responses(surveyId: string): AsyncIterable<ResponseExportRecord>;
  /** Responses in [from, to) per 15-minute UTC slot: slots with responses only, in time order (`ballots` = responses). */
  responseSlots(surveyId: string, from: number, to: number): Promise<BallotSlot[]>;
}
