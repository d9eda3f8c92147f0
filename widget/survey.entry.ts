/**
 * survey.js, the chunk widget.js loads on pages with a <div data-ykien-survey>: it hands its
 * mount function to the widget that asked for it (widget/survey.loader.ts).
 */
import { report } from './dom.js';
import type { SurveyHandshake } from './survey.loader.js';
import { mountSurvey } from './survey.js';

try {
  (window as unknown as { ykien?: SurveyHandshake }).ykien?._survey?.(mountSurvey);
} catch (e) {
  report(e);
}
