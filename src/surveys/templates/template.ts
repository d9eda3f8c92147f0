import type { ResultsVisibility } from '../../api/polls.js';
import type { QuestionInput } from '../surveys.schema.js';

/** A ready questionnaire: what POST /v1/admin/surveys { site, template } creates (the body may override its fields). */
export interface SurveyTemplate {
  id: string;
  title: string;
  intro: string | null;
  resultsVisibility: ResultsVisibility;
  questions: (Omit<QuestionInput, 'section' | 'required'> & { section?: string; required: boolean })[];
}
