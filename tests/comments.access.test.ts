import { describe, expect, it } from 'vitest';
import type { Principal } from '../src/access/principal.js';
import { base, commentsApp, post } from './comments.fixtures.js';

/** A moderator of two communes, as the console will make them (keys name one site today). */
const TWO_SITES: Principal = { kind: 'key', id: 'k-ab', name: 'Biên tập huyện', role: 'moderator', sites: ['xa-a', 'xa-b'] };

async function threeSites() {
  const t = await commentsApp();
  for (const id of ['xa-b', 'xa-c']) expect((await t.admin.post('/v1/admin/sites', { id, name: `Xã ${id}`, origins: [`https://${id}.example.vn`] })).status).toBe(201);
  const ids: Record<string, string> = {};
  for (const site of ['xa-a', 'xa-b', 'xa-c']) ids[site] = await post(t, { email: 'an.nguyen@example.vn' }, base(site));
  return { t, ids, m: t.services.comments.moderation };
}

describe('a moderator of several sites (src/access decides, the store filters by the list)', () => {
  it('sees the queue of every one of its sites, and of no other', async () => {
    const { ids, m } = await threeSites();
    const listed = await m.list(TWO_SITES, { limit: 50 });
    expect(listed.comments.map((c) => c.site).sort()).toEqual(['xa-a', 'xa-b']);
    expect((await m.list(TWO_SITES, { site: 'xa-b', limit: 50 })).comments.map((c) => c.id)).toEqual([ids['xa-b']]);
    await expect(m.list(TWO_SITES, { site: 'xa-c', limit: 50 })).rejects.toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('acts on its sites only: one comment of another site refuses a whole bulk request', async () => {
    const { t, ids, m } = await threeSites();
    expect(await m.act(TWO_SITES, ids['xa-b']!, 'approve')).toMatchObject({ status: 'approved', moderatedBy: 'Biên tập huyện' });
    await expect(m.get(TWO_SITES, ids['xa-c']!)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(m.act(TWO_SITES, ids['xa-c']!, 'delete')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(m.bulk(TWO_SITES, [ids['xa-a']!, ids['xa-c']!], 'spam')).rejects.toMatchObject({ code: 'forbidden', extra: { denied: [ids['xa-c']] } });
    expect(await t.sql.rows("SELECT site_id, status FROM comments ORDER BY site_id")).toEqual([
      { site_id: 'xa-a', status: 'pending' },
      { site_id: 'xa-b', status: 'approved' },
      { site_id: 'xa-c', status: 'pending' },
    ]);
  });

  it('erases a commenter on its sites without naming one, and leaves other sites alone', async () => {
    const { t, m } = await threeSites();
    expect(await m.erase(TWO_SITES, undefined, 'an.nguyen@example.vn')).toEqual({ erased: 2, repliesRemoved: 0 });
    expect(await t.sql.column('SELECT site_id FROM comments')).toEqual(['xa-c']);
    const entries = (await t.admin.get('/v1/admin/audit?action=commenter.erase')).body.entries;
    expect(entries.map((e: { site: string }) => e.site).sort()).toEqual(['xa-a', 'xa-b']);
  });
});
