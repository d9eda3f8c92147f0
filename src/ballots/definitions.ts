/** How long a definition (a poll's question and options, a survey's questions, dates) is reused before it is read again; counts are always live. */
const DEFINITION_CACHE_MS = 5_000;
/**
 * How often to ask storage whether anything changed since (another instance, the CLI): if so every cached
 * definition is dropped, so a poll closed through one instance is closed on all of them within a second.
 * Checking on every request would cost a round trip per vote; once a second costs one per poll at most.
 */
const VERSION_CHECK_MS = 1_000;
/** Unknown ids are cached too, so a flood of random ids cannot grow the map without bound. */
const MAX_ENTRIES = 10_000;

/**
 * Definitions (of polls, of surveys) for the hot public paths (every read and ballot needs one). Changes
 * made through this process forget the entry at once; another process's change is seen within VERSION_CHECK_MS.
 */
export function definitionCache<D>(store: { definition(id: string): Promise<D | undefined> }, now: () => number, version: () => number | Promise<number>) {
  const cache = new Map<string, { def: D | undefined; until: number }>();
  /**
   * Reads under way, one per id: when the cache is dropped (another write moved the version, or the entry
   * expired) the requests that arrive before the read is back share it instead of each reading storage
   * (fifty votes in flight would otherwise queue fifty reads ahead of the ballots' own transaction).
   */
  const reading = new Map<string, Promise<D | undefined>>();
  let seenVersion: number | undefined;
  let versionCheckedAt = -Infinity;
  // Calls that arrive while a check is under way wait for the same one, so they keep their order.
  let checking: Promise<void> | undefined;
  const checkDue = () => checking !== undefined || now() - versionCheckedAt >= VERSION_CHECK_MS;
  const check = () =>
    (checking ??= (async () => {
      versionCheckedAt = now();
      try {
        const v = await version();
        if (v !== seenVersion) {
          seenVersion = v;
          cache.clear();
          reading.clear();
        }
      } finally {
        checking = undefined;
      }
    })());
  return {
    async get(id: string): Promise<D | undefined> {
      if (checkDue()) await check();
      const t = now();
      const hit = cache.get(id);
      if (hit && hit.until > t) return hit.def;
      const shared = reading.get(id);
      if (shared) return shared;
      const read = store.definition(id).then(
        (def) => {
          // Not kept when forgotten meanwhile (a change through this process): the next call reads again.
          if (reading.get(id) !== read) return def;
          reading.delete(id);
          if (cache.size >= MAX_ENTRIES) cache.clear();
          cache.set(id, { def, until: t + DEFINITION_CACHE_MS });
          return def;
        },
        (err: unknown) => {
          if (reading.get(id) === read) reading.delete(id);
          throw err;
        },
      );
      if (reading.size >= MAX_ENTRIES) reading.clear();
      reading.set(id, read);
      return read;
    },
    /** A cached definition without reading storage (undefined when not cached, stale, or time to look for others' changes). */
    peek(id: string): D | undefined {
      if (checkDue()) return undefined;
      const hit = cache.get(id);
      return hit && hit.until > now() ? hit.def : undefined;
    },
    forget: (id: string) => {
      cache.delete(id);
      reading.delete(id);
    },
  };
}

export type DefinitionCache<D> = ReturnType<typeof definitionCache<D>>;
