/**
 * The admin API's answers about the console's session, people, keys, sites and surveys, for the OpenAPI
 * document. Each is checked twice at compile time: against its type in src/api/ and against what the
 * server really builds (the service's or store's type), so neither can drift. Strict objects: a password
 * hash, key hash or IP hash the server let slip would fail the response checks.
 */
import { z } from 'zod';
import type { AdminSite, AdminUser, KeyView, ModeratorSite, NewKey, OriginCheck, RecoveryCodes, SessionView, SiteRemoved, StartingCounters, TotpSetup } from '../api/people.js';
import type { AdminSurvey, SurveyTimeline } from '../api/surveys.js';
import type { CountersService } from '../counters/counters.service.js';
import type { keyView } from '../keys/keys.service.js';
import type { SitesService } from '../sites/sites.service.js';
import type { Site, SiteHoldings } from '../sites/sites.store.js';
import type { SurveyExports } from '../surveys/surveys.export.js';
import type { SessionsService } from '../users/sessions.service.js';
import type { UserView } from '../users/users.service.js';
import * as s from './schemas.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <A, B>(ok: Same<A, B>) => ok;

const time = z.iso.datetime({ offset: true });
const id = z.string();
const role = z.enum(['admin', 'moderator']);
const count = z.number().int();

export const sessionView = z
  .strictObject({
    user: z.strictObject({ username: z.string(), displayName: z.string(), role, sites: z.array(id).nullable().describe('null for an admin (every site).'), totpEnabled: z.boolean() }),
    csrfToken: z.string().describe('Send it back as X-CSRF-Token on every write made with this session.'),
    totpSetupRequired: z.boolean().describe('true: this session may only set up two-factor login (REQUIRE_TOTP_FOR_ADMINS).'),
    expiresAt: time,
    idleExpiresAt: time,
  })
  .meta({ id: 'Session' });
same<z.output<typeof sessionView>, SessionView>(true);
same<SessionView, ReturnType<SessionsService['view']>>(true);

export const totpSetup = z
  .strictObject({ secret: z.string().describe('Shown to its owner, once, to scan; two-factor login is on only after /totp/enable.'), uri: z.string() })
  .meta({ id: 'TotpSetup' });
same<z.output<typeof totpSetup>, TotpSetup>(true);
same<TotpSetup, Awaited<ReturnType<SessionsService['setupTotp']>>>(true);

export const recoveryCodes = z.strictObject({ recoveryCodes: z.array(z.string()).describe('Shown this once.') }).meta({ id: 'RecoveryCodes' });
same<z.output<typeof recoveryCodes>, RecoveryCodes>(true);
same<RecoveryCodes, Awaited<ReturnType<SessionsService['enableTotp']>>>(true);

export const adminUser = z
  .strictObject({
    id,
    username: z.string(),
    displayName: z.string(),
    role,
    sites: z.array(id).describe('A moderator\'s sites; empty for an admin.'),
    disabled: z.boolean(),
    totpEnabled: z.boolean(),
    createdAt: time,
    updatedAt: time,
    lastLoginAt: time.nullable(),
  })
  .meta({ id: 'User', description: 'Never a password hash or a TOTP secret.' });
same<z.output<typeof adminUser>, AdminUser>(true);
same<AdminUser, UserView>(true);
export const userList = z.strictObject({ users: z.array(adminUser) }).meta({ id: 'UserList' });

const keyFields = {
  id,
  name: z.string(),
  role,
  siteId: id.nullable().describe('A moderator key\'s one site; null: every site.'),
  keyPrefix: z.string(),
  createdAt: time,
  revokedAt: time.nullable(),
  lastUsedAt: time.nullable(),
};
export const keyViewSchema = z.strictObject(keyFields).meta({ id: 'ApiKey', description: 'Never the key or its hash.' });
same<z.output<typeof keyViewSchema>, KeyView>(true);
same<KeyView, ReturnType<typeof keyView>>(true);
export const newKey = z.strictObject({ ...keyFields, key: z.string().describe('The key itself: in this answer only, never stored.') }).meta({ id: 'NewApiKey' });
same<z.output<typeof newKey>, NewKey>(true);
export const keyList = z.strictObject({ keys: z.array(keyViewSchema) }).meta({ id: 'ApiKeyList' });

