import { memoized } from '../util/memo.js';

/**
 * The route pattern a request matched, for metric labels. Express gives a route's own pattern
 * (req.route.path) but, for a mounted router, only the path it matched (req.baseUrl,
 * "/v1/sites/x-123"): labelling by that let anyone add series with made-up ids. Here the
 * mount patterns are read once from the app's router stack (Layer.rawPath, router 2.3) and
 * req.baseUrl is matched back to one of them.
 */
interface LayerLike {
  rawPath?: unknown;
  handle?: { stack?: unknown };
}

const join = (a: string, b: string) => (b === '/' ? a : `${a}${b}`.replace(/\/{2,}/g, '/'));

/** Every router's full mount pattern under `stack`, e.g. "/v1/sites/:site", "/v1/admin/sites/:site/webhook". */
export function mountPatterns(stack: unknown, prefix = ''): string[] {
  if (!Array.isArray(stack)) return [];
  const out: string[] = [];
  for (const layer of stack as LayerLike[]) {
    const nested = layer.handle?.stack;
    if (!Array.isArray(nested) || typeof layer.rawPath !== 'string') continue;
    const full = join(prefix, layer.rawPath);
    if (full) out.push(full);
    out.push(...mountPatterns(nested, full));
  }
  return [...new Set(out)];
}

/** Base URLs whose pattern is remembered, and the longest one kept: ~0.5 MB at most. */
const MEMO_ENTRIES = 2_000;
const MEMO_LENGTH = 200;

type Segment = { param: true } | { param: false; text: string };

/**
 * A function from req.baseUrl to the mount pattern it was matched by (undefined: none).
 * Patterns with anything but literal and ":name" segments are left out. When several fit,
 * the one with the most literal segments wins, as Express would have had to match it.
 */
export function mountMatcher(patterns: readonly string[]): (baseUrl: string) => string | undefined {
  const compiled = patterns
    .filter((p) => /^(?:\/(?::[A-Za-z_$][\w$]*|[\w.~-]+))+$/.test(p))
    .map((pattern) => {
      const segments: Segment[] = pattern
        .split('/')
        .slice(1)
        .map((s) => (s.startsWith(':') ? { param: true } : { param: false, text: s.toLowerCase() }));
      return { pattern, segments, literals: segments.filter((s) => !s.param).length };
    })
    .sort((a, b) => b.literals - a.literals);
  const match = (baseUrl: string) => {
    const parts = baseUrl.split('/').slice(1);
    for (const c of compiled) {
      if (c.segments.length !== parts.length) continue;
      if (c.segments.every((s, i) => (s.param ? parts[i] !== '' : parts[i]!.toLowerCase() === s.text))) return c.pattern;
    }
    return undefined;
  };
  // Every request with a route asks, and most ask about the same few sites and polls; a public client
  // chooses the ids, so the memory of answers is emptied when full rather than growing with them.
  const remembered = memoized(match, MEMO_ENTRIES);
  return (baseUrl) => (baseUrl.length > MEMO_LENGTH ? match(baseUrl) : remembered(baseUrl));
}
