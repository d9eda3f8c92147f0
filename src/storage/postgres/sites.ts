import { SiteIdTaken, type NewSite, type SiteFields, type SiteHoldings, type SitesStore } from '../../sites/sites.store.js';
import { eraseQuotedTextOfSite, writeAudit } from './audit.js';
import type { PgDb } from './db.js';
import { postgresFormat } from '../rows/format.js';
import { siteMapper, type SiteRowOf } from '../rows/sites.js';
import { isUniqueViolation, type Client } from './pool.js';

type SiteRow = SiteRowOf<unknown, boolean>;
const toSite = siteMapper(postgresFormat);

const HOLDINGS = `SELECT (SELECT COUNT(*) FROM polls WHERE site_id = $1)::int AS polls,
  (SELECT COUNT(*) FROM ballots b JOIN polls p ON p.id = b.poll_id WHERE p.site_id = $1)::int AS ballots,
  (SELECT COUNT(*) FROM surveys WHERE site_id = $1)::int AS surveys,
  (SELECT COUNT(*) FROM survey_responses r JOIN surveys s ON s.id = r.survey_id WHERE s.site_id = $1)::int AS "surveyResponses",
  (SELECT COUNT(*) FROM comments WHERE site_id = $1)::int AS comments,
  (SELECT COUNT(*) FROM counter_pages WHERE site_id = $1)::int AS pages,
  (SELECT COUNT(*) FROM api_keys WHERE site_id = $1)::int AS "moderatorKeys",
  (SELECT COUNT(*) FROM site_webhooks WHERE site_id = $1)::int AS webhooks`;

async function insert(c: Client, s: NewSite, at: number): Promise<void> {
  try {
    await c.query('SAVEPOINT site_insert');
    await c.query(
      'INSERT INTO sites (id, name, origins, timezone, premoderation, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)',
      [s.id, s.name, JSON.stringify(s.origins), s.timezone, s.premoderation, at],
    );
    await c.query('RELEASE SAVEPOINT site_insert');
  } catch (err) {
    if (isUniqueViolation(err)) throw new SiteIdTaken(s.id);
    throw err;
  }
}

async function update(c: Client, id: string, f: Partial<SiteFields>, at: number): Promise<void> {
  await c.query(
    `UPDATE sites SET name = COALESCE($2, name), origins = COALESCE($3::jsonb, origins), timezone = COALESCE($4, timezone),
       premoderation = COALESCE($5, premoderation), blocked_words = COALESCE($6::jsonb, blocked_words),
       blocked_words_action = COALESCE($7, blocked_words_action), updated_at = $8,
       notify_emails = COALESCE($9::jsonb, notify_emails), notify_digest_minutes = COALESCE($10, notify_digest_minutes) WHERE id = $1`,
    [
      id,
      f.name ?? null,
      f.origins ? JSON.stringify(f.origins) : null,
      f.timezone ?? null,
      f.premoderation ?? null,
      f.blockedWords ? JSON.stringify(f.blockedWords) : null,
      f.blockedWordsAction ?? null,
      at,
      f.notifyEmails ? JSON.stringify(f.notifyEmails) : null,
      f.notifyDigestMinutes ?? null,
    ],
  );
}

export function pgSitesStore(db: PgDb): SitesStore {
  return {
    async get(id) {
      const r = (await db.rows<SiteRow>('SELECT * FROM sites WHERE id = $1', [id]))[0];
      return r && toSite(r);
    },
    list: async () => (await db.rows<SiteRow>('SELECT * FROM sites ORDER BY id')).map(toSite),
    change: (ids, at, plan) =>
      db.write(async (c) => {
        // The rows the plan decides on are locked until the commit: two changes of one site run one after the other.
        const rows = (await c.query<SiteRow>('SELECT * FROM sites WHERE id = ANY($1) ORDER BY id FOR UPDATE', [ids])).rows;
        const { writes, audit, result } = plan(new Map(rows.map((r) => [r.id, toSite(r)])));
        for (const w of writes) 'insert' in w ? await insert(c, w.insert, at) : await update(c, w.update, w.fields, at);
        for (const a of audit) await writeAudit(c, a);
        return result;
      }),
    holdings: async (id) => (await db.rows<SiteHoldings>(HOLDINGS, [id]))[0]!,
    remove: (id, audit) =>
      db.write(async (c) => {
        const r = (await c.query<SiteRow>('SELECT * FROM sites WHERE id = $1 FOR UPDATE', [id])).rows[0];
        if (!r) return undefined;
        const counts = (await c.query<SiteHoldings>(HOLDINGS, [id])).rows[0]!;
        await eraseQuotedTextOfSite(c, id);
        await c.query('DELETE FROM sites WHERE id = $1', [id]);
        await writeAudit(c, audit(toSite(r), counts));
        return counts;
      }),
  };
}
