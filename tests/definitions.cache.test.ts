import { describe, expect, it } from 'vitest';
import { definitionCache } from '../src/ballots/definitions.js';
import type { PollDefinition } from '../src/polls/polls.store.js';
import { auditOf, forEachBackend, seedSite } from './storage/backends.js';

/**
 * The definition cache in front of storage (src/ballots/definitions.ts), on each real backend: the requests
 * that miss together share one read, so a dropped cache under load is one read, not one per request in flight.
 */
forEachBackend('poll definitions cache', (open) => {
  async function setUp() {
    const s = await open();
    await seedSite(s);
    const poll = { id: 'p1', siteId: 'xa-a', question: 'Xin bạn cho ý kiến về cổng thông tin của chúng tôi?', maxChoices: 1, opensAt: null, closesAt: null, resultsVisibility: 'always' as const };
    expect(await s.polls.create(poll, [{ id: 'o1', label: 'Đẹp, tiện lợi tra cứu' }], 1_780_000_000_000, auditOf('poll.create'))).toBe(true);
    let reads = 0;
    let failNext = false;
    const store = {
      definition: async (id: string): Promise<PollDefinition | undefined> => {
        reads++;
        if (failNext) {
          failNext = false;
          throw new Error('storage went away');
        }
        return s.polls.definition(id);
      },
    };
    let version = 1;
    let t = 0;
    const cache = definitionCache<PollDefinition>(store, () => t, () => version);
    return { s, cache, reads: () => reads, fail: () => (failNext = true), bump: () => version++, advance: (ms: number) => (t += ms) };
  }

  it('fifty requests that miss together read storage once, and all get the definition', async () => {
    const { cache, reads } = await setUp();
    const defs = await Promise.all(Array.from({ length: 50 }, () => cache.get('p1')));
    expect(reads()).toBe(1);
    expect(defs.every((d) => d?.poll.question === 'Xin bạn cho ý kiến về cổng thông tin của chúng tôi?')).toBe(true);
    expect(await cache.get('p1')).toBe(defs[0]);
    expect(reads()).toBe(1);
  });

  it('after another writer moved the version, the next misses share one fresh read', async () => {
    const { cache, reads, bump, advance } = await setUp();
    await cache.get('p1');
    bump();
    advance(1_000);
    await Promise.all(Array.from({ length: 20 }, () => cache.get('p1')));
    expect(reads()).toBe(2);
  });

  it('a definition forgotten while it is being read is not kept: the next request reads again', async () => {
    const { cache, reads } = await setUp();
    expect(await cache.get('unknown')).toBeUndefined(); // the version is checked: the next get reads at once
    const first = cache.get('p1');
    expect(reads()).toBe(2);
    cache.forget('p1');
    expect((await first)?.poll.id).toBe('p1');
    await cache.get('p1');
    expect(reads()).toBe(3);
  });

  it('a failed read is shared by those waiting on it, then not kept: the next request reads again', async () => {
    const { cache, reads, fail } = await setUp();
    fail();
    const settled = await Promise.allSettled([cache.get('p1'), cache.get('p1')]);
    expect(settled.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(reads()).toBe(1);
    expect((await cache.get('p1'))?.poll.id).toBe('p1');
    expect(reads()).toBe(2);
  });
});
