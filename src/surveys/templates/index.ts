import type { ResultsVisibility } from '../../api/polls.js';
import type { QuestionInput } from '../surveys.schema.js';
import { haiLongDichVuCong } from './hai-long-dich-vu-cong.js';

/** A ready questionnaire: what POST /v1/admin/surveys { site, template } creates (the body may override its fields). */
export interface SurveyTemplate {
  id: string;
  title: string;
  intro: string | null;
  resultsVisibility: ResultsVisibility;
  questions: (Omit<QuestionInput, 'section' | 'required'> & { section?: string; required: boolean })[];
}

export const TEMPLATES: ReadonlyMap<string, SurveyTemplate> = new Map([haiLongDichVuCong].map((t) => [t.id, t]));
