import { haiLongDichVuCong } from './hai-long-dich-vu-cong.js';
import type { SurveyTemplate } from './template.js';

export type { SurveyTemplate };

/** Every template, by id. */
export const TEMPLATES: ReadonlyMap<string, SurveyTemplate> = new Map([haiLongDichVuCong].map((t) => [t.id, t]));