const siteFields = {
  id,
  name: z.string(),
  origins: z.array(z.string()),
  timezone: z.string(),
  premoderation: z.boolean(),
  blockedWords: z.array(z.string()),
  blockedWordsAction: z.enum(['spam', 'pending']),
  notifyDigestMinutes: count,
  createdAt: time,
  updatedAt: time,
};
export const adminSite = z.strictObject({ ...siteFields, notifyEmails: z.array(z.string()) }).meta({ id: 'Site' });
same<z.output<typeof adminSite>, AdminSite>(true);
same<AdminSite, Site>(true);
export const moderatorSite = z
  .strictObject({ ...siteFields, notifyEmailCount: count })
  .meta({ id: 'ModeratorSite', description: 'A site as a moderator sees it: how many addresses are notified, not who.' });
same<z.output<typeof moderatorSite>, ModeratorSite>(true);
const anySite = z.union([adminSite, moderatorSite]).meta({ id: 'SiteAsSeen', description: 'An admin sees a Site; a moderator a ModeratorSite.' });
export const siteList = z.strictObject({ sites: z.array(anySite) }).meta({ id: 'SiteList' });
export const siteAsSeen = anySite;

export const originCheck = z.strictObject({ origin: z.string(), allowed: z.boolean(), reason: z.enum(['listed', 'wildcard', 'not_listed']) }).meta({ id: 'OriginCheck' });
same<z.output<typeof originCheck>, OriginCheck>(true);
same<OriginCheck, Awaited<ReturnType<SitesService['originCheck']>>>(true);

const holdings = z.strictObject({ polls: count, ballots: count, surveys: count, surveyResponses: count, comments: count, pages: count, moderatorKeys: count, webhooks: count });
same<z.output<typeof holdings>, SiteHoldings>(true);
export const siteRemoved = z.strictObject({ site: id, removed: holdings }).meta({ id: 'SiteRemoved' });
same<z.output<typeof siteRemoved>, SiteRemoved>(true);
same<SiteRemoved, Awaited<ReturnType<SitesService['remove']>>>(true);

export const startingCounters = z.strictObject({ siteVisits: count, pages: z.record(z.string(), count) }).meta({ id: 'StartingCounters' });
same<z.output<typeof startingCounters>, StartingCounters>(true);
same<StartingCounters, Awaited<ReturnType<CountersService['setStarting']>>>(true);

export const adminSurvey = z
  .strictObject({
    id,
    site: id,
    title: z.string(),
    intro: z.string().nullable(),
    questions: z.array(s.question),
    status: z.enum(['scheduled', 'open', 'closed']),
    opensAt: time.nullable(),
    closesAt: time.nullable(),
    resultsVisibility: z.enum(['always', 'after_vote', 'after_close']),
    template: z.string().nullable().describe('The template it was made from; null when built by hand.'),
    closedAt: time.nullable(),
    createdAt: time,
    updatedAt: time,
    results: s.surveyResults,
  })
  .meta({ id: 'AdminSurvey' });
same<z.output<typeof adminSurvey>, AdminSurvey>(true);
export const surveyList = z.strictObject({ surveys: z.array(adminSurvey) }).meta({ id: 'AdminSurveyList' });

export const surveyTimeline = z
  .strictObject({ surveyId: id, bucket: z.enum(['hour', 'day']), timezone: z.string(), total: count, buckets: z.array(z.strictObject({ start: time, responses: count })) })
  .meta({ id: 'SurveyTimeline' });
same<z.output<typeof surveyTimeline>, SurveyTimeline>(true);
same<SurveyTimeline, Awaited<ReturnType<SurveyExports['timeline']>>>(true);
