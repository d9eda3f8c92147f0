import { SEED } from '../audit/actor.js';
import type { Container } from '../container.js';
import { createSurveySchema } from '../surveys/surveys.schema.js';
import { parse } from '../validation/validate.js';

export const DEMO_SITE_ID = 'tienngoc';
export const DEMO_POLL_ID = 'cong-thong-tin';
export const DEMO_THREAD = 'ke-hoach-206-kh-hu';
/** The demo's citizen-satisfaction survey (from the "hai-long-dich-vu-cong" template). */
export const DEMO_SURVEY_ID = 'hai-long-dich-vu-cong';
/**
 * Where seeds before the survey had a fixed id noted the random one it got: such a database keeps
 * showing that survey.
 */
const DEMO_SURVEY_SETTING = 'demo_survey';
const SEEDED = 'demo_seeded';

/** The demo's name: a real commune's portal in development; in production (seeded only when asked) plainly a demo. */
const demoName = (production: boolean) =>
  production ? 'Trang minh hoạ ykien (không phải cổng thông tin thật)' : 'Cổng thông tin điện tử xã Tiên Ngọc';

/**
 * On a fresh database, creates the demo portal, its sidebar poll (no votes) and the
 * citizen-satisfaction survey from its template (no responses) so a
 * newcomer sees something real. Runs once per database: deleting the demo later sticks.
 * If a site with the demo's id already exists (an operator's real "tienngoc"), nothing is added to it.
 */
export async function seedDemo(services: Container, origins: string[], opts: { production?: boolean } = {}): Promise<boolean> {
  const { storage, sites, polls, surveys } = services;
  const marker = new Date(services.now()).toISOString();
  // Whoever sets the marker first seeds (two processes starting together seed once).
  if ((await storage.settings.setOnce(SEEDED, marker)) !== marker) return false;
  if (await sites.get(DEMO_SITE_ID)) return false;
  await sites.create({ id: DEMO_SITE_ID, name: demoName(opts.production ?? false), origins, timezone: 'Asia/Ho_Chi_Minh', premoderation: true }, SEED);
  await polls.create(
    {
      site: DEMO_SITE_ID,
      question: 'Xin bạn cho ý kiến về cổng thông tin của chúng tôi?',
      options: ['Bình thường', 'Đẹp, tiện lợi tra cứu', 'Cần chỉnh sửa thêm'],
      maxChoices: 1,
      resultsVisibility: 'always',
    },
    SEED,
    { id: DEMO_POLL_ID, optionIds: [1, 2, 3].map((n) => `${DEMO_POLL_ID}-${n}`), audited: false },
  );
  await surveys.create(parse(createSurveySchema, { site: DEMO_SITE_ID, template: 'hai-long-dich-vu-cong', resultsVisibility: 'always' }), SEED, {
    id: DEMO_SURVEY_ID,
    audited: false,
  });
  return true;
}

/** The id of the survey the demo page shows, once seeded. */
export function demoSurveyId(services: Pick<Container, 'storage'>): () => Promise<string | undefined> {
  return async () => (await services.storage.settings.get(DEMO_SURVEY_SETTING)) ?? DEMO_SURVEY_ID;
}

/** A check, true while the demo site the seed created exists (not a real site that took its id later). */
export function demoLiveCheck(services: Pick<Container, 'sites' | 'storage'>): () => Promise<boolean> {
  return async () => {
    if (!(await services.sites.get(DEMO_SITE_ID))) return false;
    const [created] = await services.storage.audit.list({ sites: [DEMO_SITE_ID], action: 'site.create', limit: 1 });
    return created?.actorId === SEED.id;
  };
}
