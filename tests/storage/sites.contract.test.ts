import { expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { SiteIdTaken } from '../../src/sites/sites.store.js';
import { auditOf, forEachBackend, seedSite } from './backends.js';

const T0 = 1_780_000_000_000;
const site = (id: string) => ({ id, name: `Xã ${id}`, origins: [`https://${id}.example.vn`], timezone: 'Asia/Ho_Chi_Minh', premoderation: true });

forEachBackend('sites store', (open) => {
  it('creates sites in one planned change with their audit entries, and reads them back', async () => {
    const s = await open();
    const result = await s.sites.change(['xa-a', 'xa-b'], T0, (current) => {
      expect(current.size).toBe(0);
      return { writes: [{ insert: site('xa-a') }, { insert: site('xa-b') }], audit: [auditOf('site.create'), auditOf('site.create', T0, 'xa-b')], result: 2 };
    });
    expect(result).toBe(2);
    expect(await s.sites.get('xa-a')).toEqual({
      ...site('xa-a'),
      blockedWords: [],
      blockedWordsAction: 'pending',
      notifyEmails: [],
      notifyDigestMinutes: 0,
      createdAt: new Date(T0).toISOString(),
      updatedAt: new Date(T0).toISOString(),
    });
    expect((await s.sites.list()).map((x) => x.id)).toEqual(['xa-a', 'xa-b']);
    expect((await s.audit.list({ sites: null, limit: 10 })).map((a) => a.siteId)).toEqual(['xa-b', 'xa-a']);
    expect(await s.sites.get('nope')).toBeUndefined();
  });

  it('hands the plan the current sites and updates only the fields it names', async () => {
    const s = await open();
    await seedSite(s, 'xa-a', T0);
    await s.sites.change(['xa-a', 'xa-x'], T0 + 5, (current) => {
      expect([...current.keys()]).toEqual(['xa-a']);
      return { writes: [{ update: 'xa-a', fields: { origins: ['https://a.vn'], blockedWords: ['cá độ'], blockedWordsAction: 'spam' } }], audit: [], result: undefined };
    });
    expect(await s.sites.get('xa-a')).toMatchObject({ name: 'Xã xa-a', origins: ['https://a.vn'], blockedWords: ['cá độ'], blockedWordsAction: 'spam', updatedAt: new Date(T0 + 5).toISOString() });
  });

  it("keeps a site's mail recipients and digest interval, and leaves them alone when an update does not name them", async () => {
    const s = await open();
    await s.sites.change(['xa-a'], T0, () => ({ writes: [{ insert: site('xa-a') }], audit: [], result: undefined }));
    await s.sites.change(['xa-a'], T0 + 1, () => ({ writes: [{ update: 'xa-a', fields: { notifyEmails: ['a@xa.vn', 'b@xa.vn'], notifyDigestMinutes: 60 } }], audit: [], result: undefined }));
    await s.sites.change(['xa-a'], T0 + 2, () => ({ writes: [{ update: 'xa-a', fields: { name: 'Xã A mới' } }], audit: [], result: undefined }));
    expect(await s.sites.get('xa-a')).toMatchObject({ name: 'Xã A mới', notifyEmails: ['a@xa.vn', 'b@xa.vn'], notifyDigestMinutes: 60 });
    await s.sites.change(['xa-a'], T0 + 3, () => ({ writes: [{ update: 'xa-a', fields: { notifyEmails: [], notifyDigestMinutes: 0 } }], audit: [], result: undefined }));
    expect(await s.sites.get('xa-a')).toMatchObject({ notifyEmails: [], notifyDigestMinutes: 0 });
  });

  it('a plan that throws writes nothing; a create that loses the race for its id is refused whole', async () => {
    const s = await open();
    await expect(
      s.sites.change(['xa-a'], T0, () => {
        throw new AppError(409, 'site_exists', 'no');
      }),
    ).rejects.toMatchObject({ code: 'site_exists' });
    await seedSite(s, 'xa-a');
    // A plan that did not see the site (another process created it meanwhile) and inserts it anyway.
    await expect(s.sites.change(['xa-b'], T0, () => ({ writes: [{ insert: site('xa-b') }, { insert: site('xa-a') }], audit: [auditOf('site.create')], result: undefined }))).rejects.toBeInstanceOf(SiteIdTaken);
    expect((await s.sites.list()).map((x) => x.id)).toEqual(['xa-a']);
    expect(await s.audit.list({ sites: null, limit: 10 })).toEqual([]);
  });

  it('two creates of one id at once: one wins, the other is refused', async () => {
    const s = await open();
    const create = () => s.sites.change(['xa-a'], T0, (current) => ({ writes: current.has('xa-a') ? [] : [{ insert: site('xa-a') }], audit: [], result: current.has('xa-a') }));
    const settled = await Promise.allSettled([create(), create(), create()]);
    expect(settled.filter((r) => r.status === 'fulfilled' && r.value === false)).toHaveLength(1);
    expect((await s.sites.list()).length).toBe(1);
  });

  it('deletes a site with everything it holds, tells what it held, and keeps the audit log', async () => {
    const s = await open();
    await seedSite(s, 'xa-a');
    await seedSite(s, 'xa-b');
    await s.polls.create({ id: 'p1', siteId: 'xa-a', question: '?', maxChoices: 1, opensAt: null, closesAt: null, resultsVisibility: 'always' }, [{ id: 'o1', label: 'Có' }], T0, auditOf('poll.create'));
    await s.polls.castBallot({ pollId: 'p1', optionIds: ['o1'], voterHash: 'v', ipHash: null, userAgent: null, at: T0 }, null, () => {});
    expect(await s.sites.holdings('xa-a')).toMatchObject({ polls: 1, ballots: 1 });
    const removed = await s.sites.remove('xa-a', (gone, counts) => ({ ...auditOf('site.delete'), detail: { name: gone.name, removed: counts } }));
    expect(removed).toMatchObject({ polls: 1, ballots: 1, comments: 0 });
    expect(await s.sites.get('xa-a')).toBeUndefined();
    expect(await s.polls.definition('p1')).toBeUndefined();
    expect(await s.sites.get('xa-b')).toBeDefined();
    expect((await s.audit.list({ sites: ['xa-a'], limit: 10 })).map((a) => a.action)).toEqual(['site.delete', 'poll.create']);
    expect(await s.sites.remove('xa-a', () => auditOf('site.delete'))).toBeUndefined();
  });
});
