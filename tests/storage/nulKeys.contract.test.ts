import { expect, it } from 'vitest';
import { forEachBackend, seedSite } from './backends.js';

/**
 * A key with U+0000 in it (a URL's `%00`) is a key no row has: the edge refuses it in everything stored.
 * SQLite compares it like any text; PostgreSQL text cannot hold it and refused the whole statement (a 500
 * on GET /v1/polls/%00, found by the fuzz suite on PostgreSQL). Every read by such a key finds nothing.
 */
const NUL = 'xa-a\u0000';

forEachBackend('a key with U+0000 finds nothing', (open) => {
  it('polls, sites, comments: a read by it is "not found", a change by it sees no row', async () => {
    const s = await open();
    await seedSite(s, 'xa-a');
    expect(await s.polls.definition(NUL)).toBeUndefined();
    expect(await s.polls.definition('\u0000')).toBeUndefined();
    expect(await s.polls.hasVoted(NUL, 'voter')).toBe(false);
    let seen: unknown = 'not called';
    const result = await s.polls.change(NUL, 1_780_000_000_000, (current) => {
      seen = current;
      return { change: {}, result: 'planned' };
    });
    expect(seen).toBeUndefined();
    expect(result).toBe('planned');
    expect(await s.sites.get(NUL)).toBeUndefined();
    expect((await s.sites.get('xa-a'))?.id).toBe('xa-a');
    expect(await s.comments.get(NUL)).toBeUndefined();
    const found = await s.sites.change([NUL, 'xa-a'], 1_780_000_000_000, (current) => ({ writes: [], audit: [], result: [...current.keys()] }));
    expect(found).toEqual(['xa-a']);
  });

  it('surveys: the definition, counts, texts and a change by it find nothing', async () => {
    const s = await open();
    await seedSite(s, 'xa-a');
    expect(await s.surveys.definition(NUL)).toBeUndefined();
    expect(await s.surveys.hasResponded(NUL, 'voter')).toBe(false);
    expect((await s.surveys.state(NUL, 'voter')).responded).toBe(false);
    expect((await s.surveys.list(['xa-a'])).length).toBe(0);
    expect((await s.surveys.texts(NUL, [NUL], 10)).size).toBe(0);
    let seen: unknown = 'not called';
    await s.surveys.change(NUL, 1_780_000_000_000, (current) => {
      seen = current;
      return { change: {}, result: undefined };
    });
    expect(seen).toBeUndefined();
  });

  it('any read inside a transaction: comments moderated or edited by it find nothing, a list of ids skips it', async () => {
    const s = await open();
    await seedSite(s, 'xa-a');
    let targets: unknown = 'not called';
    await s.comments.moderate({ ids: [NUL, 'bl1'] }, 1_780_000_000_000, (snap) => {
      targets = snap.targets;
      return { statuses: [], deletes: [], threads: [], audit: [], result: undefined };
    });
    expect(targets).toEqual([]);
    expect(await s.comments.edit(NUL, 1_780_000_000_000, () => { throw new Error('no comment has this id'); })).toBeUndefined();
    await s.comments.moderate({ email: 'an\u0000@example.vn', sites: [NUL, 'xa-a'] }, 1_780_000_000_000, (snap) => {
      targets = snap.targets;
      return { statuses: [], deletes: [], threads: [], audit: [], result: undefined };
    });
    expect(targets).toEqual([]);
  });
});
