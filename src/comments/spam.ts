/**
 * Counts links in what a commenter wrote: "http(s)://…", "www.…" and bare domains with a
 * common top-level domain ("example.com/xyz"). Vietnamese prose never matches by accident:
 * a domain needs letters on both sides of the dot and no space.
 */
const LINK = /\b(?:https?:\/\/|www\.)[^\s<>"']+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|info|biz|ru|cn|xyz|top|io|co|me|vn|link|click|site|online|shop)\b(?:\/[^\s<>"']*)?/gi;

export function countLinks(...texts: (string | undefined)[]): number {
  let n = 0;
  for (const t of texts) if (t) n += t.match(LINK)?.length ?? 0;
  return n;
}
