import { setCountersSchema } from '../counters/counters.schema.js';
import { timelineQuery } from '../exports/exports.schema.js';
import { XLSX_CONTENT_TYPE } from '../exports/xlsx.js';
import { createKeySchema } from '../keys/keys.schema.js';
import { changeOriginsSchema, createSiteSchema, deleteSiteQuery, originCheckQuery, updateSiteSchema } from '../sites/sites.schema.js';
import { surveyExportQuery } from '../surveys/surveys.export.js';
import { createSurveySchema, listSurveysQuerySchema, updateSurveySchema } from '../surveys/surveys.schema.js';
import { changePasswordSchema, createUserSchema, loginSchema, passwordConfirmSchema, totpCodeSchema, updateUserSchema } from '../users/users.schema.js';
import type { Answer, Operation } from './operation.js';
import * as s from './schemas.js';
import * as p from './schemas.people.js';

const problem = (description: string): Answer => ({ description });
const invalid = { 400: problem('The request is not valid (`validation_failed` names each field).') };
const signedIn = { 401: problem('No session (`unauthorized`), or it ended (`session_expired`).') };
const adminOnly = { 401: problem('No key or session (`unauthorized`, `session_expired`).'), 403: problem('Not an admin (`forbidden`), or a session\'s write without its X-CSRF-Token (`csrf_invalid`).') };
const staff = { 401: problem('No key or session (`unauthorized`, `session_expired`).'), 403: problem('Not this site\'s moderator (`forbidden`), or a write without X-CSRF-Token (`csrf_invalid`).') };
const setsCookie = { 'Set-Cookie': 'The session cookie (`ykien_session`, `__Host-ykien_session` over https): HttpOnly, SameSite=Strict, no Max-Age.' };
const clearsCookie = { 'Set-Cookie': 'The session cookie, emptied (Max-Age=0).' };
const noSuch = (what: string) => ({ 404: problem(`No such ${what} (\`not_found\`).`) });
const created = (description: string) => ({ Location: description });

