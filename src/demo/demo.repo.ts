import type { Db } from '../db/open.js';

/** The few rows the demo seed writes besides its site, and how to tell the seeded demo from a real site. */
export function demoRepo(db: Db) {
  const seeded = db.prepare("SELECT 1 FROM settings WHERE key = 'demo_seeded'").pluck();
  const markSeeded = db.prepare("INSERT OR IGNORE INTO settings (key, value) VALUES ('demo_seeded', ?)");
  const insertPoll = db.prepare(
    `INSERT OR IGNORE INTO polls (id, site_id, question, max_choices, results_visibility, created_at, updated_at)
     VALUES (?, ?, ?, 1, 'always', ?, ?)`,
  );
  const insertOption = db.prepare('INSERT OR IGNORE INTO poll_options (id, poll_id, position, label) VALUES (?, ?, ?, ?)');
  // Who created the site last: the seed, or an operator who deleted the demo and made a real site of that id.
  const lastCreator = db
    .prepare("SELECT actor_id FROM audit_log WHERE site_id = ? AND action = 'site.create' ORDER BY at DESC, id DESC LIMIT 1")
    .pluck();
  return {
    wasSeeded: () => seeded.get() !== undefined,
    markSeeded: (at: number) => void markSeeded.run(new Date(at).toISOString()),
    insertPoll: (p: { id: string; site: string; question: string; options: string[] }, at: number) => {
      insertPoll.run(p.id, p.site, p.question, at, at);
      p.options.forEach((label, i) => insertOption.run(`${p.id}-${i + 1}`, p.id, i, label));
    },
    createdBySeed: (siteId: string) => lastCreator.get(siteId) === 'seed',
  };
}
