import type { Services } from '../services.js';

export const DEMO_SITE_ID = 'tienngoc';
export const DEMO_POLL_ID = 'cong-thong-tin';
export const DEMO_THREAD = 'ke-hoach-206-kh-hu';

/**
 * On a fresh database, creates the demo portal and its sidebar poll (no votes) so a
 * newcomer sees something real. Runs once per database: deleting the demo later sticks.
 */
export function seedDemo(services: Services, origins: string[]): boolean {
  const { db } = services;
  const seeded = db.prepare("SELECT 1 FROM settings WHERE key = 'demo_seeded'").get();
  if (seeded) return false;
  db.transaction(() => {
    if (!services.sites.get(DEMO_SITE_ID)) {
      services.sites.create(
        { id: DEMO_SITE_ID, name: 'Cổng thông tin điện tử xã Tiên Ngọc', origins, timezone: 'Asia/Ho_Chi_Minh', premoderation: true },
        'seed',
      );
    }
    const now = Date.now();
    db.prepare(
      `INSERT OR IGNORE INTO polls (id, site_id, question, max_choices, results_visibility, created_at, updated_at)
       VALUES (?, ?, ?, 1, 'always', ?, ?)`,
    ).run(DEMO_POLL_ID, DEMO_SITE_ID, 'Xin bạn cho ý kiến về cổng thông tin của chúng tôi?', now, now);
    const opt = db.prepare('INSERT OR IGNORE INTO poll_options (id, poll_id, position, label) VALUES (?, ?, ?, ?)');
    ['Bình thường', 'Đẹp, tiện lợi tra cứu', 'Cần chỉnh sửa thêm'].forEach((label, i) =>
      opt.run(`${DEMO_POLL_ID}-${i + 1}`, DEMO_POLL_ID, i, label),
    );
    db.prepare("INSERT INTO settings (key, value) VALUES ('demo_seeded', ?)").run(new Date(now).toISOString());
  })();
  return true;
}
