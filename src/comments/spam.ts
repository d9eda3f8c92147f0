import { createRequire } from 'node:module';
import { isIP } from 'node:net';

// The package is one JSON file: require() reads it the same under plain Node (dist/) and under vitest/tsx.
const TLDS = createRequire(import.meta.url)('tlds') as string[];

/**
 * Content filters for comments: counting links and matching a site's blocked words. Both read the
 * text uncloaked (NFKC, invisible characters gone, look-alike dots as ".") and run in linear time: every step is a split, a
 * set lookup or a bounded regex, never a pattern that can rescan the text from each position
 * (the old link regex was quadratic on "a.a.a.…": 40,000 characters took seconds of CPU).
 */

const TLD_SET: ReadonlySet<string> = new Set(TLDS.map((t) => t.toLowerCase()));

// Zero-width and other format characters (ZWSP, ZWJ, soft hyphen, BOM, bidi controls…): invisible, used to split words.
const FORMAT = /\p{Cf}/gu;
// Full stops NFKC leaves alone: ideographic (。), halfwidth ideographic (｡), and a few look-alikes.
const DOT_LIKE = /[\u3002\uFF61\u2E33\u2E34]/g;
// Dots written out to dodge link detectors: "evil[.]com", "evil(dot)com".
const SPELLED_DOT = /[[({](?:\.|dot)[\])}]/gi;
// "h t t p s : / /", "hxxp://", "h**p://" squeezed back; bounded gaps keep this linear.
const SPACED_SCHEME = /h\s{0,3}[tx*]\s{0,3}[tx*]\s{0,3}p\s{0,3}(s\s{0,3})?:\s{0,3}\/\s{0,3}\//gi;
const SPACED_WWW = /(?<![\p{L}\p{N}])w\s{1,3}w\s{1,3}w\s{0,3}\./giu;

/** NFKC (fullwidth letters and dots become ASCII), format characters removed, look-alike and spelled-out dots turned into ".". */
const uncloak = (text: string) => text.normalize('NFKC').replace(FORMAT, '').replace(DOT_LIKE, '.').replace(SPELLED_DOT, '.');

/** The text the filters read (never what is stored): uncloaked and in lower case. */
export const normalizeForFilters = (text: string): string => uncloak(text).toLowerCase();

/** Vietnamese abbreviations written with a dot and no space ("TP.HN", "TS.BS", "Q.BT"): not domains. */
const ABBREVIATIONS = new Set([
  'tp', 'q', 'p', 'tx', 'tt', 'h', 'x', 'ts', 'ths', 'pgs', 'gs', 'bs', 'bsck', 'ks', 'kts', 'cn', 'ncs', 'ls', 'ds', 'nsnd', 'nsưt', 'v', 'đ',
]);

