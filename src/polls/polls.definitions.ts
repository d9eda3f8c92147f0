import type { PollDefinition, PollsStore } from './polls.store.js';

/** How long a poll's definition (question, options, dates) is reused before it is read again; counters are always live. */
const DEFINITION_CACHE_MS = 5_000;
/** Unknown ids are cached too, so a flood of random ids cannot grow the map without bound. */
const MAX_ENTRIES = 10_000;

/**
 * Poll definitions for the hot public paths (every read and vote needs one). Changes made through this
 * process forget the entry at once; another process's change is seen within DEFINITION_CACHE_MS.
 */
export function pollDefinitions(store: Pick<PollsStore, 'definition'>, now: () => number) {
  const cache = new Map<string, { def: PollDefinition | undefined; until: number }>();
  return {
    async get(id: string): Promise<PollDefinition | undefined> {
      const t = now();
      const hit = cache.get(id);
      if (hit && hit.until > t) return hit.def;
      const def = await store.definition(id);
      if (cache.size >= MAX_ENTRIES) cache.clear();
      cache.set(id, { def, until: t + DEFINITION_CACHE_MS });
      return def;
    },
    /** A cached definition without reading storage (undefined when not cached or stale). */
    peek(id: string): PollDefinition | undefined {
      const hit = cache.get(id);
      return hit && hit.until > now() ? hit.def : undefined;
    },
    forget: (id: string) => void cache.delete(id),
  };
}

export type PollDefinitions = ReturnType<typeof pollDefinitions>;