/** /v1/session, /v1/admin/users, /keys, /sites (but its webhook) and /surveys (but its templates). */
export const OPERATIONS_PEOPLE: Operation[] = [
  { method: 'post', path: '/v1/session', tag: 'Console session', summary: 'Sign in', description: 'A person\'s username and password (and TOTP code or a recovery code when two-factor login is on). Only from the service\'s own origin when the browser sends Origin.', body: loginSchema, responses: { 200: { description: 'Signed in: the session cookie is set.', schema: p.sessionView, headers: setsCookie }, ...invalid, 401: problem('`login_failed`, or `totp_required` / `totp_invalid` (the same answer whichever part was wrong).'), 403: problem('Posted from another origin (`origin_not_allowed`).'), 429: problem('`login_throttled`, with `Retry-After`.') } },
  { method: 'get', path: '/v1/session', tag: 'Console session', summary: 'Who is signed in, and the CSRF token', auth: 'session', responses: { 200: { description: 'The session.', schema: p.sessionView }, ...signedIn } },
  { method: 'delete', path: '/v1/session', tag: 'Console session', summary: 'Sign out', auth: 'session', responses: { 204: { description: 'Signed out: the cookie is cleared.', headers: clearsCookie }, ...signedIn, 403: problem('`csrf_invalid`.') } },
  { method: 'post', path: '/v1/session/logout-all', tag: 'Console session', summary: 'Sign out everywhere', auth: 'session', responses: { 204: { description: 'Every session of this person ended.', headers: clearsCookie }, ...signedIn, 403: problem('`csrf_invalid`, or `totp_setup_required`.') } },
  { method: 'post', path: '/v1/session/password', tag: 'Console session', summary: 'Change one\'s own password', auth: 'session', body: changePasswordSchema, responses: { 204: { description: 'Changed; the other sessions ended.' }, 400: problem('`validation_failed`, or `weak_password`.'), ...signedIn, 403: problem('`csrf_invalid`, `wrong_password`, or `totp_setup_required`.') } },
  { method: 'post', path: '/v1/session/totp/setup', tag: 'Console session', summary: 'Start setting up two-factor login', auth: 'session', responses: { 200: { description: 'A new secret to scan; on only once confirmed.', schema: p.totpSetup }, ...signedIn, 403: problem('`csrf_invalid`.'), 409: problem('`totp_already_enabled`.') } },
  { method: 'post', path: '/v1/session/totp/enable', tag: 'Console session', summary: 'Confirm two-factor login with a code', auth: 'session', body: totpCodeSchema, responses: { 200: { description: 'On: the recovery codes, shown this once.', schema: p.recoveryCodes }, 400: problem('`validation_failed`, or a wrong code (`totp_invalid`).'), ...signedIn, 403: problem('`csrf_invalid`.'), 409: problem('`totp_already_enabled`, or `totp_not_set_up`.') } },
  { method: 'post', path: '/v1/session/totp/disable', tag: 'Console session', summary: 'Turn two-factor login off', auth: 'session', body: passwordConfirmSchema, responses: { 204: { description: 'Off.' }, ...invalid, ...signedIn, 403: problem('`csrf_invalid`, `wrong_password`, or REQUIRE_TOTP_FOR_ADMINS (`forbidden`).'), 409: problem('`totp_not_enabled`.') } },

  { method: 'get', path: '/v1/admin/users', tag: 'People', summary: 'The people who sign in to the console', auth: 'admin', responses: { 200: { description: 'Every user.', schema: p.userList }, ...adminOnly } },
  { method: 'post', path: '/v1/admin/users', tag: 'People', summary: 'Add a person', auth: 'admin', body: createUserSchema, responses: { 201: { description: 'Added.', schema: p.adminUser }, 400: problem('`validation_failed` (an unknown site names `sites`), or `weak_password`.'), ...adminOnly, 409: problem('`username_taken`.') } },
  { method: 'get', path: '/v1/admin/users/:username', tag: 'People', summary: 'A person', auth: 'admin', responses: { 200: { description: 'The user.', schema: p.adminUser }, ...adminOnly, ...noSuch('user') } },
  { method: 'patch', path: '/v1/admin/users/:username', tag: 'People', summary: 'Change a person (role, sites, password, disable, turn two-factor off)', auth: 'admin', body: updateUserSchema, responses: { 200: { description: 'Changed.', schema: p.adminUser }, 400: problem('`validation_failed`, or `weak_password`.'), ...adminOnly, ...noSuch('user'), 409: problem('`last_admin`: the last active admin stays.') } },

  { method: 'get', path: '/v1/admin/keys', tag: 'API keys', summary: 'The API keys', auth: 'admin', responses: { 200: { description: 'Every key, revoked ones too; never the key itself.', schema: p.keyList }, ...adminOnly } },
  { method: 'post', path: '/v1/admin/keys', tag: 'API keys', summary: 'Make a key', auth: 'admin', body: createKeySchema, responses: { 201: { description: 'Made: the key is in this answer only.', schema: p.newKey }, ...invalid, ...adminOnly } },
  { method: 'delete', path: '/v1/admin/keys/:id', tag: 'API keys', summary: 'Revoke a key', auth: 'admin', responses: { 204: { description: 'Revoked.' }, ...adminOnly, ...noSuch('key') } },

  { method: 'get', path: '/v1/admin/sites', tag: 'Sites', summary: 'The sites one may see', auth: 'staff', responses: { 200: { description: 'An admin sees every site; a moderator their own, without the notified addresses.', schema: p.siteList }, ...staff } },
  { method: 'post', path: '/v1/admin/sites', tag: 'Sites', summary: 'Add a site', auth: 'admin', body: createSiteSchema, responses: { 201: { description: 'Added.', schema: p.adminSite, headers: created('/v1/admin/sites/{site}') }, ...invalid, ...adminOnly, 409: problem('`site_exists`.') } },
  { method: 'get', path: '/v1/admin/sites/:site', tag: 'Sites', summary: 'A site', auth: 'staff', responses: { 200: { description: 'As the caller may see it.', schema: p.siteAsSeen }, ...staff, ...noSuch('site') } },
  { method: 'patch', path: '/v1/admin/sites/:site', tag: 'Sites', summary: 'Change a site', auth: 'admin', body: updateSiteSchema, responses: { 200: { description: 'Changed.', schema: p.adminSite }, ...invalid, ...adminOnly, ...noSuch('site') } },
  { method: 'delete', path: '/v1/admin/sites/:site', tag: 'Sites', summary: 'Delete a site and all it holds', description: 'Without `confirm` (or with a wrong one) nothing is deleted. `confirm` is the site\'s id.', auth: 'admin', query: deleteSiteQuery, responses: { 200: { description: 'Deleted, with what went.', schema: p.siteRemoved }, 400: problem('`validation_failed`, or `confirmation_required`.'), ...adminOnly, ...noSuch('site') } },
  { method: 'post', path: '/v1/admin/sites/:site/origins', tag: 'Sites', summary: 'Add and remove origins', auth: 'admin', body: changeOriginsSchema, responses: { 200: { description: 'The site with its new origins.', schema: p.adminSite }, ...invalid, ...adminOnly, ...noSuch('site') } },
  { method: 'get', path: '/v1/admin/sites/:site/origin-check', tag: 'Sites', summary: 'Would a page at this URL be let in?', auth: 'admin', query: originCheckQuery, responses: { 200: { description: 'Its origin, and why it is allowed or not.', schema: p.originCheck }, ...invalid, ...adminOnly, ...noSuch('site') } },
  { method: 'put', path: '/v1/admin/sites/:site/counters', tag: 'Counters', summary: 'Set starting figures (moving from an old counter)', auth: 'admin', body: setCountersSchema, responses: { 200: { description: 'The starting figures now set.', schema: p.startingCounters }, ...invalid, ...adminOnly, ...noSuch('site') } },

  { method: 'get', path: '/v1/admin/surveys', tag: 'Surveys (admin)', summary: 'The surveys', auth: 'admin', query: listSurveysQuerySchema, responses: { 200: { description: 'Every survey, or a site\'s, with full results.', schema: p.surveyList }, ...invalid, ...adminOnly } },
  { method: 'post', path: '/v1/admin/surveys', tag: 'Surveys (admin)', summary: 'Make a survey (by hand or from a template)', auth: 'admin', body: createSurveySchema, responses: { 201: { description: 'Made.', schema: p.adminSurvey, headers: created('/v1/admin/surveys/{id}') }, 400: problem('`validation_failed` (an unknown template names `template`).'), ...adminOnly, 404: problem('No such site (`not_found`).'), 409: problem('`survey_exists`.') } },
  { method: 'get', path: '/v1/admin/surveys/:id', tag: 'Surveys (admin)', summary: 'A survey, with full results', auth: 'admin', responses: { 200: { description: 'The survey.', schema: p.adminSurvey }, ...adminOnly, ...noSuch('survey') } },
  { method: 'patch', path: '/v1/admin/surveys/:id', tag: 'Surveys (admin)', summary: 'Change a survey', auth: 'admin', body: updateSurveySchema, responses: { 200: { description: 'Changed.', schema: p.adminSurvey }, ...invalid, ...adminOnly, ...noSuch('survey'), 409: problem('`survey_has_responses`: what respondents answered cannot change (titles, sections, new options and optional questions can).') } },
  { method: 'delete', path: '/v1/admin/surveys/:id', tag: 'Surveys (admin)', summary: 'Delete a survey and its responses', auth: 'admin', responses: { 204: { description: 'Deleted.' }, ...adminOnly, ...noSuch('survey') } },
  { method: 'post', path: '/v1/admin/surveys/:id/close', tag: 'Surveys (admin)', summary: 'Close now', auth: 'admin', responses: { 200: { description: 'Closed.', schema: p.adminSurvey }, ...adminOnly, ...noSuch('survey') } },
  { method: 'post', path: '/v1/admin/surveys/:id/reopen', tag: 'Surveys (admin)', summary: 'Reopen', auth: 'admin', responses: { 200: { description: 'Open again.', schema: p.adminSurvey }, ...adminOnly, ...noSuch('survey') } },
  { method: 'get', path: '/v1/admin/surveys/:id/results', tag: 'Surveys (admin)', summary: 'Full results (with the latest text answers)', auth: 'admin', responses: { 200: { description: 'Per question.', schema: s.surveyResults }, ...adminOnly, ...noSuch('survey') } },
  { method: 'get', path: '/v1/admin/surveys/:id/export', tag: 'Surveys (admin)', summary: 'Download every response', auth: 'admin', query: surveyExportQuery, responses: { 200: { description: 'A file (Content-Disposition: attachment), one row per response, times in the site\'s zone.', content: ['text/csv', 'application/json', XLSX_CONTENT_TYPE] }, ...invalid, ...adminOnly, ...noSuch('survey') } },
  { method: 'get', path: '/v1/admin/surveys/:id/timeline', tag: 'Surveys (admin)', summary: 'Responses per hour or day', auth: 'admin', query: timelineQuery, responses: { 200: { description: 'Zero-filled, in the site\'s time zone.', schema: p.surveyTimeline }, ...invalid, 400: problem('`validation_failed`, or `range_too_large`.'), ...adminOnly, ...noSuch('survey') } },
];