// Punctuation around a token that is not part of an address.
const EDGE_CHARS = new Set('.,:;!?…\'"`()[]{}<>«»“”‘’-');
// What separates tokens: white space, and characters never found in an address.
const SEPARATOR = /[\s<>"'`«»“”‘’(){}|\\^,;!]+/u;

/** The token without punctuation at either end (a loop, not a regex: a regex anchored at the end rescans runs of dots). */
function trimEdges(t: string): string {
  let a = 0;
  let b = t.length;
  while (a < b && EDGE_CHARS.has(t[a]!)) a++;
  while (b > a && EDGE_CHARS.has(t[b - 1]!) && t[b - 1] !== '-') b--;
  return t.slice(a, b);
}
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;
const SENTENCE_START = /^\p{Lu}\p{Ll}/u;

/**
 * A dotted quad that is an IP address, not an amount or a section number. With a path or port it
 * always is. Bare, "1.100.200.250" is also how an amount is written and "1.2.3.4" how a section
 * is numbered, so it counts only with a three-digit group (almost every public address has one)
 * and not with three-digit groups only after the first.
 */
function looksLikeIPv4(host: string, hasPathOrPort: boolean): boolean {
  if (isIP(host) !== 4) return false;
  const groups = host.split('.');
  if (hasPathOrPort) return true;
  return groups.some((g) => g.length === 3) && !groups.slice(1).every((g) => g.length === 3);
}

/**
 * Whether one token (no white space) is a link. `original` is the same token before lower-casing,
 * to tell "ý.Xin" (a sentence with no space after its full stop) from a domain.
 */
function isLink(token: string, original: string): boolean {
  if (token.includes('://') || token.startsWith('www.')) return true;
  if (token.startsWith('[')) {
    const end = token.indexOf(']');
    if (end > 1 && isIP(token.slice(1, end)) === 6) return true;
  }
  const t = trimEdges(token);
  if (!t) return false;
  if (t.startsWith('www.')) return true;
  const cut = t.search(/[/?#:]/);
  const host = cut === -1 ? t : t.slice(0, cut);
  const rest = cut === -1 ? '' : t.slice(cut);
  const hasPathOrPort = /^(?:\/|:\d)/.test(rest);
  if (looksLikeIPv4(host, hasPathOrPort)) return true;
  const labels = host.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return false;
  if (!TLD_SET.has(labels.at(-1)!)) return false;
  if (hasPathOrPort) return true;
  if (ABBREVIATIONS.has(labels[0]!)) return false;
  const originalLabels = trimEdges(original).split('.');
  return !originalLabels.slice(1).some((l) => SENTENCE_START.test(l));
}

/**
 * Counts links in what a commenter wrote: anything with "scheme://", "www.…", IP addresses, and
 * bare domains whose last label is a real top-level domain (the full IANA list, `tlds`), after
 * undoing the usual disguises (hxxp, spaced-out schemes, fullwidth or ideographic dots, zero-width
 * characters, "[.]"). Vietnamese prose does not count: "v.v.", "TP.HCM", "Q.1", "1.000.000 đồng",
 * "15/5/2024", "TS.BS", and "đồng ý.Xin" (a full stop without its space).
 */
export function countLinks(...texts: (string | undefined)[]): number {
  let n = 0;
  for (const text of texts) {
    if (!text) continue;
    const squeezed = uncloak(text).replace(SPACED_SCHEME, (_m, s: string | undefined) => (s ? 'https://' : 'http://')).replace(SPACED_WWW, 'www.');
    for (const original of squeezed.split(SEPARATOR)) if (original && isLink(original.toLowerCase(), original)) n++;
  }
  return n;
}

/** A blocked-word entry or a text as the word filter reads it: normalised, white space runs as one space. */
export const normalizeWords = (text: string): string => normalizeForFilters(text).replace(/\s+/g, ' ').trim();

const foldCache = new Map<string, string>();
/** One UTF-16 unit without its diacritics ("ộ" → "o", "đ" → "d"); anything that would not stay one unit is kept. */
function foldUnit(ch: string): string {
  let f = foldCache.get(ch);
  if (f === undefined) {
    const base = ch === 'đ' ? 'd' : ch.normalize('NFD').replace(/\p{M}/gu, '');
    f = base.length === 1 ? base : ch;
    foldCache.set(ch, f);
  }
  return f;
}
const fold = (s: string) => Array.from({ length: s.length }, (_, i) => foldUnit(s[i]!)).join('');
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/**
 * The entries of `words` (already normalizeWords'd, as stored) found in `text` as whole words.
 * Case never matters. Each letter must be the entry's own letter or that letter with no
 * diacritics at all: "cá độ" matches "Cá Độ", "CA DO" and "ca đo" (the usual way to dodge a
 * filter), but not "ca đó" or "cà dở" (other words that share the bare letters).
 */
export function matchBlockedWords(text: string, words: readonly string[]): string[] {
  if (!words.length || !text) return [];
  const t = normalizeWords(text);
  const folded = fold(t);
  const hits: string[] = [];
  for (const word of words) {
    const bare = fold(word);
    if (!bare) continue;
    for (let i = folded.indexOf(bare); i !== -1; i = folded.indexOf(bare, i + 1)) {
      const end = i + bare.length;
      if ((i > 0 && WORD_CHAR.test(t[i - 1]!)) || (end < t.length && WORD_CHAR.test(t[end]!))) continue;
      let same = true;
      for (let k = 0; k < bare.length && same; k++) same = t[i + k] === word[k] || t[i + k] === bare[k];
      if (same) {
        hits.push(word);
        break;
      }
    }
  }
  return hits;
}
