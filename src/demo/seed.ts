import { SEED } from '../audit/actor.js';
import type { Db } from '../db/open.js';
import type { Services } from '../services.js';
import type { SitesService } from '../sites/sites.service.js';
import { demoRepo } from './demo.repo.js';

export const DEMO_SITE_ID = 'tienngoc';
export const DEMO_POLL_ID = 'cong-thong-tin';
export const DEMO_THREAD = 'ke-hoach-206-kh-hu';

/** The demo's name: a real commune's portal in development; in production (seeded only when asked) plainly a demo. */
const demoName = (production: boolean) =>
  production ? 'Trang minh hoạ ykien (không phải cổng thông tin thật)' : 'Cổng thông tin điện tử xã Tiên Ngọc';

/**
 * On a fresh database, creates the demo portal and its sidebar poll (no votes) so a
 * newcomer sees something real. Runs once per database: deleting the demo later sticks.
 * If a site with the demo's id already exists (an operator's real "tienngoc"), nothing is added to it.
 */
export function seedDemo(services: Services, origins: string[], opts: { production?: boolean } = {}): boolean {
  const { db } = services;
  const repo = demoRepo(db);
  if (repo.wasSeeded()) return false;
  return db.transaction(() => {
    const now = services.now();
    repo.markSeeded(now);
    if (services.sites.get(DEMO_SITE_ID)) return false;
    services.sites.create(
      { id: DEMO_SITE_ID, name: demoName(opts.production ?? false), origins, timezone: 'Asia/Ho_Chi_Minh', premoderation: true },
      SEED,
    );
    repo.insertPoll(
      { id: DEMO_POLL_ID, site: DEMO_SITE_ID, question: 'Xin bạn cho ý kiến về cổng thông tin của chúng tôi?', options: ['Bình thường', 'Đẹp, tiện lợi tra cứu', 'Cần chỉnh sửa thêm'] },
      now,
    );
    return true;
  })();
}

/** A check, true while the demo site the seed created exists (not a real site that took its id later). */
export function demoLiveCheck(db: Db, sites: Pick<SitesService, 'get'>): () => boolean {
  const repo = demoRepo(db);
  return () => sites.get(DEMO_SITE_ID) !== undefined && repo.createdBySeed(DEMO_SITE_ID);
}
