/**
 * `fn` with a memory of its last answers, for a pure function of a string that public requests ask
 * again and again (an address's network, its hash). A public client chooses the strings, so the memory
 * is emptied when it holds `max` answers rather than growing with them.
 */
export function memoized<T>(fn: (key: string) => T, max: number): (key: string) => T {
  const seen = new Map<string, T>();
  return (key) => {
    let v = seen.get(key);
    if (v === undefined && !seen.has(key)) {
      if (seen.size >= max) seen.clear();
      v = fn(key);
      seen.set(key, v);
    }
    return v as T;
  };
}
